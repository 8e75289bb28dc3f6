#include "evidence/witness_keeper.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "evidence/witness_protocol.h"
#include "integrity/proof_verify.h"
#include "integrity/signing/head_verify.h"

namespace kiroku::evidence {

using integrity::Hash;
using integrity::signing::HeadError;
using integrity::signing::HeadErrorName;
using integrity::signing::TreeHead;
using integrity::signing::TrustAnchor;

namespace {

WitnessReply Json(int status, const nlohmann::ordered_json& j) {
  return WitnessReply{status, "application/json", j.dump() + "\n"};
}

WitnessReply Error(int status, std::string_view error, const std::string& detail) {
  return Json(status, {{"error", error}, {"detail", detail}});
}

}  // namespace

StatusOr<std::unique_ptr<WitnessKeeper>> WitnessKeeper::Open(
    Fs& fs, std::string dir, const std::vector<TrustAnchor>& anchors) {
  if (!anchors.empty()) KIROKU_RETURN_IF_ERROR(fs.CreateDirs(dir));
  std::unique_ptr<WitnessKeeper> k(new WitnessKeeper(fs, std::move(dir)));
  for (const TrustAnchor& a : anchors) {
    Hash fp = integrity::signing::Fingerprint(a);
    Log log;
    log.anchor = a;
    StatusOr<std::string> text = fs.ReadFile(k->PathFor(fp));
    if (text.ok()) {
      // The last complete line is the latest head; a torn last line (crash mid-append) is
      // ignored here and cut when the next head is appended.
      size_t end = text->rfind('\n');
      if (end != std::string::npos) {
        std::string_view lines = std::string_view(*text).substr(0, end);
        size_t nl = lines.rfind('\n');
        StatusOr<TreeHead> h = integrity::signing::TreeHeadFromJson(
            lines.substr(nl == std::string_view::npos ? 0 : nl + 1));
        if (!h.ok()) {
          return Status::Corruption(k->PathFor(fp) + ": last line: " + h.status().message());
        }
        log.latest = std::move(*h);
      }
      if (text->size() != (end == std::string::npos ? 0 : end + 1)) {
        auto f = fs.OpenAppendable(k->PathFor(fp));
        if (!f.ok()) return f.status();
        KIROKU_RETURN_IF_ERROR((*f)->Truncate(end == std::string::npos ? 0 : end + 1));
        KIROKU_RETURN_IF_ERROR((*f)->Sync());
        log.file = std::move(*f);
      }
    } else if (text.status().code() != Status::Code::kNotFound) {
      return text.status();
    }
    spdlog::info("witness for {}: {}", integrity::signing::FormatFingerprint(fp),
                 log.latest ? "latest accepted tree size " + std::to_string(log.latest->tree_size)
                            : std::string("no heads yet"));
    k->logs_.emplace(fp.Hex(), std::move(log));
  }
  return k;
}

WitnessKeeper::~WitnessKeeper() = default;

std::string WitnessKeeper::PathFor(const Hash& fingerprint) const {
  return JoinPath(dir_, fingerprint.Hex() + ".jsonl");
}

WitnessKeeper::Log* WitnessKeeper::Find(std::string_view fingerprint, Hash* fp) {
  std::optional<Hash> parsed = integrity::signing::ParseFingerprint(fingerprint);
  if (!parsed) return nullptr;
  auto it = logs_.find(parsed->Hex());
  if (it == logs_.end()) return nullptr;
  *fp = *parsed;
  return &it->second;
}

WitnessReply WitnessKeeper::Submit(std::string_view body) {
  StatusOr<WitnessSubmission> sub = DecodeSubmission(body);
  if (!sub.ok()) return Error(400, "malformed", sub.status().message());
  const TreeHead& head = sub->head;

  std::lock_guard lock(mu_);
  if (logs_.empty()) {
    return Error(404, "unknown_log", "this kiroku witnesses no log (no --witness-anchor)");
  }
  Log* log = nullptr;
  Hash fp;
  integrity::signing::HeadVerdict verdict;
  if (!sub->log.empty()) {
    log = Find(sub->log, &fp);
    if (!log) {
      return Error(404, "unknown_log",
                   "no --witness-anchor with fingerprint " + sub->log + " is configured here");
    }
    verdict = integrity::signing::VerifyHead(head, log->anchor);
  } else {
    // No log named: the head must verify against one of the configured anchors.
    for (auto& [hex, l] : logs_) {
      verdict = integrity::signing::VerifyHead(head, l.anchor);
      if (verdict.ok()) {
        log = &l;
        fp = *Hash::FromHex(hex);
        break;
      }
    }
    if (!log) return Error(422, HeadErrorName(verdict.error), verdict.detail);
  }
  if (!verdict.ok()) return Error(422, HeadErrorName(verdict.error), verdict.detail);

  if (const std::optional<TreeHead>& latest = log->latest) {
    if (integrity::signing::HeadHash(head) == integrity::signing::HeadHash(*latest)) {
      return Json(200, {{"accepted", true}, {"tree_size", head.tree_size}, {"duplicate", true}});
    }
    if (head.tree_size < latest->tree_size) {
      return Error(422, HeadErrorName(HeadError::kTreeShrank),
                   "tree size " + std::to_string(head.tree_size) + " is below the " +
                       std::to_string(latest->tree_size) +
                       " this witness already holds: the log was rolled back");
    }
    if (head.timestamp_ns < latest->timestamp_ns) {
      return Error(422, HeadErrorName(HeadError::kTimeWentBack),
                   "timestamp " + std::to_string(head.timestamp_ns) +
                       " is before the latest "
                       "accepted head's " +
                       std::to_string(latest->timestamp_ns));
    }
    if (head.previous_head_hash == integrity::signing::HeadHash(*latest)) {
      // A direct successor: the full chain rules apply too.
      integrity::signing::HeadVerdict link = integrity::signing::VerifyHeadSuccessor(*latest, head);
      if (!link.ok()) return Error(422, HeadErrorName(link.error), link.detail);
    }
    if (sub->old_size != latest->tree_size) {
      return Json(409, {{"error", "stale_size"},
                        {"latest_size", latest->tree_size},
                        {"detail", "send a consistency proof from tree size " +
                                       std::to_string(latest->tree_size)}});
    }
    if (!integrity::VerifyConsistency(latest->tree_size, head.tree_size, latest->root_hash,
                                      head.root_hash, sub->proof)) {
      return Error(422, "inconsistent",
                   "the tree of " + std::to_string(head.tree_size) +
                       " records does not extend the tree of " + std::to_string(latest->tree_size) +
                       " this witness holds (root " + latest->root_hash.Hex() +
                       "): the log was forked or rewritten");
    }
  }

  if (!log->file) {
    auto f = fs_.OpenAppendable(PathFor(fp));
    if (!f.ok()) return Error(500, "io_error", f.status().ToString());
    log->file = std::move(*f);
  }
  const uint64_t before = log->file->Size();
  Status s = log->file->Append(HeadJsonLine(head) + "\n");
  if (s.ok()) s = log->file->Sync();
  if (!s.ok()) {
    (void)log->file->Truncate(before);
    return Error(500, "io_error", s.ToString());
  }
  log->latest = head;
  return Json(200, {{"accepted", true}, {"tree_size", head.tree_size}});
}

WitnessReply WitnessKeeper::Latest(std::string_view fingerprint) {
  std::lock_guard lock(mu_);
  Hash fp;
  Log* log = Find(fingerprint, &fp);
  if (!log) return Error(404, "unknown_log", "no such log here");
  if (!log->latest) return Error(404, "no_heads", "no head accepted yet");
  return WitnessReply{200, "application/json", integrity::signing::TreeHeadToJson(*log->latest)};
}

WitnessReply WitnessKeeper::Heads(std::string_view fingerprint) {
  std::lock_guard lock(mu_);
  Hash fp;
  Log* log = Find(fingerprint, &fp);
  if (!log) return Error(404, "unknown_log", "no such log here");
  StatusOr<std::string> text = fs_.ReadFile(PathFor(fp));
  if (!text.ok() && text.status().code() != Status::Code::kNotFound) {
    return Error(500, "io_error", text.status().ToString());
  }
  return WitnessReply{200, "application/x-ndjson", text.ok() ? *text : std::string()};
}

}  // namespace kiroku::evidence
