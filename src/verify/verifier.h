// Verify: checks a kiroku data directory against its trust anchor, offline and read-only.
//
// It streams the journal once (journal_stream.h), recomputing every leaf hash, the tree's
// frontier and every 256-record subtree, and checks: frames (CRC, decoding), sequence numbers
// (dense from 1, in order), the stored tiles, the root at every signed head's size, each
// head's signature and key against the anchor chain, the chain of heads, that every record
// was first signed within an epoch of its arrival (a thief of the server holds only later
// keys), truncation, and, given a witness's heads, rollback and forks. Everything it finds is
// a Finding (finding.h); the Report's exit code is the command's.
//
// Safe while the server runs: heads are read first, and only what the newest of them covers
// is judged; records after it are reported as not yet signed (and still checked for CRC and
// order). docs/formats/proofs.md ("kiroku verify") lists the checks and their limits.
//
//   VerifyOptions opt;
//   opt.data_dir = "kiroku-data";
//   opt.anchor_path = "/media/usb/anchor.json";
//   Report report = Verify(PosixFs::Default(), opt);
//   return report.ExitCode();
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/fs.h"
#include "verify/finding.h"

namespace kiroku::verify {

// How long after a record's arrival its first signed head may come even across an epoch
// boundary, and how long after the last head a crash may leave records unsigned.
inline constexpr int64_t kDefaultSlackNs = 10'000'000'000;

struct VerifyOptions {
  std::string data_dir = "kiroku-data";
  // The operator's copy of the trust anchor. Empty: DATA/keys/anchor.json, with a warning
  // (whoever can change the data directory can change that file too).
  std::string anchor_path;
  // The witness's heads as JSON lines (the CLI reads the file or fetches the URL); nullopt
  // for none. witness_name names it in findings.
  std::optional<std::string> witness_jsonl;
  std::string witness_name;
  int64_t slack_ns = kDefaultSlackNs;
  // Called now and then with journal bytes read so far and the total.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

Report Verify(Fs& fs, const VerifyOptions& options);

}  // namespace kiroku::verify
