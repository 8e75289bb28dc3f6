#include "common/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kiroku {
namespace {

// A missing file is an expected answer (callers probe with FileSize), not an I/O failure.
Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string msg = std::string(what) + " " + path;
  if (err == ENOENT) return Status::NotFound(msg + ": " + std::strerror(err));
  return Status::IoErrorFromErrno(msg, err);
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    std::string_view one[1] = {data};
    return AppendV(one);
  }

  // pwrite at our own idea of the end rather than O_APPEND or the fd offset: after Truncate
  // the next write must land exactly at the new end, never leave a hole.
  Status AppendV(std::span<const std::string_view> parts) override {
    if (fd_ < 0) return Status::IoError("append to closed file " + path_);
    std::vector<iovec> iov;
    iov.reserve(std::min<size_t>(parts.size(), IOV_MAX));
    size_t i = 0;
    size_t skip = 0;  // bytes of parts[i] already written
    while (i < parts.size()) {
      iov.clear();
      for (size_t j = i; j < parts.size() && iov.size() < IOV_MAX; ++j) {
        size_t off = j == i ? skip : 0;
        if (parts[j].size() == off) continue;
        iov.push_back({const_cast<char*>(parts[j].data()) + off, parts[j].size() - off});
      }
      if (iov.empty()) break;
      ssize_t n =
          ::pwritev(fd_, iov.data(), static_cast<int>(iov.size()), static_cast<off_t>(size_));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      if (n == 0) return Status::IoError("write " + path_ + ": no progress");
      size_ += static_cast<uint64_t>(n);
      // Advance (i, skip) past the n bytes written.
      size_t left = static_cast<size_t>(n);
      while (i < parts.size() && left >= parts[i].size() - skip) {
        left -= parts[i].size() - skip;
        skip = 0;
        ++i;
      }
      skip += left;
    }
    return Status::Ok();
  }

  Status Sync() override {
    if (fd_ < 0) return Status::IoError("sync of closed file " + path_);
    if (::fdatasync(fd_) != 0) return ErrnoStatus("fdatasync", path_, errno);
    return Status::Ok();
  }

  Status Truncate(uint64_t size) override {
    if (fd_ < 0) return Status::IoError("truncate of closed file " + path_);
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      return ErrnoStatus("ftruncate", path_, errno);
    }
    size_ = size;
    return Status::Ok();
  }

  uint64_t Size() const override { return size_; }

  Status WriteAt(uint64_t offset, std::string_view data) override {
    if (fd_ < 0) return Status::IoError("write to closed file " + path_);
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n =
          ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      if (n == 0) return Status::IoError("write " + path_ + ": no progress");
      done += static_cast<size_t>(n);
    }
    size_ = std::max<uint64_t>(size_, offset + data.size());
    return Status::Ok();
  }

  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return ErrnoStatus("close", path_, errno);
    return Status::Ok();
  }

 private:
  const std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  StatusOr<size_t> Read(uint64_t offset, size_t n, char* buf) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path_, errno);
      }
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return done;
  }

  StatusOr<uint64_t> Size() const override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return ErrnoStatus("stat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  const std::string path_;
  const int fd_;
};

}  // namespace

Status WritableFile::AppendV(std::span<const std::string_view> parts) {
  for (std::string_view p : parts) KIROKU_RETURN_IF_ERROR(Append(p));
  return Status::Ok();
}

Status WritableFile::WriteAt(uint64_t, std::string_view) {
  return Status::Unavailable("in-place writes not supported by this file");
}

StatusOr<std::unique_ptr<WritableFile>> Fs::CreateExclusive(const std::string& path, uint32_t) {
  return Status::Unavailable("CreateExclusive not supported for " + path);
}

StatusOr<uint32_t> Fs::FileMode(const std::string& path) {
  return Status::Unavailable("FileMode not supported for " + path);
}

Status Fs::SetFileMode(const std::string& path, uint32_t) {
  return Status::Unavailable("SetFileMode not supported for " + path);
}

Status Fs::WriteFileAtomic(const std::string& path, std::string_view data) {
  const std::string tmp = path + ".tmp";
  Status removed = Remove(tmp);
  if (!removed.ok() && removed.code() != Status::Code::kNotFound) return removed;
  auto file = OpenAppendable(tmp);
  if (!file.ok()) return file.status();
  KIROKU_RETURN_IF_ERROR((*file)->Append(data));
  KIROKU_RETURN_IF_ERROR((*file)->Sync());
  KIROKU_RETURN_IF_ERROR((*file)->Close());
  KIROKU_RETURN_IF_ERROR(Rename(tmp, path));
  return SyncDir(DirName(path));
}

StatusOr<std::string> Fs::ReadFile(const std::string& path) {
  auto file = OpenReadable(path);
  if (!file.ok()) return file.status();
  auto size = (*file)->Size();
  if (!size.ok()) return size.status();
  std::string out(*size, '\0');
  auto n = (*file)->Read(0, out.size(), out.data());
  if (!n.ok()) return n.status();
  out.resize(*n);
  return out;
}

PosixFs& PosixFs::Default() {
  static PosixFs fs;
  return fs;
}

Status PosixFs::CreateDirs(const std::string& path) {
  // mkdir each missing component with mode 0750 (evidence is not world-readable); existing
  // directories keep their mode.
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string part = path.substr(0, end);
    if (!part.empty() && ::mkdir(part.c_str(), 0750) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", part, errno);
    }
    if (end == std::string::npos) break;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
  if (!S_ISDIR(st.st_mode)) return Status::IoError("mkdir " + path + ": not a directory");
  return Status::Ok();
}

StatusOr<std::vector<std::string>> PosixFs::ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus("opendir", dir, errno);
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) return ErrnoStatus("readdir", dir, err);
  return names;
}

StatusOr<uint64_t> PosixFs::FileSize(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
  return static_cast<uint64_t>(st.st_size);
}

StatusOr<std::unique_ptr<WritableFile>> PosixFs::OpenAppendable(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = ErrnoStatus("stat", path, errno);
    ::close(fd);
    return s;
  }
  return std::unique_ptr<WritableFile>(
      new PosixWritableFile(path, fd, static_cast<uint64_t>(st.st_size)));
}

StatusOr<std::unique_ptr<RandomAccessFile>> PosixFs::OpenReadable(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
}

Status PosixFs::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return ErrnoStatus("rename " + from + " to", to, errno);
  }
  return Status::Ok();
}

Status PosixFs::SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("fsync", dir, err);
  return Status::Ok();
}

Status PosixFs::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return ErrnoStatus("unlink", path, errno);
  return Status::Ok();
}

StatusOr<std::unique_ptr<WritableFile>> PosixFs::CreateExclusive(const std::string& path,
                                                                 uint32_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists("create " + path + ": file exists");
    return ErrnoStatus("create", path, errno);
  }
  // The umask may have cleared bits the caller asked for; the caller's mode is the contract.
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    Status s = ErrnoStatus("chmod", path, errno);
    ::close(fd);
    return s;
  }
  return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd, 0));
}

StatusOr<uint32_t> PosixFs::FileMode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
  return static_cast<uint32_t>(st.st_mode & 07777);
}

Status PosixFs::SetFileMode(const std::string& path, uint32_t mode) {
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    return ErrnoStatus("chmod", path, errno);
  }
  return Status::Ok();
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace kiroku
