#include "evidence/witness_sender.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "evidence/journal_leaves.h"
#include "evidence/witness_protocol.h"
#include "integrity/tree_reader.h"

namespace kiroku::evidence {

using integrity::signing::TreeHead;

namespace {

constexpr auto kFirstBackoff = std::chrono::seconds(1);
constexpr auto kMaxBackoff = std::chrono::seconds(60);
constexpr size_t kMaxQueuedHeads = 1'000'000;  // a file witness away for days at 1 head/s

using SteadyTime = std::chrono::steady_clock::time_point;

// The thread, queue and backoff both kinds of target share; Deliver is the kind's own part.
class QueuedSender : public WitnessSender {
 public:
  QueuedSender(std::string name, const WitnessContext& ctx)
      : name_(std::move(name)), health_(name_, *ctx.metrics, ctx.audit) {}
  // Derived classes Stop() in their destructors: the thread calls their Deliver.
  ~QueuedSender() override = default;

  void Offer(const TreeHead& head) override {
    {
      std::lock_guard lock(mu_);
      if (KeepAll()) {
        if (queue_.size() >= kMaxQueuedHeads) queue_.pop_front();
      } else {
        queue_.clear();  // only the newest matters: it proves everything before it
      }
      queue_.push_back(head);
    }
    cv_.notify_all();
  }

  void Stop(int64_t drain_timeout_ns) override {
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        if (!thread_.joinable()) return;
      }
      stopping_ = true;
      deadline_ = std::chrono::steady_clock::now() + std::chrono::nanoseconds(drain_timeout_ns);
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }

 protected:
  virtual bool KeepAll() const = 0;
  // Delivers heads (oldest first); returns how many were delivered from the front, or an error
  // describing the failure (heads before it stay delivered).
  virtual Status Deliver(const std::vector<TreeHead>& heads, size_t* delivered) = 0;

  const std::string name_;
  WitnessHealth health_;

 private:
  void Run() {
    auto backoff = std::chrono::duration_cast<std::chrono::nanoseconds>(kFirstBackoff);
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() || (stopping_ && std::chrono::steady_clock::now() >= deadline_)) return;
      std::vector<TreeHead> batch(queue_.begin(), queue_.end());
      lock.unlock();
      size_t delivered = 0;
      Status s = Deliver(batch, &delivered);
      lock.lock();
      // Offer may have changed the queue meanwhile: drop what was delivered from its front.
      for (size_t i = 0; i < delivered && !queue_.empty(); ++i) {
        if (integrity::signing::HeadHash(queue_.front()) !=
            integrity::signing::HeadHash(batch[i])) {
          continue;
        }
        queue_.pop_front();
      }
      if (s.ok()) {
        health_.Succeeded(batch.back().tree_size);
        backoff = std::chrono::duration_cast<std::chrono::nanoseconds>(kFirstBackoff);
        continue;
      }
      health_.Failed(s.message());
      if (stopping_) return;  // no retries at shutdown beyond the one attempt
      cv_.wait_for(lock, backoff, [&] { return stopping_; });
      backoff =
          std::min(backoff * 2, std::chrono::duration_cast<std::chrono::nanoseconds>(kMaxBackoff));
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<TreeHead> queue_;
  bool stopping_ = false;
  SteadyTime deadline_;
  std::thread thread_;
};

// FILE: every head, one JSON line each, fdatasynced.
class FileWitness final : public QueuedSender {
 public:
  FileWitness(std::string path, const WitnessContext& ctx)
      : QueuedSender(path, ctx), fs_(*ctx.fs), path_(std::move(path)) {}
  ~FileWitness() override { Stop(0); }  // before this object's Deliver is gone

 protected:
  bool KeepAll() const override { return true; }

  Status Deliver(const std::vector<TreeHead>& heads, size_t* delivered) override {
    if (!file_) {
      auto f = fs_.OpenAppendable(path_);
      if (!f.ok()) return f.status();
      file_ = std::move(*f);
    }
    std::string lines;
    for (const TreeHead& h : heads) lines += HeadJsonLine(h) + "\n";
    const uint64_t before = file_->Size();
    Status s = file_->Append(lines);
    if (s.ok()) s = file_->Sync();
    if (!s.ok()) {
      // Cut a partial line so the file stays one head per line; reopen next time.
      (void)file_->Truncate(before);
      file_.reset();
      return s;
    }
    *delivered = heads.size();
    return Status::Ok();
  }

 private:
  Fs& fs_;
  const std::string path_;
  std::unique_ptr<WritableFile> file_;
};

// URL: the newest head and a consistency proof, POSTed to URL/witness.
class HttpWitness final : public QueuedSender {
 public:
  HttpWitness(std::string url, std::string base, std::string path, const WitnessContext& ctx)
      : QueuedSender(std::move(url), ctx),
        base_(std::move(base)),
        path_(std::move(path)),
        fs_(*ctx.fs),
        tiles_(*ctx.tiles),
        journal_dir_(ctx.journal_dir),
        log_(ctx.log_fingerprint) {}
  ~HttpWitness() override { Stop(0); }  // before this object's Deliver is gone

 protected:
  bool KeepAll() const override { return false; }

