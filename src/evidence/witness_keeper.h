// WitnessKeeper: the receiving side of witnessing. Another kiroku POSTs its signed tree heads
// here; the keeper accepts a head only if it verifies against a trust anchor the witness's
// operator configured (--witness-anchor) and extends the latest head it holds for that log,
// and keeps every accepted head in DATA/witness/<fingerprint hex>.jsonl (one head per line,
// fdatasynced). A log rolled back to an older copy, forked, or re-signed by a thief cannot get
// a head past it, and the witness's file is the evidence.
//
// Answers (status, JSON body) for the HTTP API to send:
//   200 {"accepted": true, "tree_size": N}            accepted (or the same head again)
//   400 {"error": "malformed", ...}                   not a submission
//   404 {"error": "unknown_log", ...}                 no configured anchor for it
//   409 {"error": "stale_size", "latest_size": M}     proof from another size: resend from M
//   422 {"error": NAME, "detail": ...}                not an extension: NAME is a HeadErrorName
//       (bad_signature, key_not_in_anchor, tree_shrank, time_went_back, ...) or "inconsistent"
//       (the consistency proof fails: a fork or a rewritten log)
// Thread-safe.
//
//   auto keeper = WitnessKeeper::Open(fs, data + "/witness", {anchor});
//   WitnessReply r = (*keeper)->Submit(request_body);
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/tree_head.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::evidence {

struct WitnessReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class WitnessKeeper {
 public:
  // Loads the latest accepted head of each anchor's log from `dir` (created if missing).
  static StatusOr<std::unique_ptr<WitnessKeeper>> Open(
      Fs& fs, std::string dir, const std::vector<integrity::signing::TrustAnchor>& anchors);
  ~WitnessKeeper();
  WitnessKeeper(const WitnessKeeper&) = delete;
  WitnessKeeper& operator=(const WitnessKeeper&) = delete;

  WitnessReply Submit(std::string_view body);
  // GET /witness/<fingerprint>/latest: the latest accepted head (404 if none).
  WitnessReply Latest(std::string_view fingerprint);
  // GET /witness/<fingerprint>/heads: every accepted head, one JSON line each.
  WitnessReply Heads(std::string_view fingerprint);

  // "<dir>/<64 hex digits>.jsonl"
  std::string PathFor(const integrity::Hash& fingerprint) const;

 private:
  struct Log {
    integrity::signing::TrustAnchor anchor;
    std::optional<integrity::signing::TreeHead> latest;
    std::unique_ptr<WritableFile> file;
  };
  WitnessKeeper(Fs& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}
  Log* Find(std::string_view fingerprint, integrity::Hash* fp);

  Fs& fs_;
  const std::string dir_;
  std::mutex mu_;
  std::map<std::string, Log> logs_;  // by fingerprint hex
};

}  // namespace kiroku::evidence
