#include "cli/serve_config.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <sstream>

namespace kiroku::cli {

namespace {

Status Invalid(const std::string& name, const std::string& value, const std::string& why) {
  return Status::InvalidArgument("--" + name + " '" + value + "': " + why);
}

// Splits "12.5ms" into 12.5 and "ms".
bool SplitNumberUnit(const std::string& text, double* number, std::string* unit) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  if (i == 0) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + i, *number);
  if (ec != std::errc() || end != text.data() + i) return false;
  *unit = text.substr(i);
  while (!unit->empty() && unit->front() == ' ') unit->erase(0, 1);
  return true;
}

Status SetString(std::string* field, const std::string& v) {
  *field = v;
  return Status::Ok();
}

Status SetBool(const std::string& name, bool* field, const std::string& v) {
  if (v == "true" || v == "on" || v == "yes" || v == "1") {
    *field = true;
  } else if (v == "false" || v == "off" || v == "no" || v == "0") {
    *field = false;
  } else {
    return Invalid(name, v, "expected true or false");
  }
  return Status::Ok();
}

template <typename T>
Status SetUnsigned(const std::string& name, T* field, const std::string& v, uint64_t min) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    return Invalid(name, v, "expected a whole number");
  }
  if (n < min) return Invalid(name, v, "must be at least " + std::to_string(min));
  *field = static_cast<T>(n);
  return Status::Ok();
}

Status SetBytes(const std::string& name, uint64_t* field, const std::string& v, uint64_t min) {
  auto b = ParseBytes(v);
  if (!b.ok()) return Invalid(name, v, b.status().message());
  if (*b < min) return Invalid(name, v, "must be at least " + FormatBytes(min));
  *field = *b;
  return Status::Ok();
}

Status SetDuration(const std::string& name, int64_t* field, const std::string& v,
                   int64_t bare_unit_ns) {
  auto d = ParseDuration(v, bare_unit_ns);
  if (!d.ok()) return Invalid(name, v, d.status().message());
  *field = *d;
  return Status::Ok();
}

std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

StatusOr<uint64_t> ParseBytes(const std::string& text) {
  double n = 0;
  std::string unit;
  if (!SplitNumberUnit(text, &n, &unit))
    return Status::InvalidArgument("expected a size like 64KiB");
  static const std::pair<const char*, uint64_t> kUnits[] = {
      {"", 1},        {"B", 1},         {"K", 1024},       {"KiB", 1024},
      {"KB", 1000},   {"M", 1 << 20},   {"MiB", 1 << 20},  {"MB", 1000000},
      {"G", 1 << 30}, {"GiB", 1 << 30}, {"GB", 1000000000}};
  for (const auto& [u, mult] : kUnits) {
    if (unit == u) return static_cast<uint64_t>(std::llround(n * static_cast<double>(mult)));
  }
  return Status::InvalidArgument("unknown size unit '" + unit + "' (use B, KiB, MiB, GiB)");
}

StatusOr<int64_t> ParseDuration(const std::string& text, int64_t bare_unit_ns) {
  double n = 0;
  std::string unit;
  if (!SplitNumberUnit(text, &n, &unit))
    return Status::InvalidArgument("expected a duration like 20ms");
  const std::pair<const char*, double> kUnits[] = {{"", static_cast<double>(bare_unit_ns)},
                                                   {"s", 1e9},
                                                   {"ms", 1e6},
                                                   {"us", 1e3},
                                                   {"m", 60e9},
                                                   {"h", 3600e9},
                                                   {"d", 86400e9}};
  for (const auto& [u, mult] : kUnits) {
    if (unit == u) return static_cast<int64_t>(std::llround(n * mult));
  }
  return Status::InvalidArgument("unknown duration unit '" + unit + "' (use ms, s, m, h, d)");
}

std::string FormatDuration(int64_t ns) {
  if (ns == 0) return "0";
  if (ns % 3600'000'000'000 == 0) return std::to_string(ns / 3600'000'000'000) + "h";
  if (ns % 60'000'000'000 == 0) return std::to_string(ns / 60'000'000'000) + "m";
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  return std::to_string(ns / 1000) + "us";
}

std::string FormatBytes(uint64_t b) {
  if (b && b % (1 << 30) == 0) return std::to_string(b >> 30) + "GiB";
  if (b && b % (1 << 20) == 0) return std::to_string(b >> 20) + "MiB";
  if (b && b % 1024 == 0) return std::to_string(b >> 10) + "KiB";
  return std::to_string(b);
}