  Status Deliver(const std::vector<TreeHead>& heads, size_t* delivered) override {
    const TreeHead& head = heads.back();
    httplib::Client client(base_);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(10, 0);
    client.set_write_timeout(10, 0);
    // A 409 tells the witness's size; resend once from it (twice if it moved meanwhile).
    for (int attempt = 0; attempt < 3; ++attempt) {
      WitnessSubmission sub;
      sub.log = log_;
      sub.head = head;
      sub.old_size = known_size_;
      if (known_size_ > head.tree_size) {
        return Status::DataLoss("witness holds a tree of " + std::to_string(known_size_) +
                                " records, more than this server's " +
                                std::to_string(head.tree_size) + ": was this log rolled back?");
      }
      if (known_size_ > 0 && known_size_ < head.tree_size) {
        integrity::TreeReader reader(tiles_, JournalLeafSource(fs_, journal_dir_));
        auto proof = reader.ConsistencyProof(known_size_, head.tree_size);
        if (!proof.ok()) return proof.status();
        sub.proof = std::move(*proof);
      }
      httplib::Result res = client.Post(path_.c_str(), EncodeSubmission(sub), "application/json");
      if (!res) {
        return Status::Unavailable("POST " + base_ + path_ + ": " +
                                   httplib::to_string(res.error()));
      }
      if (res->status == 200) {
        known_size_ = head.tree_size;
        *delivered = heads.size();
        return Status::Ok();
      }
      nlohmann::json j = nlohmann::json::parse(res->body, nullptr, false);
      if (res->status == 409 && j.is_object() && j.contains("latest_size") &&
          j["latest_size"].is_number_unsigned()) {
        known_size_ = j["latest_size"].get<uint64_t>();
        continue;
      }
      std::string what = j.is_object() && j.contains("error") && j["error"].is_string()
                             ? j["error"].get<std::string>()
                             : "";
      std::string detail = j.is_object() && j.contains("detail") && j["detail"].is_string()
                               ? j["detail"].get<std::string>()
                               : res->body.substr(0, 300);
      std::string msg = "witness refused the head of tree size ";
      msg += std::to_string(head.tree_size);
      msg += " (HTTP ";
      msg += std::to_string(res->status);
      if (!what.empty()) msg += " " + what;
      msg += "): ";
      msg += detail;
      return Status::Unavailable(std::move(msg));
    }
    return Status::Unavailable("witness kept answering stale_size");
  }

 private:
  const std::string base_;
  const std::string path_;
  Fs& fs_;
  const integrity::TileStore& tiles_;
  const std::string journal_dir_;
  const std::string log_;
  uint64_t known_size_ = 0;  // the witness's latest size as far as we know
};

}  // namespace

WitnessHealth::WitnessHealth(std::string witness, Metrics& metrics, AuditSink audit)
    : witness_(std::move(witness)),
      errors_(metrics.GetCounter("kiroku_witness_errors_total",
                                 "Failed attempts to hand a signed tree head to a witness",
                                 {{"witness", witness_}})),
      audit_(std::move(audit)) {}

void WitnessHealth::Failed(const std::string& what) {
  errors_.Add();
  std::lock_guard lock(mu_);
  ++streak_;
  if (failing_) return;
  failing_ = true;
  spdlog::error("witness {}: {}; retrying with backoff", witness_, what);
  if (audit_) {
    audit_(AuditEvent{kAuditWitnessFailure,
                      kSeverityWarning,
                      {{"witness", witness_}, {"detail", what}},
                      "a witness did not take a signed tree head"});
  }
}

void WitnessHealth::Succeeded(uint64_t tree_size) {
  std::lock_guard lock(mu_);
  if (!failing_) return;
  failing_ = false;
  spdlog::info("witness {}: accepts heads again (tree size {}) after {} failed attempts", witness_,
               tree_size, streak_);
  if (audit_) {
    audit_(AuditEvent{kAuditWitnessRecovery,
                      kSeverityNotice,
                      {{"witness", witness_},
                       {"tree_size", std::to_string(tree_size)},
                       {"failed_attempts", std::to_string(streak_)}},
                      "a witness accepts signed tree heads again"});
  }
  streak_ = 0;
}

StatusOr<std::unique_ptr<WitnessSender>> MakeWitnessSender(const std::string& target,
                                                           const WitnessContext& ctx) {
  if (target.empty()) return Status::InvalidArgument("--witness: empty target");
  const bool http = target.rfind("http://", 0) == 0;
  if (target.rfind("https://", 0) == 0) {
    return Status::InvalidArgument("--witness " + target +
                                   ": https is not supported yet; use http:// over a trusted "
                                   "network or a FILE on other media");
  }
  if (http) {
    if (!ctx.tiles) return Status::InvalidArgument("--witness URL needs the Merkle tree");
    size_t host_begin = target.find("://") + 3;
    size_t slash = target.find('/', host_begin);
    std::string base = slash == std::string::npos ? target : target.substr(0, slash);
    std::string prefix = slash == std::string::npos ? "" : target.substr(slash);
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (base.size() == host_begin)
      return Status::InvalidArgument("--witness " + target + ": no host");
    auto w = std::make_unique<HttpWitness>(target, base, prefix + "/witness", ctx);
    w->Start();
    return std::unique_ptr<WitnessSender>(std::move(w));
  }
  // Open the file now so that a wrong path is an error at start, not a silent retry loop.
  auto probe = ctx.fs->OpenAppendable(target);
  if (!probe.ok()) return probe.status();
  auto w = std::make_unique<FileWitness>(target, ctx);
  w->Start();
  return std::unique_ptr<WitnessSender>(std::move(w));
}

}  // namespace kiroku::evidence
