#include "cli/serve.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

#include "api/http_server.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "ingest/ingest_context.h"
#include "ingest/relp_listener.h"
#include "ingest/stream_listener.h"
#include "ingest/udp_listener.h"
#include "query/search.h"
#include "store/committer.h"
#include "syslog/zone_rules.h"

namespace kiroku::cli {

namespace {

constexpr auto kShutdownDeadline = std::chrono::seconds(30);

// Thousands of sender connections need file descriptors: take all the hard limit allows.
void RaiseFileLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

bool On(const std::string& address) { return !address.empty() && address != "off"; }

// GET /api/search?q=&since=&until=&format=&count=&limit= : the same engine as the CLI.
api::HttpResponse SearchOverHttp(const std::string& data_dir, const api::HttpRequest& req) {
  auto param = [&](const char* k) {
    auto it = req.params.find(k);
    return it == req.params.end() ? std::string() : it->second;
  };
  query::SearchRequest sr;
  sr.data_dir = data_dir;
  sr.query = param("q");
  sr.since = param("since");
  sr.until = param("until");
  std::string format = param("format").empty() ? "json" : param("format");
  auto f = query::OutputFormatFromName(format);
  if (!f) return {400, "text/plain; charset=utf-8", "format: expected table, json or csv\n"};
  sr.format = *f;
  sr.count = param("count") == "true" || param("count") == "1";
  if (!param("limit").empty()) {
    try {
      sr.limit = std::stoull(param("limit"));
    } catch (const std::exception&) {
      return {400, "text/plain; charset=utf-8", "limit: expected a whole number\n"};
    }
  }
  std::ostringstream out;
  std::ostringstream err;
  Status s = query::Search(sr, PosixFs::Default(), RealClock::Instance(), out, err);
  if (!s.ok()) {
    int code = s.code() == Status::Code::kInvalidArgument ? 400 : 500;
    return {code, "text/plain; charset=utf-8", s.message() + "\n"};
  }
  const char* type = sr.format == query::OutputFormat::kJson  ? "application/x-ndjson"
                     : sr.format == query::OutputFormat::kCsv ? "text/csv; charset=utf-8"
                                                              : "text/plain; charset=utf-8";
  return {200, type, out.str()};
}

}  // namespace

int RunServe(const ServeConfig& cfg) {
  RaiseFileLimit();
  const Clock& clock = RealClock::Instance();
  PosixFs fs;
  Metrics metrics;

  syslog::ZoneRules zones;
  if (Status s = zones.SetDefault(cfg.timezone); !s.ok()) {
    spdlog::error("--timezone: {}", s.message());
    return 2;
  }
  for (const auto& rule : cfg.sources) {
    if (Status s = zones.Add(rule.match, rule.timezone); !s.ok()) {
      spdlog::error("[[source]] match={}: {}", rule.match, s.message());
      return 2;
    }
  }

  if (Status s = fs.CreateDirs(cfg.data); !s.ok()) {
    spdlog::error("cannot create data directory {}: {}", cfg.data, s.ToString());
    return 1;
  }
  store::CommitterOptions copts;
  copts.journal_dir = cfg.data + "/journal";
  copts.commit_interval_ns = cfg.commit_interval_ns;
  copts.queue_max_bytes = cfg.queue_max_bytes;
  copts.segment_max_bytes = cfg.segment_max_bytes;
  copts.sync = cfg.fsync;
  auto committer = store::Committer::Open(fs, clock, metrics, copts);
  if (!committer.ok()) {
    spdlog::error("cannot open the journal in {}: {}", copts.journal_dir,
                  committer.status().ToString());
    return 1;
  }
  spdlog::info("journal {} open; next record gets seq {}", copts.journal_dir,
               (*committer)->last_durable().value + 1);

  ingest::IngestLimits limits;
  limits.max_frame = cfg.max_frame_size;
  limits.udp_max_message = cfg.udp_max_message_size;
  limits.max_connections = cfg.max_connections;
  limits.idle_timeout_ns = cfg.idle_timeout_ns;
  ingest::IngestContext ctx(clock, zones, **committer, metrics, limits);

  asio::io_context io(1);
  std::optional<ingest::UdpListener> udp;
  std::optional<ingest::StreamListener> tcp;
  std::optional<ingest::StreamListener> tls;
  std::optional<ingest::RelpListener> relp;
  std::optional<api::HttpServer> http;
  ingest::TlsOptions tls_options{cfg.tls_cert, cfg.tls_key, cfg.tls_ca,
                                 cfg.tls_allowed_fingerprints};

  auto fail = [&](const Status& s) {
    spdlog::error("{}", s.message());
    if (relp) relp->Stop();
    if (http) http->Stop();
    (*committer)->Stop();
    return 1;
  };

  if (On(cfg.syslog_udp)) {
    udp.emplace(
        io, ctx,
        ingest::UdpListenerOptions{cfg.syslog_udp, static_cast<int>(cfg.udp_receive_buffer)});
    if (Status s = udp->Listen(); !s.ok()) return fail(s);
    spdlog::info("listening on syslog-udp {}", udp->bound());
  }
  if (On(cfg.syslog_tcp)) {
    tcp.emplace(io, ctx,
                ingest::StreamListenerOptions{"syslog-tcp", Transport::kTcp, cfg.syslog_tcp});
    if (Status s = tcp->Listen(); !s.ok()) return fail(s);
    spdlog::info("listening on syslog-tcp {}", tcp->bound());
  }
  if (On(cfg.syslog_tls)) {
    tls.emplace(
        io, ctx,
        ingest::StreamListenerOptions{"syslog-tls", Transport::kTls, cfg.syslog_tls, &tls_options});
    if (Status s = tls->Listen(); !s.ok()) return fail(s);
    spdlog::info("listening on syslog-tls {}{}", tls->bound(),
                 cfg.tls_ca.empty() ? "" : " (client certificates required)");
  }
  if (On(cfg.relp)) {
    relp.emplace(ctx, ingest::RelpListenerOptions{cfg.relp});
    if (Status s = relp->Start(); !s.ok()) return fail(s);
    spdlog::info("listening on relp {}", relp->bound());
  }
  if (On(cfg.http)) {
    http.emplace(api::HttpServerOptions{cfg.http});
    store::Committer* c = committer->get();
    http->Get("/healthz", [c](const api::HttpRequest&) {
      if (c->writable()) return api::HttpResponse{200, "text/plain; charset=utf-8", "ok\n"};
      return api::HttpResponse{503, "text/plain; charset=utf-8",
                               "journal not writable (see the server log)\n"};
    });
    http->Get("/metrics", [&metrics](const api::HttpRequest&) {
      return api::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                               metrics.RenderPrometheus()};
    });
    std::string data_dir = cfg.data;
    http->Get("/api/search",
              [data_dir](const api::HttpRequest& req) { return SearchOverHttp(data_dir, req); });
    if (Status s = http->Start(); !s.ok()) return fail(s);
    spdlog::info("listening on http {}", http->bound());
  }

  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::atomic<bool> shutting_down{false};
  signals.async_wait([&](const asio::error_code& ec, int signo) {
    if (ec) return;
    shutting_down = true;
    spdlog::info("signal {}: shutting down", signo);
    // If draining hangs (a journal that stays unwritable), do not hang forever.
    std::thread([] {
      std::this_thread::sleep_for(kShutdownDeadline);
      spdlog::error("shutdown did not finish within {} s; exiting without it",
                    kShutdownDeadline.count());
      spdlog::default_logger()->flush();
      _exit(1);
    }).detach();
    if (udp) udp->Stop();
    if (tcp) tcp->Stop();
    if (tls) tls->Stop();
    io.stop();
  });

  spdlog::info("kiroku serve ready (data {})", cfg.data);
  io.run();

  if (relp) relp->Stop();
  if (http) http->Stop();
  (*committer)->Stop();
  spdlog::info("stopped; last durable seq {}", (*committer)->last_durable().value);
  return 0;
}

}  // namespace kiroku::cli
