// FaultFs: an Fs over real files that fails chosen operations, for tests.
//
// It forwards to a base Fs (PosixFs by default, in a TempDir) and can make the Nth append,
// sync, truncate, open, rename, directory sync or in-place write (WriteAt) from now fail with
// an errno, optionally persisting only part of the write first (a short write), either once or
// until Heal(). It remembers each file's size at its last successful Sync, so a test can check
// that data was durable before it was acknowledged, or simulate a crash with
// DropUnsyncedData(). An event log ("append <path> <bytes>", "sync <path>", "write_at <path>
// <offset> <bytes>", plus the test's own Note()s) shows the order of operations across
// threads.
//
//   testing::TempDir dir;
//   testing::FaultFs fs;
//   fs.Fail(FaultFs::Op::kSync, /*nth=*/1, EIO);
//   ... run the code under test ...
//   fs.Heal();
#pragma once

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/fs.h"

namespace kiroku::testing {

class FaultFs final : public Fs {
 public:
  enum class Op { kAppend, kSync, kTruncate, kOpen, kRename, kSyncDir, kRemove, kWriteAt };

  explicit FaultFs(Fs& base = PosixFs::Default()) : base_(base) {}

  // The nth (1 = the next) operation of kind `op` fails with `err`. With `sticky`, every
  // later one of that kind fails too, until Heal(). For kAppend and kWriteAt, `keep` bytes of
  // the failing write reach the file first (a short or torn write).
  void Fail(Op op, int nth, int err, bool sticky = true, size_t keep = 0) {
    std::lock_guard lock(mu_);
    faults_[op] = Fault{count_[op] + nth, err, sticky, keep};
  }
  // Clears all faults: operations succeed again.
  void Heal() {
    std::lock_guard lock(mu_);
    faults_.clear();
    cv_.notify_all();
  }
  int count(Op op) const {
    std::lock_guard lock(mu_);
    auto it = count_.find(op);
    return it == count_.end() ? 0 : it->second;
  }
  int failures() const {
    std::lock_guard lock(mu_);
    return failures_;
  }
  // Size of `path` at its last successful Sync through this Fs (or when first opened).
  uint64_t SyncedSize(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = synced_.find(path);
    return it == synced_.end() ? 0 : it->second;
  }
  // A crash: every file written through this Fs loses what was appended after its last Sync.
  void DropUnsyncedData() {
    std::lock_guard lock(mu_);
    for (const auto& [path, size] : synced_) {
      auto f = base_.OpenAppendable(path);
      if (f.ok() && (*f)->Size() > size) (void)(*f)->Truncate(size);
    }
  }
  void Note(const std::string& event) {
    std::lock_guard lock(mu_);
    events_.push_back(event);
    cv_.notify_all();
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  // Waits until pred() holds, re-checking whenever an operation passes through this Fs (and
  // every millisecond, for state that changes elsewhere). False on timeout.
  bool WaitFor(const std::function<bool()>& pred,
               std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mu_);
    while (true) {
      lock.unlock();
      if (pred()) return true;
      lock.lock();
      if (std::chrono::steady_clock::now() >= deadline) return false;
      cv_.wait_for(lock, std::chrono::milliseconds(1));
    }
  }

  Status CreateDirs(const std::string& path) override { return base_.CreateDirs(path); }
  StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override {
    return base_.ListDir(dir);
  }
  StatusOr<uint64_t> FileSize(const std::string& path) override { return base_.FileSize(path); }
  StatusOr<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) override {
    if (Status s = Check(Op::kOpen, path, nullptr); !s.ok()) return s;
    auto f = base_.OpenAppendable(path);
    if (!f.ok()) return f.status();
    {
      // What was in the file before this Fs saw it counts as durable.
      std::lock_guard lock(mu_);
      synced_.emplace(path, (*f)->Size());
    }
    return std::unique_ptr<WritableFile>(new File(*this, path, std::move(*f)));
  }
  StatusOr<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override {
    return base_.OpenReadable(path);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    KIROKU_RETURN_IF_ERROR(Check(Op::kRename, from, nullptr));
    KIROKU_RETURN_IF_ERROR(base_.Rename(from, to));
    std::lock_guard lock(mu_);
    if (auto it = synced_.find(from); it != synced_.end()) {
      synced_[to] = it->second;
      synced_.erase(it);
    }
    return Status::Ok();
  }
  Status SyncDir(const std::string& dir) override {
    KIROKU_RETURN_IF_ERROR(Check(Op::kSyncDir, dir, nullptr));
    return base_.SyncDir(dir);
  }
  Status Remove(const std::string& path) override {
    KIROKU_RETURN_IF_ERROR(Check(Op::kRemove, path, nullptr));
    std::lock_guard lock(mu_);
    synced_.erase(path);
    return base_.Remove(path);
  }
  // Counts as an open (Op::kOpen).
  StatusOr<std::unique_ptr<WritableFile>> CreateExclusive(const std::string& path,
                                                          uint32_t mode) override {
    if (Status s = Check(Op::kOpen, path, nullptr); !s.ok()) return s;
    auto f = base_.CreateExclusive(path, mode);
    if (!f.ok()) return f.status();
    {
      std::lock_guard lock(mu_);
      synced_[path] = 0;
    }
    return std::unique_ptr<WritableFile>(new File(*this, path, std::move(*f)));
  }
  StatusOr<uint32_t> FileMode(const std::string& path) override { return base_.FileMode(path); }
  Status SetFileMode(const std::string& path, uint32_t mode) override {
    return base_.SetFileMode(path, mode);
  }

