// Finding and Report: what `kiroku verify` found, in words that users' scripts can rely on.
//
// Every problem is a Finding with a kind whose name is part of the user-facing contract
// (KindName: "modified", "missing", "re-signed with a later key", ...), a severity (tampering,
// a warning that is not evidence of tampering, or information), and where it is: a range of
// sequence numbers, a file, epochs. The Report gathers them with counts and gives the verdict
// and the exit code (0 intact, 1 tampered, 2 could not check).
//
//   Report report;
//   report.Add(Finding(FindingKind::kMissing, "1 record absent").At(5, 5).In(path));
//   return report.ExitCode();   // 1
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiroku::verify {

enum class FindingKind {
  // Tampering: the evidence is not what the signed heads say.
  kModified,         // a record's bytes, receive time, peer ... changed
  kMissing,          // a sequence number is absent
  kInserted,         // a duplicate or extra sequence number
  kReordered,        // sequence numbers out of order
  kTruncated,        // records covered by a signed head are gone from the end
  kForgedHead,       // a head whose signature does not verify (or cannot be read)
  kWrongKey,         // a head signed with a key the trust anchor does not hold for its time
  kHeadsDeleted,     // a gap in the chain of heads
  kHeadsOutOfOrder,  // epoch or time goes back, or the tree shrinks
  kResigned,         // records first covered by a head signed epochs after they arrived
  kRolledBack,       // the data directory is older than what the witness saw
  kForked,           // the witness saw another root for the same tree size
  // Warnings: something is damaged or unchecked, but the evidence still verifies.
  kTilesDamaged,       // stored tree hashes disagree with the records, the records with heads
  kAnchorFromDataDir,  // the anchor was read from the data directory itself
  kNoHeads,            // nothing is signed yet
  // Information.
  kCutFile,     // bytes crash recovery cut from a segment, kept aside
  kUnsigned,    // records after the newest head: "not yet signed"
  kCrashTail,   // records a crash left unsigned, signed after a declared restart
  kInProgress,  // an incomplete frame at the end of the newest segment
};

enum class Severity { kTampered, kWarning, kInfo };

std::string_view KindName(FindingKind kind);
Severity SeverityOf(FindingKind kind);
std::string_view SeverityName(Severity s);  // "tampered", "warning", "info"

// Inclusive range of sequence numbers.
struct SeqRange {
  uint64_t first = 0;
  uint64_t last = 0;
  std::string ToString() const;  // "42" or "42..57"
};

struct Finding {
  Finding() = default;
  Finding(FindingKind k, std::string d) : kind(k), detail(std::move(d)) {}
  Finding& At(uint64_t first, uint64_t last) {
    seqs = SeqRange{first, last};
    return *this;
  }
  Finding& In(std::string f) {
    file = std::move(f);
    return *this;
  }
  Finding& Epochs(uint64_t e, std::optional<uint64_t> later = std::nullopt) {
    epoch = e;
    later_epoch = later;
    return *this;
  }

  FindingKind kind = FindingKind::kModified;
  std::optional<SeqRange> seqs;
  std::string file;
  std::optional<uint64_t> epoch;        // the epoch concerned (of a head, of a record)
  std::optional<uint64_t> later_epoch;  // for re-signing: the epoch of the signing head
  std::string detail;
};

struct VerifyStats {
  uint64_t records = 0;        // valid records read from the journal
  uint64_t journal_bytes = 0;  // bytes of segment files read
  uint64_t raw_bytes = 0;      // message bytes in those records
  uint64_t segments = 0;
  uint64_t sealed_segments = 0;  // of which sealed (DATA/segments)
  uint64_t heads = 0;            // heads read from DATA/heads
  uint64_t heads_verified = 0;   // of which verified against the anchor
  uint64_t signed_size = 0;      // tree size of the newest verified head
  uint64_t journal_size = 0;     // records 1..journal_size are present in order
  uint64_t witness_heads = 0;
  uint64_t tile_groups_checked = 0;
  double seconds = 0;
  std::string anchor_fingerprint;
};

class Report {
 public:
  void Add(Finding f) { findings_.push_back(std::move(f)); }
  // The directory could not be checked at all (no anchor, unreadable): exit 2.
  void SetError(std::string error) { error_ = std::move(error); }

  const std::vector<Finding>& findings() const { return findings_; }
  const std::string& error() const { return error_; }
  VerifyStats& stats() { return stats_; }
  const VerifyStats& stats() const { return stats_; }

  bool Tampered() const;
  // "intact", "tampered" or "error".
  std::string_view Result() const;
  int ExitCode() const;  // 0 intact, 1 tampered, 2 could not check

 private:
  std::vector<Finding> findings_;
  VerifyStats stats_;
  std::string error_;
};

}  // namespace kiroku::verify