const std::vector<OptionDef>& ServeOptions() {
  static const std::vector<OptionDef> kOptions = {
      {"data", "DIR", "Data directory (journal, and later sealed segments, keys, heads)",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->data, v); },
       [](const ServeConfig& c) { return c.data; }},
      {"syslog-udp", "ADDR", "Syslog over UDP (RFC 5426) listen address, or off",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->syslog_udp, v); },
       [](const ServeConfig& c) { return c.syslog_udp; }},
      {"syslog-tcp", "ADDR", "Syslog over TCP (RFC 6587) listen address, or off",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->syslog_tcp, v); },
       [](const ServeConfig& c) { return c.syslog_tcp; }},
      {"syslog-tls", "ADDR",
       "Syslog over TLS (RFC 5425) listen address, or off; needs tls-cert and tls-key",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->syslog_tls, v); },
       [](const ServeConfig& c) { return c.syslog_tls; }},
      {"tls-cert", "FILE", "PEM certificate chain for syslog-tls",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->tls_cert, v); },
       [](const ServeConfig& c) { return c.tls_cert; }},
      {"tls-key", "FILE", "PEM private key for syslog-tls",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->tls_key, v); },
       [](const ServeConfig& c) { return c.tls_key; }},
      {"tls-ca", "FILE",
       "PEM CA bundle; when set, clients must present a certificate it signed (mutual TLS)",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->tls_ca, v); },
       [](const ServeConfig& c) { return c.tls_ca; }},
      {"internal-networks", "LIST",
       "Comma-separated CIDRs of the site's own networks, for network.direction when a device "
       "log does not say (default: RFC 1918, ULA and loopback)",
       [](ServeConfig* c, const std::string& v) {
         c->internal_networks = SplitList(v);
         return Status::Ok();
       },
       [](const ServeConfig& c) { return Join(c.internal_networks); }},
      {"admins", "LIST",
       "Comma-separated user names and LDAP bind DNs that are administrators (kiroku.admin)",
       [](ServeConfig* c, const std::string& v) {
         c->admins = SplitList(v);
         return Status::Ok();
       },
       [](const ServeConfig& c) { return Join(c.admins); }},
      {"rules", "FILE",
       "User normalisation rules (TOML, docs/rules.md), checked at start; test one with kiroku "
       "rules test FILE SAMPLE",
       [](ServeConfig* c, const std::string& v) {
         c->rules = v;
         return Status::Ok();
       },
       [](const ServeConfig& c) { return c.rules; }},
      {"tls-allowed-fingerprints", "LIST",
       "Comma-separated SHA-256 client certificate fingerprints; when set, only these clients may "
       "send",
       [](ServeConfig* c, const std::string& v) {
         c->tls_allowed_fingerprints.clear();
         std::stringstream ss(v);
         std::string item;
         while (std::getline(ss, item, ',')) {
           if (!item.empty()) c->tls_allowed_fingerprints.push_back(item);
         }
         return Status::Ok();
       },
       [](const ServeConfig& c) { return Join(c.tls_allowed_fingerprints); }},
      {"relp", "ADDR", "RELP listen address (rsyslog omrelp), or off",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->relp, v); },
       [](const ServeConfig& c) { return c.relp; }},
      {"http", "ADDR", "HTTP address for /healthz, /metrics and the API, or off",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->http, v); },
       [](const ServeConfig& c) { return c.http; }},
      {"witness", "LIST",
       "Where every signed tree head also goes: a FILE (one JSON line per head, fdatasynced; put "
       "it on other media) or http://HOST:PORT of another kiroku (POST /witness). Repeatable or "
       "comma-separated",
       [](ServeConfig* c, const std::string& v) {
         c->witness = SplitList(v);
         return Status::Ok();
       },
       [](const ServeConfig& c) { return Join(c.witness); }, /*repeatable=*/true},
      {"witness-anchor", "LIST",
       "Trust anchor files (anchor.json) of the logs this server witnesses: POST /witness "
       "accepts heads that verify against one of them and extend the latest it holds. "
       "Repeatable or comma-separated",
       [](ServeConfig* c, const std::string& v) {
         c->witness_anchors = SplitList(v);
         return Status::Ok();
       },
       [](const ServeConfig& c) { return Join(c.witness_anchors); }, /*repeatable=*/true},
      {"integrity", "BOOL",
       "Merkle tree and signed tree heads over every record. Turn off only to measure their cost: "
       "records received meanwhile are hashed at the next start with it on",
       [](ServeConfig* c, const std::string& v) { return SetBool("integrity", &c->integrity, v); },
       [](const ServeConfig& c) { return std::string(c.integrity ? "true" : "false"); }},
      {"udp-max-message-size", "BYTES",
       "Longest UDP datagram kept whole; longer ones are stored truncated and flagged",
       [](ServeConfig* c, const std::string& v) {
         return SetBytes("udp-max-message-size", &c->udp_max_message_size, v, 480);
       },
       [](const ServeConfig& c) { return FormatBytes(c.udp_max_message_size); }},
      {"udp-receive-buffer", "BYTES", "Kernel receive buffer requested for the UDP socket",
       [](ServeConfig* c, const std::string& v) {
         return SetBytes("udp-receive-buffer", &c->udp_receive_buffer, v, 4096);
       },
       [](const ServeConfig& c) { return FormatBytes(c.udp_receive_buffer); }},
      {"max-frame-size", "BYTES",
       "Longest TCP/TLS/RELP message kept whole; longer ones are stored truncated and flagged",
       [](ServeConfig* c, const std::string& v) {
         return SetBytes("max-frame-size", &c->max_frame_size, v, 480);
       },
       [](const ServeConfig& c) { return FormatBytes(c.max_frame_size); }},
      {"max-connections", "N",
       "Most TCP+TLS connections at once; more are closed at once and counted",
       [](ServeConfig* c, const std::string& v) {
         return SetUnsigned("max-connections", &c->max_connections, v, 1);
       },
       [](const ServeConfig& c) { return std::to_string(c.max_connections); }},
      {"idle-timeout", "DURATION",
       "Close a TCP/TLS connection that sent nothing for this long (0 = never; a bare number is "
       "seconds)",
       [](ServeConfig* c, const std::string& v) {
         return SetDuration("idle-timeout", &c->idle_timeout_ns, v, 1'000'000'000);
       },
       [](const ServeConfig& c) { return FormatDuration(c.idle_timeout_ns); }},
      {"commit-interval", "DURATION",
       "Group commit window: longest a record waits before it is written and fsynced (a bare "
       "number is milliseconds)",
       [](ServeConfig* c, const std::string& v) {
         return SetDuration("commit-interval", &c->commit_interval_ns, v, 1'000'000);
       },
       [](const ServeConfig& c) { return FormatDuration(c.commit_interval_ns); }},
      {"queue-max-bytes", "BYTES",
       "Records waiting for the journal before senders are slowed (TCP/TLS/RELP) or dropped (UDP)",
       [](ServeConfig* c, const std::string& v) {
         return SetBytes("queue-max-bytes", &c->queue_max_bytes, v, uint64_t{64} * 1024);
       },
       [](const ServeConfig& c) { return FormatBytes(c.queue_max_bytes); }},
      {"segment-max-bytes", "BYTES", "Start a new journal segment past this size",
       [](ServeConfig* c, const std::string& v) {
         return SetBytes("segment-max-bytes", &c->segment_max_bytes, v, uint64_t{64} * 1024);
       },
       [](const ServeConfig& c) { return FormatBytes(c.segment_max_bytes); }},
      {"seal-after", "DURATION",
       "Close the active journal segment once its first record is this old (or when it reaches "
       "segment-max-bytes), so the sealer compresses and indexes it; 0 = by size only (a bare "
       "number is seconds)",
       [](ServeConfig* c, const std::string& v) {
         return SetDuration("seal-after", &c->seal_after_ns, v, 1'000'000'000);
       },
       [](const ServeConfig& c) { return FormatDuration(c.seal_after_ns); }},
      {"seal", "BOOL",
       "Seal closed journal segments into compressed, indexed segments in DATA/segments and "
       "remove them from the journal (turn off only to measure ingest alone)",
       [](ServeConfig* c, const std::string& v) { return SetBool("seal", &c->seal, v); },
       [](const ServeConfig& c) { return std::string(c.seal ? "true" : "false"); }},
      {"fsync", "BOOL", "fdatasync every commit before acknowledging (turn off only for tests)",
       [](ServeConfig* c, const std::string& v) { return SetBool("fsync", &c->fsync, v); },
       [](const ServeConfig& c) { return std::string(c.fsync ? "true" : "false"); }},
      {"timezone", "ZONE",
       "Zone for timestamps without one (RFC 3164) when no [[source]] rule matches: IANA name, UTC "
       "or local",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->timezone, v); },
       [](const ServeConfig& c) { return c.timezone; }},
      {"log-level", "LEVEL", "Server log level: debug, info, warn, error",
       [](ServeConfig* c, const std::string& v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error" && v != "trace") {
           return Invalid("log-level", v, "expected debug, info, warn or error");
         }
         return SetString(&c->log_level, v);
       },
       [](const ServeConfig& c) { return c.log_level; }},
      // Clock watch (docs/clock.md).
      {"clock-offset-threshold", "DURATION",
       "A source whose clock is off by more than this gets status offset and a clock-offset "
       "alert (a bare number is milliseconds)",
       [](ServeConfig* c, const std::string& v) {
         return SetDuration("clock-offset-threshold", &c->clock_offset_threshold_ns, v, 1'000'000);
       },
       [](const ServeConfig& c) { return FormatDuration(c.clock_offset_threshold_ns); }},
      {"clock-drift-threshold", "PPM",
       "A source whose clock drifts faster than this many parts per million gets status "
       "drifting and a clock-drift alert",
       [](ServeConfig* c, const std::string& v) {
         double d = 0;
         auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
         if (v.empty() || ec != std::errc() || end != v.data() + v.size() || d <= 0) {
           return Invalid("clock-drift-threshold", v, "expected a positive number of ppm");
         }
         c->clock_drift_threshold_ppm = d;
         return Status::Ok();
       },
       [](const ServeConfig& c) {
         std::ostringstream os;
         os << c.clock_drift_threshold_ppm;
         return os.str();
       }},
      {"clock-sync-max-age", "DURATION",
       "A source that logged no time-sync event for this long gets status no-sync-log and a "
       "sync-missing alert",
       [](ServeConfig* c, const std::string& v) {
         return SetDuration("clock-sync-max-age", &c->clock_sync_max_age_ns, v, 1'000'000'000);
       },
       [](const ServeConfig& c) { return FormatDuration(c.clock_sync_max_age_ns); }},
      {"clock-silent-after", "DURATION",
       "A source that sent nothing for this long is silent (source-silent alert)",
       [](ServeConfig* c, const std::string& v) {
         return SetDuration("clock-silent-after", &c->clock_silent_after_ns, v, 1'000'000'000);
       },
       [](const ServeConfig& c) { return FormatDuration(c.clock_silent_after_ns); }},
      {"clock-silent-after-by", "LIST",
       "Per-source silence limits, KEY=DURATION, KEY a host name, sender address or "
       "observer.type (firewall=10m,proxy=10m). Repeatable or comma-separated",
       [](ServeConfig* c, const std::string& v) {
         std::vector<std::string> items = SplitList(v);
         for (const std::string& item : items) {
           size_t eq = item.find('=');
           if (eq == std::string::npos || eq == 0 || !ParseDuration(item.substr(eq + 1)).ok()) {
             return Invalid("clock-silent-after-by", item, "expected KEY=DURATION");
           }
         }
         c->clock_silent_after_by = items;
         return Status::Ok();
       },
       [](const ServeConfig& c) { return Join(c.clock_silent_after_by); }, /*repeatable=*/true},
      {"clock-window", "DURATION",
       "Receive-time window of one clock offset estimate (the offset history has one entry per "
       "window and source)",
       [](ServeConfig* c, const std::string& v) {
         Status s = SetDuration("clock-window", &c->clock_window_ns, v, 1'000'000'000);
         if (s.ok() && c->clock_window_ns < 1'000'000'000) {
           return Invalid("clock-window", v, "must be at least 1s");
         }
         return s;
       },
       [](const ServeConfig& c) { return FormatDuration(c.clock_window_ns); }},
      {"clock-source-key", "KEY",
       "What makes a source for the clock watch: host+address, host or address",
       [](ServeConfig* c, const std::string& v) {
         if (v != "host+address" && v != "host" && v != "address") {
           return Invalid("clock-source-key", v, "expected host+address, host or address");
         }
         return SetString(&c->clock_source_key, v);
       },
       [](const ServeConfig& c) { return c.clock_source_key; }},
      {"clock-check-interval", "DURATION",
       "How often the clock watch reads the server clock, evaluates alerts and writes "
       "DATA/timewatch/sources.json",
       [](ServeConfig* c, const std::string& v) {
         Status s =
             SetDuration("clock-check-interval", &c->clock_check_interval_ns, v, 1'000'000'000);
         if (s.ok() && c->clock_check_interval_ns < 10'000'000) {
           return Invalid("clock-check-interval", v, "must be at least 10ms");
         }
         return s;
       },
       [](const ServeConfig& c) { return FormatDuration(c.clock_check_interval_ns); }},
      {"clock-alert-webhook", "URL",
       "Also POST every clock-watch alert as JSON to this http:// URL",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->clock_alert_webhook, v); },
       [](const ServeConfig& c) { return c.clock_alert_webhook; }},
      {"clock-alert-syslog", "ADDR",
       "Also send every clock-watch alert as an RFC 5424 message over UDP to HOST:PORT",
       [](ServeConfig* c, const std::string& v) { return SetString(&c->clock_alert_syslog, v); },
       [](const ServeConfig& c) { return c.clock_alert_syslog; }},
  };
  return kOptions;
}

