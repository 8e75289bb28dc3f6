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
#include "api/search_api.h"
#include "api/sources_api.h"
#include "cli/data_dir_lock.h"
#include "cli/store_pipeline.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "evidence/witness_keeper.h"
#include "ingest/ingest_context.h"
#include "ingest/relp_listener.h"
#include "ingest/stream_listener.h"
#include "ingest/udp_listener.h"
#include "integrity/hash.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/trust_anchor.h"
#include "normalize/all/normalizer.h"
#include "sealer/sealer.h"
#include "store/committer.h"
#include "syslog/zone_rules.h"
#include "timewatch/clock_watch.h"

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

int WriteNormalizeSettings(Fs& fs, const ServeConfig& cfg) {
  normalize::Settings settings;
  settings.internal_networks = cfg.internal_networks;
  settings.admins = cfg.admins;
  for (const NetfilterPrefix& p : cfg.netfilter_prefixes) {
    settings.netfilter_prefixes.push_back({p.contains, p.action, p.outcome});
  }
  if (!cfg.rules.empty()) {
    StatusOr<std::string> text = fs.ReadFile(cfg.rules);
    if (!text.ok()) {
      spdlog::error("--rules {}: {}", cfg.rules, text.status().ToString());
      return 2;
    }
    settings.rules_text = *text;
    settings.rules_origin = cfg.rules;
  }
  StatusOr<std::unique_ptr<normalize::Normalizer>> n = normalize::MakeNormalizer(settings);
  if (!n.ok()) {
    spdlog::error("normalisation settings: {}", n.status().message());
    return 2;
  }
  if (Status s = fs.WriteFileAtomic(JoinPath(cfg.data, "normalize.json"), settings.ToJson());
      !s.ok()) {
    spdlog::error("cannot write {}/normalize.json: {}", cfg.data, s.ToString());
    return 1;
  }
  spdlog::info("normalisation: {} internal networks, {} admins, {} user rules",
               settings.internal_networks.size(), settings.admins.size(),
               (*n)->rules().rules().size());
  return 0;
}

// SHA-256 over every setting, one "name=value" line each in table order, then the TOML-only
// tables: what the start audit record names, so a changed configuration is visible in the log.
std::string ConfigDigest(const ServeConfig& cfg) {
  std::string text;
  for (const OptionDef& o : ServeOptions()) text += std::string(o.name) + "=" + o.get(cfg) + "\n";
  for (const SourceZoneRule& r : cfg.sources) text += "source=" + r.match + " " + r.timezone + "\n";
  for (const NetfilterPrefix& p : cfg.netfilter_prefixes) {
    text += "netfilter_prefix=" + p.contains + "|" + p.action + "|" + p.outcome + "\n";
  }
  return integrity::Sha256(text).Hex();
}

// The path part after "/witness/" up to the next '/'.
std::string WitnessPathLog(const std::string& path) {
  constexpr std::string_view kPrefix = "/witness/";
  if (path.rfind(kPrefix, 0) != 0) return {};
  std::string rest = path.substr(kPrefix.size());
  return rest.substr(0, rest.find('/'));
}

// The clock watch's settings (docs/clock.md) from the serve options.
StatusOr<timewatch::ClockWatchOptions> ClockWatchOptionsFrom(const ServeConfig& cfg) {
  timewatch::ClockWatchOptions o;
  o.dir = JoinPath(cfg.data, "timewatch");
  o.estimator.window_ns = cfg.clock_window_ns;
  o.grouping = *timewatch::GroupingFromName(cfg.clock_source_key);
  o.thresholds.offset_ns = cfg.clock_offset_threshold_ns;
  o.thresholds.drift_ppm = cfg.clock_drift_threshold_ppm;
  o.thresholds.sync_max_age_ns = cfg.clock_sync_max_age_ns;
  o.thresholds.silent_after_ns = cfg.clock_silent_after_ns;
  for (const std::string& item : cfg.clock_silent_after_by) {
    const size_t eq = item.find('=');
    o.thresholds.silent_after_by[item.substr(0, eq)] = *ParseDuration(item.substr(eq + 1));
  }
  o.check_interval_ns = cfg.clock_check_interval_ns;
  o.notify = {cfg.clock_alert_webhook, cfg.clock_alert_syslog};
  KIROKU_RETURN_IF_ERROR(timewatch::Notifier::Validate(o.notify));
  return o;
}