 private:
  struct Fault {
    int at = 0;  // fails when count_[op] reaches this
    int err = 0;
    bool sticky = false;
    size_t keep = 0;
  };

  class File final : public WritableFile {
   public:
    File(FaultFs& fs, std::string path, std::unique_ptr<WritableFile> base)
        : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}
    Status Append(std::string_view data) override {
      size_t keep = 0;
      if (Status s = fs_.Check(Op::kAppend, path_, &keep); !s.ok()) {
        if (keep > 0) (void)base_->Append(data.substr(0, std::min(keep, data.size())));
        return s;
      }
      fs_.Note("append " + path_ + " " + std::to_string(data.size()));
      return base_->Append(data);
    }
    // One fault decision for the whole vector, as for one pwritev.
    Status AppendV(std::span<const std::string_view> parts) override {
      std::string all;
      for (std::string_view p : parts) all += p;
      return Append(all);
    }
    Status Sync() override {
      KIROKU_RETURN_IF_ERROR(fs_.Check(Op::kSync, path_, nullptr));
      KIROKU_RETURN_IF_ERROR(base_->Sync());
      std::lock_guard lock(fs_.mu_);
      fs_.synced_[path_] = base_->Size();
      fs_.events_.push_back("sync " + path_);
      fs_.cv_.notify_all();
      return Status::Ok();
    }
    Status Truncate(uint64_t size) override {
      KIROKU_RETURN_IF_ERROR(fs_.Check(Op::kTruncate, path_, nullptr));
      KIROKU_RETURN_IF_ERROR(base_->Truncate(size));
      std::lock_guard lock(fs_.mu_);
      auto& synced = fs_.synced_[path_];
      synced = std::min(synced, size);
      return Status::Ok();
    }
    uint64_t Size() const override { return base_->Size(); }
    Status Close() override { return base_->Close(); }
    // A failing in-place write with `keep` > 0 writes that many bytes first (a torn write).
    Status WriteAt(uint64_t offset, std::string_view data) override {
      size_t keep = 0;
      if (Status s = fs_.Check(Op::kWriteAt, path_, &keep); !s.ok()) {
        if (keep > 0) (void)base_->WriteAt(offset, data.substr(0, std::min(keep, data.size())));
        return s;
      }
      fs_.Note("write_at " + path_ + " " + std::to_string(offset) + " " +
               std::to_string(data.size()));
      return base_->WriteAt(offset, data);
    }

   private:
    FaultFs& fs_;
    const std::string path_;
    std::unique_ptr<WritableFile> base_;
  };

  // Counts the operation and decides whether it fails.
  Status Check(Op op, const std::string& path, size_t* keep) {
    std::lock_guard lock(mu_);
    int n = ++count_[op];
    cv_.notify_all();
    auto it = faults_.find(op);
    if (it == faults_.end()) return Status::Ok();
    const Fault& f = it->second;
    if (n < f.at || (n > f.at && !f.sticky)) return Status::Ok();
    ++failures_;
    if (keep != nullptr) *keep = f.keep;
    events_.push_back("fail " + path);
    return Status::IoErrorFromErrno("injected fault on " + path, f.err);
  }

  Fs& base_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<Op, Fault> faults_;
  std::map<Op, int> count_;
  std::map<std::string, uint64_t> synced_;
  std::vector<std::string> events_;
  int failures_ = 0;
};

}  // namespace kiroku::testing
