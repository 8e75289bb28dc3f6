// DataDirLock: one writer per data directory. `kiroku serve` and `kiroku import` both append to
// the journal and extend the Merkle tree, so they must never run on the same DATA at once. The
// lock is an flock(2) on DATA/lock (which holds the owner's pid, for the message), released by
// the kernel when the process ends, so a kill -9 leaves nothing stale behind. Readers (search,
// verify, sources) do not take it.
//
//   auto lock = DataDirLock::Acquire("kiroku-data");
//   if (!lock.ok()) ...   // kUnavailable: "... is in use by process 4242 (a running kiroku
//   serve?)"
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace kiroku::cli {

class DataDirLock {
 public:
  // REQUIRES: data_dir exists. kUnavailable when another process holds it.
  static StatusOr<std::unique_ptr<DataDirLock>> Acquire(const std::string& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  static std::string LockPath(const std::string& data_dir);  // DATA/lock

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace kiroku::cli
