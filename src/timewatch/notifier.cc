#include "timewatch/notifier.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

namespace kiroku::timewatch {

namespace {
struct Url {
  std::string base;  // scheme://host:port
  std::string path;
};

StatusOr<Url> ParseUrl(const std::string& url) {
  if (!url.starts_with("http://")) {
    return Status::InvalidArgument("webhook '" + url + "': expected http://HOST[:PORT]/PATH");
  }
  size_t slash = url.find('/', 7);
  Url u;
  u.base = slash == std::string::npos ? url : url.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : url.substr(slash);
  if (u.base.size() <= 7) return Status::InvalidArgument("webhook '" + url + "': no host");
  return u;
}

StatusOr<std::pair<std::string, std::string>> SplitHostPort(const std::string& a) {
  size_t colon = a.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == a.size()) {
    return Status::InvalidArgument("syslog target '" + a + "': expected HOST:PORT");
  }
  std::string host = a.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, a.substr(colon + 1));
}
}  // namespace

Notifier::Notifier(NotifierOptions options, Metrics* metrics) : options_(std::move(options)) {
  if (metrics) {
    sent_ = &metrics->GetCounter("kiroku_clock_notifications_total",
                                 "Clock-watch alerts sent to the webhook or syslog target");
    failed_ = &metrics->GetCounter("kiroku_clock_notify_failures_total",
                                   "Clock-watch alert notifications that could not be sent");
  }
}

Status Notifier::Validate(const NotifierOptions& o) {
  if (!o.webhook.empty()) {
    if (auto u = ParseUrl(o.webhook); !u.ok()) return u.status();
  }
  if (!o.syslog.empty()) {
    if (auto hp = SplitHostPort(o.syslog); !hp.ok()) return hp.status();
  }
  return Status::Ok();
}

void Notifier::Send(const Alert& alert) {
  auto count = [&](const Status& s, const char* what) {
    if (s.ok()) {
      if (sent_) sent_->Add();
    } else {
      if (failed_) failed_->Add();
      spdlog::warn("clock watch: cannot send alert {} to the {}: {}", alert.msgid(), what,
                   s.message());
    }
  };
  if (!options_.webhook.empty()) count(PostWebhook(alert.ToJson().dump()), "webhook");
  if (!options_.syslog.empty()) {
    evidence::AuditEvent e = alert.ToAuditEvent();
    count(SendSyslog(evidence::FormatAuditRecord(e, alert.at_ns, static_cast<int>(getpid()))),
          "syslog target");
  }
}

Status Notifier::PostWebhook(const std::string& body) {
  auto u = ParseUrl(options_.webhook);
  if (!u.ok()) return u.status();
  httplib::Client client(u->base);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(5, 0);
  client.set_write_timeout(5, 0);
  auto res = client.Post(u->path, body, "application/json");
  if (!res) return Status::Unavailable(httplib::to_string(res.error()));
  if (res->status / 100 != 2) {
    return Status::Unavailable("answered " + std::to_string(res->status));
  }
  return Status::Ok();
}

Status Notifier::SendSyslog(const std::string& line) {
  auto hp = SplitHostPort(options_.syslog);
  if (!hp.ok()) return hp.status();
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(hp->first.c_str(), hp->second.c_str(), &hints, &res); rc != 0) {
    return Status::Unavailable(gai_strerror(rc));
  }
  int fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  Status s = Status::Ok();
  if (fd < 0) {
    s = Status::IoErrorFromErrno("socket", errno);
  } else if (sendto(fd, line.data(), line.size(), 0, res->ai_addr, res->ai_addrlen) < 0) {
    s = Status::IoErrorFromErrno("sendto", errno);
  }
  if (fd >= 0) close(fd);
  freeaddrinfo(res);
  return s;
}

}  // namespace kiroku::timewatch
