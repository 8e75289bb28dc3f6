// Fs: the filesystem behind a small interface, in the manner of leveldb's Env.
//
// Storage code reaches the disk only through Fs, so tests can inject ENOSPC, EIO and short
// writes at exact operations (common/testing/fault_fs.h) and simulate a crash by dropping what
// was never synced. PosixFs is the real thing. Errors are Statuses carrying the path and the
// errno text; a missing file is kNotFound, everything else kIoError.
//
//   Fs& fs = PosixFs::Default();
//   auto f = fs.OpenAppendable("kiroku-data/journal/00000000000000000001.journal");
//   if (!f.ok()) return f.status();
//   KIROKU_RETURN_IF_ERROR((*f)->Append(frame));
//   KIROKU_RETURN_IF_ERROR((*f)->Sync());
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kiroku {

// A file opened for appending. Not thread-safe: one writer owns it.
class WritableFile {
 public:
  WritableFile() = default;
  virtual ~WritableFile() = default;
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;

  // Writes `data` at the end of the file. On error part of it may have reached the file;
  // Size() then says how much, and Truncate() takes it back.
  virtual Status Append(std::string_view data) = 0;
  // Writes the parts one after another, as one Append of their concatenation but without
  // copying them together (PosixFs uses pwritev).
  virtual Status AppendV(std::span<const std::string_view> parts);
  // fdatasync: everything appended so far survives a crash once this returns ok.
  virtual Status Sync() = 0;
  // Cuts (or extends with zeros) the file to `size`; later appends go after it.
  virtual Status Truncate(uint64_t size) = 0;
  // Bytes in the file as this handle wrote them, including part of a failed append.
  virtual uint64_t Size() const = 0;
  virtual Status Close() = 0;
  // Overwrites bytes at `offset` in place (pwrite on the same inode), for state whose old
  // contents must not survive in a renamed-away copy, such as a ratcheted key seed. Writing
  // past Size() extends the file. Not all implementations support it (kUnavailable).
  virtual Status WriteAt(uint64_t offset, std::string_view data);
};

// A file opened for positional reads. Thread-safe for concurrent Reads.
class RandomAccessFile {
 public:
  RandomAccessFile() = default;
  virtual ~RandomAccessFile() = default;
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;

  // Reads up to `n` bytes at `offset` into `buf`; returns how many were read (fewer only at
  // the end of the file, 0 past it).
  virtual StatusOr<size_t> Read(uint64_t offset, size_t n, char* buf) const = 0;
  // The file's size now (it may grow while a writer appends).
  virtual StatusOr<uint64_t> Size() const = 0;
};

class Fs {
 public:
  Fs() = default;
  virtual ~Fs() = default;
  Fs(const Fs&) = delete;
  Fs& operator=(const Fs&) = delete;

  // Creates `path` and missing parents (mode 0750); ok if it exists.
  virtual Status CreateDirs(const std::string& path) = 0;
  // Names of the entries in `dir`, without "." and "..", in no particular order.
  virtual StatusOr<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  virtual StatusOr<uint64_t> FileSize(const std::string& path) = 0;
  // Opens `path` for appending, creating it (mode 0640) if missing; writes go after its
  // current end.
  virtual StatusOr<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) = 0;
  virtual StatusOr<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // fsync of a directory, so that creations, renames and removals in it survive a crash.
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // Creates `path` with permission bits `mode` (O_CREAT | O_EXCL, so no moment exists at which
  // it has looser ones); kAlreadyExists if it exists. Implementations without it answer
  // kUnavailable.
  virtual StatusOr<std::unique_ptr<WritableFile>> CreateExclusive(const std::string& path,
                                                                  uint32_t mode);
  // The permission bits (st_mode & 07777) of a file or directory.
  virtual StatusOr<uint32_t> FileMode(const std::string& path);
  virtual Status SetFileMode(const std::string& path, uint32_t mode);
  // Replaces `path` with `data` all-or-nothing: writes path + ".tmp", syncs it, renames it
  // over `path`, syncs the directory. Built on the primitives above, so faults injected
  // there apply here too.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data);

  // Reads the whole of `path` (for small files; segments are read in chunks instead).
  StatusOr<std::string> ReadFile(const std::string& path);
};

class PosixFs final : public Fs {
 public:
  PosixFs() = default;
  // The process-wide instance.
  static PosixFs& Default();

  Status CreateDirs(const std::string& path) override;
  StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override;
  StatusOr<uint64_t> FileSize(const std::string& path) override;
  StatusOr<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) override;
  StatusOr<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;
  Status Remove(const std::string& path) override;
  StatusOr<std::unique_ptr<WritableFile>> CreateExclusive(const std::string& path,
                                                          uint32_t mode) override;
  StatusOr<uint32_t> FileMode(const std::string& path) override;
  Status SetFileMode(const std::string& path, uint32_t mode) override;
};

// "a/b/c" -> "a/b"; "c" -> ".".
std::string DirName(const std::string& path);
// "a/b" + "c" -> "a/b/c".
std::string JoinPath(const std::string& dir, const std::string& name);

}  // namespace kiroku
