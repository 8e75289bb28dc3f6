#include "evidence/audit_log.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "common/record.h"
#include "syslog/parser.h"

namespace kiroku::evidence {

namespace {

// RFC 5424 section 6.3.3: inside PARAM-VALUE, '"', '\' and ']' are escaped with '\'.
std::string EscapeSdValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    // Control characters would end the record for line-based readers; show them instead.
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

std::string Rfc3339Micros(int64_t ns) {
  time_t secs = static_cast<time_t>(ns / 1'000'000'000);
  int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof buf - n, ".%06dZ", static_cast<int>(frac / 1000));
  return buf;
}

constexpr size_t kMaxReportBytes = size_t{64} * 1024;
constexpr size_t kMaxDetailBytes = 4096;

}  // namespace

std::string FormatAuditRecord(const AuditEvent& e, int64_t time_ns, int pid) {
  std::string out = "<" + std::to_string(kAuditFacility * 8 + e.severity) + ">1 " +
                    Rfc3339Micros(time_ns) + " " + kAuditHost + " kiroku " + std::to_string(pid) +
                    " " + (e.msgid.empty() ? "-" : e.msgid) + " ";
  if (e.params.empty()) {
    out += "-";
  } else {
    out += std::string("[") + kAuditSdId;
    for (const auto& [k, v] : e.params) out += " " + k + "=\"" + EscapeSdValue(v) + "\"";
    out += "]";
  }
  if (!e.message.empty()) out += " " + e.message;
  return out;
}

StatusOr<AuditEvent> VerifyReportEvent(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("not a JSON object");
  }
  auto str = [&](const char* k) -> std::optional<std::string> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  std::optional<std::string> time = str("time");
  std::optional<std::string> result = str("result");
  auto code = j.find("exit_code");
  if (!time || !result || code == j.end() || !code->is_number_integer()) {
    return Status::InvalidArgument("needs string fields time and result and integer exit_code");
  }
  int exit_code = code->get<int>();
  std::string detail = str("detail").value_or("");
  if (detail.size() > kMaxDetailBytes) detail.resize(kMaxDetailBytes);
  AuditEvent e;
  e.msgid = kAuditVerify;
  e.severity = exit_code == 0 ? kSeverityNotice : kSeverityError;
  e.params = {{"time", *time}, {"result", *result}, {"exit_code", std::to_string(exit_code)}};
  if (std::optional<std::string> cmd = str("command")) e.params.emplace_back("command", *cmd);
  e.params.emplace_back("detail", detail);
  e.message = "kiroku verify: " + *result + " (exit " + std::to_string(exit_code) + ")";
  return e;
}

AuditLog::AuditLog(Fs& fs, const Clock& clock, store::Committer& committer, std::string inbox_dir)
    : fs_(fs),
      clock_(clock),
      committer_(committer),
      inbox_dir_(std::move(inbox_dir)),
      pid_(static_cast<int>(getpid())) {
  (void)zones_.SetDefault("UTC");  // audit timestamps always carry Z
}

AuditLog::~AuditLog() { Stop(); }

Status AuditLog::Start() {
  KIROKU_RETURN_IF_ERROR(fs_.CreateDirs(inbox_dir_));
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void AuditLog::Write(AuditEvent event) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(event));
  }
  cv_.notify_one();
}

Status AuditLog::WriteNow(AuditEvent event) {
  std::lock_guard submit(submit_mu_);
  std::vector<AuditEvent> events;
  {
    std::lock_guard lock(mu_);
    events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
  }
  events.push_back(std::move(event));
  return Submit(events);
}

Status AuditLog::Submit(const std::vector<AuditEvent>& events) {
  if (events.empty()) return Status::Ok();
  store::RecordBatch batch;
  std::vector<std::string> texts;
  texts.reserve(events.size());
  for (const AuditEvent& e : events) {
    const int64_t now = clock_.NowNs();
    texts.push_back(FormatAuditRecord(e, now, pid_));
    RecordView r;
    r.receive_time_ns = now;
    r.transport = Transport::kInternal;
    r.raw = texts.back();
    r.original_length = static_cast<uint32_t>(r.raw.size());
    r.header = syslog::ParseSyslog(r.raw, now, zones_, r.peer);
    if (r.header.parse_error) r.flags |= kFlagParseError;
    batch.Add(r);
  }
  return committer_.SubmitAndWait(batch);
}

StatusOr<int> AuditLog::PollInbox() {
  StatusOr<std::vector<std::string>> names = fs_.ListDir(inbox_dir_);
  if (!names.ok()) {
    if (names.status().code() == Status::Code::kNotFound) return 0;
    return names.status();
  }
  std::vector<std::string> reports;
  for (const std::string& n : *names) {
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0 && n[0] != '.') {
      reports.push_back(n);
    }
  }
  std::sort(reports.begin(), reports.end());
  int done = 0;
  for (const std::string& name : reports) {
    const std::string path = JoinPath(inbox_dir_, name);
    StatusOr<uint64_t> size = fs_.FileSize(path);
    StatusOr<std::string> text =
        size.ok() && *size > kMaxReportBytes
            ? StatusOr<std::string>(Status::InvalidArgument("larger than 64 KiB"))
            : fs_.ReadFile(path);
    AuditEvent e;
    if (text.ok()) {
      StatusOr<AuditEvent> parsed = VerifyReportEvent(*text);
      if (parsed.ok()) {
        e = std::move(*parsed);
      } else {
        text = parsed.status();
      }
    }
    if (!text.ok()) {
      if (text.status().code() == Status::Code::kNotFound) continue;  // removed meanwhile
      e.msgid = kAuditVerify;
      e.severity = kSeverityWarning;
      e.params = {
          {"result", "invalid-report"}, {"file", name}, {"detail", text.status().message()}};
      e.message = "unreadable verification report in the audit inbox";
    }
    e.params.emplace_back("report", name);
    {
      std::lock_guard submit(submit_mu_);
      KIROKU_RETURN_IF_ERROR(Submit({e}));
    }
    if (Status s = fs_.Remove(path); !s.ok()) {
      spdlog::warn("audit inbox: recorded {} but cannot remove it: {}", path, s.ToString());
    }
    ++done;
  }
  if (done > 0) (void)fs_.SyncDir(inbox_dir_);
  return done;
}

void AuditLog::Run() {
  auto next_poll = std::chrono::steady_clock::now();
  for (;;) {
    std::vector<AuditEvent> events;
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_poll, [&] { return stopping_ || !queue_.empty(); });
      events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
      stopping = stopping_;
    }
    if (!events.empty()) {
      std::lock_guard submit(submit_mu_);
      if (Status s = Submit(events); !s.ok()) {
        spdlog::error("self-audit: {} record(s) could not be written: {}", events.size(),
                      s.ToString());
      }
    }
    if (stopping) return;
    if (std::chrono::steady_clock::now() >= next_poll) {
      if (StatusOr<int> n = PollInbox(); !n.ok()) {
        spdlog::warn("audit inbox {}: {}", inbox_dir_, n.status().ToString());
      }
      next_poll = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
  }
}

void AuditLog::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kiroku::evidence
