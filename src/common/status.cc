#include "common/status.h"

#include <cstring>

namespace kiroku {

Status Status::IoErrorFromErrno(std::string_view what, int err) {
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(err);
  return {Code::kIoError, std::move(msg)};
}

std::string Status::ToString() const {
  const char* name = "ok";
  switch (code_) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      name = "invalid argument";
      break;
    case Code::kNotFound:
      name = "not found";
      break;
    case Code::kIoError:
      name = "I/O error";
      break;
    case Code::kCorruption:
      name = "corruption";
      break;
    case Code::kDataLoss:
      name = "data loss";
      break;
    case Code::kUnavailable:
      name = "unavailable";
      break;
    case Code::kAlreadyExists:
      name = "already exists";
      break;
    case Code::kPermissionDenied:
      name = "permission denied";
      break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace kiroku