Status ApplyOption(ServeConfig* cfg, const std::string& name, const std::string& value) {
  for (const auto& o : ServeOptions()) {
    if (name == o.name) return o.set(cfg, value);
  }
  return Status::InvalidArgument("unknown option '" + name + "'");
}

namespace {
StatusOr<std::string> TomlToText(const std::string& key, const toml::node& node) {
  if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
  if (node.is_boolean()) return std::string(*node.value<bool>() ? "true" : "false");
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (node.is_floating_point()) {
    std::ostringstream os;
    os << *node.value<double>();
    return os.str();
  }
  if (const toml::array* arr = node.as_array()) {
    std::string out;
    for (const auto& item : *arr) {
      auto t = TomlToText(key, item);
      if (!t.ok()) return t;
      out += (out.empty() ? "" : ",") + *t;
    }
    return out;
  }
  return Status::InvalidArgument("config key '" + key + "' has an unsupported type");
}
}  // namespace

Status LoadTomlConfig(const std::string& path, ServeConfig* cfg) {
  toml::table tbl;
  try {
    tbl = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << path << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
       << e.description();
    return Status::InvalidArgument(os.str());
  }
  for (const auto& [k, node] : tbl) {
    std::string key(k.str());
    if (key == "netfilter_prefix") {
      const toml::array* arr = node.as_array();
      if (!arr) {
        return Status::InvalidArgument(
            path + ": 'netfilter_prefix' must be an array of tables ([[netfilter_prefix]])");
      }
      for (const auto& item : *arr) {
        const toml::table* t = item.as_table();
        auto contains = t ? (*t)["contains"].value<std::string>() : std::nullopt;
        auto action = t ? (*t)["action"].value<std::string>() : std::nullopt;
        auto outcome = t ? (*t)["outcome"].value<std::string>() : std::nullopt;
        if (!contains || !action) {
          return Status::InvalidArgument(path +
                                         ": every [[netfilter_prefix]] needs contains and action");
        }
        cfg->netfilter_prefixes.push_back({*contains, *action, outcome.value_or("")});
      }
      continue;
    }
    if (key == "source") {
      const toml::array* arr = node.as_array();
      if (!arr)
        return Status::InvalidArgument(path + ": 'source' must be an array of tables ([[source]])");
      for (const auto& item : *arr) {
        const toml::table* t = item.as_table();
        auto match = t ? (*t)["match"].value<std::string>() : std::nullopt;
        auto zone = t ? (*t)["timezone"].value<std::string>() : std::nullopt;
        if (!match || !zone) {
          return Status::InvalidArgument(path + ": every [[source]] needs match and timezone");
        }
        cfg->sources.push_back({*match, *zone});
      }
      continue;
    }
    auto text = TomlToText(key, node);
    if (!text.ok()) return text.status();
    Status s = ApplyOption(cfg, key, *text);
    if (!s.ok()) return Status::InvalidArgument(path + ": " + s.message());
  }
  return Status::Ok();
}

Status Validate(const ServeConfig& cfg) {
  if (cfg.syslog_tls != "off" && (cfg.tls_cert.empty() || cfg.tls_key.empty())) {
    return Status::InvalidArgument("--syslog-tls needs --tls-cert and --tls-key");
  }
  if (cfg.syslog_udp == "off" && cfg.syslog_tcp == "off" && cfg.syslog_tls == "off" &&
      cfg.relp == "off") {
    return Status::InvalidArgument("every listener is off: nothing to receive");
  }
  if (cfg.data.empty()) return Status::InvalidArgument("--data must not be empty");
  return Status::Ok();
}

std::string ConfigReferenceMarkdown() {
  ServeConfig defaults;
  std::string out = "| flag / TOML key | value | default | meaning |\n|---|---|---|---|\n";
  for (const auto& o : ServeOptions()) {
    std::string def = o.get(defaults);
    out += std::string("| `") + o.name + "` | " + o.value_name + " | " +
           (def.empty() ? "(none)" : "`" + def + "`") + " | " + o.help + " |\n";
  }
  return out;
}

}  // namespace kiroku::cli
