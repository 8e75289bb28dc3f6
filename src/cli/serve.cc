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
#include "evidence/audit_log.h"
#include "evidence/head_issuer.h"
#include "evidence/journal_leaves.h"
#include "evidence/key_setup.h"
#include "evidence/tree_builder.h"
#include "evidence/witness_keeper.h"
#include "evidence/witness_sender.h"
#include "ingest/ingest_context.h"
#include "ingest/relp_listener.h"
#include "ingest/stream_listener.h"
#include "ingest/udp_listener.h"
#include "integrity/hash.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/head_store.h"
#include "integrity/signing/key_state.h"
#include "integrity/signing/trust_anchor.h"
#include "normalize/all/normalizer.h"
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

constexpr char kVersion[] = "0.1.0";
constexpr int64_t kFinalTreeWaitNs = 10'000'000'000;
constexpr int64_t kWitnessDrainNs = 3'000'000'000;

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
  // The normalisation settings go into the data directory, so that `kiroku search --data` and
  // the sealer derive the same fields as this server without its config file.
  if (int rc = WriteNormalizeSettings(fs, cfg); rc != 0) return rc;

  // Tamper evidence: keys first, so a key problem stops the server before it touches the log.
  integrity::signing::AdjtimexClockSync clock_sync;
  std::unique_ptr<integrity::signing::KeyState> keys;
  std::unique_ptr<evidence::TreeBuilder> tree;
  integrity::TileRecovery tile_recovery;
  if (cfg.integrity) {
    bool created = false;
    auto k = evidence::OpenOrInitKeys(fs, cfg.data, clock, &created);
    if (!k.ok()) {
      spdlog::error("signing keys: {}", k.status().message());
      return k.status().code() == Status::Code::kPermissionDenied ? 2 : 1;
    }
    keys = std::move(*k);
    if (created) {
      spdlog::warn("created signing keys in {}; trust anchor fingerprint {}",
                   evidence::KeysDir(cfg.data), evidence::AnchorFingerprintText(*keys));
      spdlog::warn(
          "copy {} somewhere the server cannot write, and keep the fingerprint: "
          "`kiroku verify --anchor` checks the log against it",
          evidence::AnchorPath(cfg.data));
    } else {
      spdlog::info("signing keys {} open (epoch {}); trust anchor fingerprint {}",
                   evidence::KeysDir(cfg.data), keys->epoch().value,
                   evidence::AnchorFingerprintText(*keys));
    }
    auto t = evidence::TreeBuilder::Open(fs, cfg.data + "/merkle", cfg.data + "/journal",
                                         &tile_recovery);
    if (!t.ok()) {
      spdlog::error("cannot open the Merkle tiles in {}/merkle: {}", cfg.data,
                    t.status().ToString());
      return 1;
    }
    tree = std::move(*t);
    spdlog::info(
        "merkle tiles {}/merkle open: cover {} leaves; recovery cut {} torn bytes, "
        "dropped {} unbacked and recomputed {} lagging entries",
        cfg.data, tree->tiles().Coverage(), tile_recovery.torn_bytes_dropped,
        tile_recovery.unbacked_dropped, tile_recovery.recomputed);
  } else {
    spdlog::warn(
        "--integrity false: no Merkle tree and no signed tree heads for this run "
        "(for measuring only); the records are hashed at the next start with it on");
  }

  store::CommitterOptions copts;
  copts.journal_dir = cfg.data + "/journal";
  copts.commit_interval_ns = cfg.commit_interval_ns;
  copts.queue_max_bytes = cfg.queue_max_bytes;
  copts.segment_max_bytes = cfg.segment_max_bytes;
  copts.sync = cfg.fsync;
  if (tree) copts.on_committed = tree->Observer();
  auto committer = store::Committer::Open(fs, clock, metrics, copts);
  if (!committer.ok()) {
    spdlog::error("cannot open the journal in {}: {}", copts.journal_dir,
                  committer.status().ToString());
    return 1;
  }
  spdlog::info("journal {} open; next record gets seq {}", copts.journal_dir,
               (*committer)->last_durable().value + 1);

  const uint64_t journal_records = (*committer)->last_durable().value;
  evidence::TreeStartReport tree_report;
  std::unique_ptr<integrity::signing::HeadStore> heads;
  std::vector<std::string> head_notes;
  if (tree) {
    if (Status s = tree->Start(journal_records, &tree_report); !s.ok()) {
      spdlog::error("merkle tree: {}", s.message());
      (*committer)->Stop();
      return 1;
    }
    spdlog::info(
        "merkle tree restored: {} leaves, {} from stored tiles, {} leaves recomputed "
        "from the journal",
        journal_records, tree_report.restore_base, tree_report.leaves_recomputed);
    auto h = integrity::signing::HeadStore::Open(fs, evidence::HeadsDir(cfg.data), &head_notes);
    if (!h.ok()) {
      spdlog::error("cannot open the signed tree heads in {}: {}", evidence::HeadsDir(cfg.data),
                    h.status().ToString());
      (*committer)->Stop();
      return 1;
    }
    heads = std::move(*h);
    for (const std::string& n : head_notes) spdlog::warn("heads: {}", n);
    if (const auto& latest = heads->latest()) {
      Status s = evidence::CheckTreeExtendsHead(*latest, tree->size(), tree->tiles(),
                                                evidence::JournalLeafSource(fs, copts.journal_dir));
      if (!s.ok()) {
        spdlog::error("{}", s.message());
        (*committer)->Stop();
        return 1;
      }
    }
  }

  // Self-audit: the server's own actions become records of the log.
  evidence::AuditLog audit(fs, clock, **committer, cfg.data + "/audit-inbox");
  evidence::AuditSink audit_sink = [&audit](evidence::AuditEvent e) { audit.Write(std::move(e)); };
  {
    const std::string digest = ConfigDigest(cfg);
    const std::string digest_path = JoinPath(cfg.data, "config-digest");
    StatusOr<std::string> previous = fs.ReadFile(digest_path);
    evidence::AuditEvent start{
        evidence::kAuditStart,
        evidence::kSeverityNotice,
        {{"version", kVersion},
         {"config_digest", digest},
         {"anchor", keys ? evidence::AnchorFingerprintText(*keys) : "none"},
         {"integrity", cfg.integrity ? "on" : "off"},
         {"journal_records", std::to_string(journal_records)},
         {"tiles_coverage", std::to_string(tree_report.tile_coverage)},
         {"leaves_recomputed", std::to_string(tree_report.leaves_recomputed)},
         {"tiles_torn_bytes_dropped", std::to_string(tile_recovery.torn_bytes_dropped)},
         {"tiles_entries_recomputed", std::to_string(tile_recovery.recomputed)},
         {"heads_recovery_cuts", std::to_string(head_notes.size())},
         {"last_head_size",
          heads && heads->latest() ? std::to_string(heads->latest()->tree_size) : "none"}},
        "kiroku started"};
    if (Status s = audit.WriteNow(std::move(start)); !s.ok()) {
      spdlog::error("self-audit: cannot write the start record: {}", s.ToString());
      (*committer)->Stop();
      return 1;
    }
    if (previous.ok() && *previous != digest) {
      audit.Write({evidence::kAuditConfigChange,
                   evidence::kSeverityNotice,
                   {{"previous_digest", *previous}, {"config_digest", digest}},
                   "configuration changed since the previous start"});
      spdlog::info("configuration changed since the previous start (digest {} -> {})", *previous,
                   digest);
    }
    if (!previous.ok() || *previous != digest) {
      if (Status s = fs.WriteFileAtomic(digest_path, digest); !s.ok()) {
        spdlog::warn("cannot write {}: {}", digest_path, s.ToString());
      }
    }
  }
  if (Status s = audit.Start(); !s.ok()) {
    spdlog::error("self-audit inbox {}/audit-inbox: {}", cfg.data, s.ToString());
    (*committer)->Stop();
    return 1;
  }

  // Signed tree heads, and the witnesses they go to.
  Metrics* metrics_ptr = &metrics;
  std::unique_ptr<evidence::HeadIssuer> issuer;
  std::vector<std::unique_ptr<evidence::WitnessSender>> witnesses;
  if (tree) {
    issuer = std::make_unique<evidence::HeadIssuer>(*tree, *keys, *heads, clock, clock_sync,
                                                    metrics, evidence::HeadIssuerOptions{});
    issuer->SetAuditSink(audit_sink);
    evidence::WitnessContext wctx{&fs,
                                  metrics_ptr,
                                  audit_sink,
                                  &tree->tiles(),
                                  copts.journal_dir,
                                  evidence::AnchorFingerprintText(*keys)};
    for (const std::string& target : cfg.witness) {
      auto w = evidence::MakeWitnessSender(target, wctx);
      if (!w.ok()) {
        spdlog::error("--witness {}: {}", target, w.status().message());
        audit.Stop();
        (*committer)->Stop();
        return 2;
      }
      evidence::WitnessSender* sender = w->get();
      issuer->AddListener([sender](const integrity::signing::TreeHead& h) { sender->Offer(h); });
      witnesses.push_back(std::move(*w));
      spdlog::info("witness {}: every signed tree head goes there", target);
    }
    issuer->Start();
  } else if (!cfg.witness.empty()) {
    spdlog::warn("--witness is ignored with --integrity false");
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
      if (issuer) issuer->Stop(false);
      audit.Stop();
      (*committer)->Stop();
      return 2;
    }
    witnessed.push_back(*a);
  }
  auto keeper = evidence::WitnessKeeper::Open(fs, cfg.data + "/witness", witnessed);
  if (!keeper.ok()) {
    spdlog::error("witness store {}/witness: {}", cfg.data, keeper.status().ToString());
    if (issuer) issuer->Stop(false);
    audit.Stop();
    (*committer)->Stop();
    return 1;
  }

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
    if (issuer) issuer->Stop(false);
    for (auto& w : witnesses) w->Stop(0);
    audit.Stop();
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
  // The stop record goes in before the final head, so the head covers it.
  if (Status s =
          audit.WriteNow({evidence::kAuditStop,
                          evidence::kSeverityNotice,
                          {{"journal_records", std::to_string((*committer)->last_durable().value)}},
                          "kiroku stopping"});
      !s.ok()) {
    spdlog::error("self-audit: cannot write the stop record: {}", s.ToString());
  }
  audit.Stop();
  if (tree) {
    const uint64_t last = (*committer)->last_durable().value;
    if (!tree->WaitForSize(last, kFinalTreeWaitNs)) {
      spdlog::error("merkle tree reached only {} of {} records before the final head", tree->size(),
                    last);
    }
    issuer->Stop(/*final_head=*/true);
    for (auto& w : witnesses) w->Stop(kWitnessDrainNs);
  }
  (*committer)->Stop();
  if (tree) tree->Stop();
  spdlog::info("stopped; last durable seq {}", (*committer)->last_durable().value);
  return 0;
}

}  // namespace kiroku::cli