api::HttpResponse ToHttp(const evidence::WitnessReply& r) {
  return api::HttpResponse{r.status, r.content_type, r.body};
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
  auto lock = DataDirLock::Acquire(cfg.data);
  if (!lock.ok()) {
    spdlog::error("{}", lock.status().message());
    return lock.status().code() == Status::Code::kUnavailable ? 2 : 1;
  }
  // The normalisation settings go into the data directory, so that `kiroku search --data` and
  // the sealer derive the same fields as this server without its config file.
  if (int rc = WriteNormalizeSettings(fs, cfg); rc != 0) return rc;

  // A sealing the last run did not finish: drop its temporary, and journal segments whose
  // sealed twin is complete (a stop between the rename and the removal).
  sealer::SealerOptions sopts;
  sopts.data_dir = cfg.data;
  if (Status s = sealer::RecoverSealing(fs, sopts); !s.ok()) {
    spdlog::error("sealer recovery in {}/segments: {}", cfg.data, s.ToString());
    return 1;
  }
  std::atomic<store::Committer*> committer_for_sealer{nullptr};  // set once the journal is open
  sopts.on_journal_removed = [&committer_for_sealer](uint64_t bytes) {
    if (store::Committer* c = committer_for_sealer.load()) c->SegmentRemoved(bytes);
  };
  sealer::Sealer sealer(fs, clock, metrics, sopts);

  // The clock watch (docs/clock.md) sees every committed record on the tree builder's thread.
  auto watch_options = ClockWatchOptionsFrom(cfg);
  if (!watch_options.ok()) {
    spdlog::error("clock watch: {}", watch_options.status().message());
    return 2;
  }
  auto watch_normalizer = normalize::LoadNormalizer(fs, cfg.data);
  if (!watch_normalizer.ok()) {
    spdlog::error("clock watch: {}", watch_normalizer.status().message());
    return 2;
  }
  integrity::signing::AdjtimexClockSync watch_sync;
  timewatch::ClockWatch watch(fs, clock, &metrics, watch_sync, std::move(*watch_options));
  watch.SetNormalizer(watch_normalizer->get());
  watch.SetZones(&zones);
  if (Status s = watch.Load(); !s.ok()) {
    spdlog::error("clock watch {}/timewatch: {}", cfg.data, s.ToString());
    return 1;
  }
  if (!cfg.integrity) spdlog::warn("--integrity false: the clock watch sees no records this run");

  // Keys, Merkle tree, journal, self-audit, signed heads and witnesses (cli/store_pipeline.h).
  StorePipelineOptions popts;
  popts.record_hook = watch.Observer();
  {
    const integrity::signing::ClockSyncState st = watch_sync.Read();
    popts.start_params = {{"clock_synced", st.synced ? "true" : "false"},
                          {"clock_max_error_us", std::to_string(st.max_error_us)},
                          {"clock_est_error_us", std::to_string(st.est_error_us)}};
  }
  popts.data = cfg.data;
  popts.integrity = cfg.integrity;
  popts.commit_interval_ns = cfg.commit_interval_ns;
  popts.queue_max_bytes = cfg.queue_max_bytes;
  popts.segment_max_bytes = cfg.segment_max_bytes;
  popts.segment_max_age_ns = cfg.seal_after_ns;
  if (cfg.seal) popts.on_rotated = [&sealer] { sealer.Wake(); };
  popts.sync = cfg.fsync;
  popts.witness = cfg.witness;
  popts.config_digest = ConfigDigest(cfg);
  int open_rc = 1;
  auto opened = StorePipeline::Open(fs, clock, metrics, popts, std::move(*lock), &open_rc);
  if (!opened.ok()) return open_rc;
  StorePipeline& pipeline = **opened;
  store::Committer* committer = &pipeline.committer();
  watch.SetAuditSink(pipeline.audit_sink());
  pipeline.AddBeforeShutdown([&watch] { watch.Stop(); });  // its last alerts before the stop record
  watch.Start();
  // Sealing runs beside ingest from here on; it reads only closed journal segments. At shutdown
  // a segment half sealed is abandoned (its journal copy stays) before anything else stops.
  committer_for_sealer = committer;
  if (cfg.seal) {
    pipeline.AddBeforeShutdown([&sealer] { sealer.Stop(); });
    if (Status s = sealer.Start(); !s.ok()) {
      spdlog::error("sealer: {}", s.ToString());
      pipeline.Abort();
      return 1;
    }
    spdlog::info(
        "sealer: journal segments close at {} or {} after their first record, then "
        "are sealed into {}/segments",
        FormatBytes(cfg.segment_max_bytes),
        cfg.seal_after_ns > 0 ? FormatDuration(cfg.seal_after_ns) : "never", cfg.data);
  } else {
    spdlog::warn("--seal false: journal segments are kept in the journal and not indexed");
  }

  // The witness side: heads other kirokus send to POST /witness.
  std::vector<integrity::signing::TrustAnchor> witnessed;
  for (const std::string& file : cfg.witness_anchors) {
    StatusOr<std::string> text = fs.ReadFile(file);
    StatusOr<integrity::signing::TrustAnchor> a =
        text.ok() ? integrity::signing::TrustAnchorFromJson(*text)
                  : StatusOr<integrity::signing::TrustAnchor>(text.status());
    if (!a.ok()) {
      spdlog::error("--witness-anchor {}: {}", file, a.status().message());
      pipeline.Abort();
      return 2;
    }
    witnessed.push_back(*a);
  }
  auto keeper = evidence::WitnessKeeper::Open(fs, cfg.data + "/witness", witnessed);
  if (!keeper.ok()) {
    spdlog::error("witness store {}/witness: {}", cfg.data, keeper.status().ToString());
    pipeline.Abort();
    return 1;
  }

  ingest::IngestLimits limits;
  limits.max_frame = cfg.max_frame_size;
  limits.udp_max_message = cfg.udp_max_message_size;
  limits.max_connections = cfg.max_connections;
  limits.idle_timeout_ns = cfg.idle_timeout_ns;
  ingest::IngestContext ctx(clock, zones, *committer, metrics, limits);

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
    pipeline.Abort();
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
    store::Committer* c = committer;
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
    api::RegisterSearchApi(*http, data_dir);  // GET /api/search (docs/api.md)
    api::RegisterSourcesApi(*http, [&watch] { return watch.SnapshotJson(); });
    evidence::WitnessKeeper* k = keeper->get();
    http->Post("/witness",
               [k](const api::HttpRequest& req) { return ToHttp(k->Submit(req.body)); });
    http->Get(R"(/witness/[^/]+/latest)", [k](const api::HttpRequest& req) {
      return ToHttp(k->Latest(WitnessPathLog(req.path)));
    });
    http->Get(R"(/witness/[^/]+/heads)", [k](const api::HttpRequest& req) {
      return ToHttp(k->Heads(WitnessPathLog(req.path)));
    });
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
  pipeline.Shutdown();
  spdlog::info("stopped; last durable seq {}", committer->last_durable().value);
  return 0;
}

}  // namespace kiroku::cli
