#include "verify/audit_inbox.h"

#include <unistd.h>

#include <ctime>
#include <nlohmann/json.hpp>

namespace kiroku::verify {

std::string Rfc3339(int64_t time_ns) {
  int64_t secs = time_ns / 1'000'000'000;
  int64_t nanos = time_ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --secs;
  }
  time_t t = static_cast<time_t>(secs);
  tm utc{};
  gmtime_r(&t, &utc);
  char buf[40];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string out = buf;
  if (nanos != 0) {
    char frac[16];
    snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

std::string DropAuditResult(Fs& fs, const Clock& clock, const std::string& data_dir,
                            const std::string& command, const std::string& result, int exit_code,
                            const std::string& detail) {
  const std::string dir = JoinPath(data_dir, "audit-inbox");
  if (!fs.CreateDirs(dir).ok()) return {};
  const int64_t now = clock.NowNs();
  nlohmann::ordered_json j;
  j["time"] = Rfc3339(now);
  j["command"] = command;
  j["result"] = result;
  j["exit_code"] = exit_code;
  j["detail"] = detail;
  std::string path = JoinPath(dir, std::to_string(now) + "-" + std::to_string(getpid()) + ".json");
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (!fs.WriteFileAtomic(path, text).ok()) {
    (void)fs.Remove(path + ".tmp");
    return {};
  }
  return path;
}

}  // namespace kiroku::verify
