// ServeConfig: every setting of `kiroku serve`, declared once in a table (name, default, help)
// from which the command-line flags, the TOML config keys (same names) and
// docs/configuration.md's reference all come. Precedence: defaults < config file < flags.
//
//   ServeConfig cfg;
//   Status s = LoadTomlConfig("kiroku.toml", &cfg);          // keys as in the table
//   s = ApplyOption(&cfg, "commit-interval", "5ms");          // a flag
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace kiroku::cli {

struct SourceZoneRule {
  std::string match;     // CIDR, address, or host:NAME
  std::string timezone;  // IANA name, UTC, local
};

struct NetfilterPrefix {
  std::string contains;  // case-insensitive substring of the LOG prefix
  std::string action;    // event.action
  std::string outcome;   // event.outcome: success, failure or empty
};

struct ServeConfig {
  std::string data = "kiroku-data";
  std::string syslog_udp = "127.0.0.1:5514";
  std::string syslog_tcp = "127.0.0.1:5514";
  std::string syslog_tls = "off";
  std::string relp = "off";
  std::string http = "127.0.0.1:8514";
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  std::vector<std::string> tls_allowed_fingerprints;
  uint64_t udp_max_message_size = size_t{64} * 1024;
  uint64_t udp_receive_buffer = 8 << 20;
  uint64_t max_frame_size = size_t{64} * 1024;
  uint64_t max_connections = 10000;
  int64_t idle_timeout_ns = 3600'000'000'000;
  int64_t commit_interval_ns = 20'000'000;
  uint64_t queue_max_bytes = 16 << 20;
  uint64_t segment_max_bytes = 64ull << 20;
  int64_t seal_after_ns = 600'000'000'000;  // journal segment age limit (docs/operations.md)
  bool seal = true;                         // the sealer thread
  bool fsync = true;
  std::string timezone = "local";
  std::string log_level = "info";
  std::vector<SourceZoneRule> sources;  // TOML only: [[source]] match = ..., timezone = ...
  // Normalisation (docs/schema.md): derived fields only, never the evidence.
  std::vector<std::string> internal_networks;
  std::vector<std::string> admins;
  std::string rules;  // user rules file (docs/rules.md)
  // TOML only: [[netfilter_prefix]] contains = ..., action = ..., outcome = ...
  std::vector<NetfilterPrefix> netfilter_prefixes;
  // Tamper evidence (docs/operations.md, "Tamper evidence").
  std::vector<std::string> witness;          // FILE or http://HOST:PORT targets for every head
  std::vector<std::string> witness_anchors;  // anchors of the logs this server witnesses
  bool integrity = true;                     // off only to measure the tree's cost
  // Clock watch (docs/clock.md).
  int64_t clock_offset_threshold_ns = 1'000'000'000;
  double clock_drift_threshold_ppm = 20.0;
  int64_t clock_sync_max_age_ns = 86'400'000'000'000;
  int64_t clock_silent_after_ns = 3'600'000'000'000;
  std::vector<std::string> clock_silent_after_by;  // KEY=DURATION, KEY a host, address or type
  int64_t clock_window_ns = 300'000'000'000;
  std::string clock_source_key = "host+address";
  int64_t clock_check_interval_ns = 5'000'000'000;
  std::string clock_alert_webhook;
  std::string clock_alert_syslog;
};

struct OptionDef {
  const char* name;        // flag "--name" and TOML key "name"
  const char* value_name;  // ADDR, BYTES, DURATION, ...
  const char* help;
  std::function<Status(ServeConfig*, const std::string&)> set;
  std::function<std::string(const ServeConfig&)> get;  // current value as text
  bool repeatable = false;  // the flag may be given several times; the values are joined by ','
};

// The table, in the order --help and the docs show it.
const std::vector<OptionDef>& ServeOptions();

Status ApplyOption(ServeConfig* cfg, const std::string& name, const std::string& value);
Status LoadTomlConfig(const std::string& path, ServeConfig* cfg);
// Cross-field checks (TLS needs cert+key, limits > 0, ...).
Status Validate(const ServeConfig& cfg);

// "64KiB", "16M", "1048576" → bytes; "20ms", "1.5s", "1h" → ns. A bare number is in
// `bare_unit_ns` (seconds unless the option says otherwise).
StatusOr<uint64_t> ParseBytes(const std::string& text);
StatusOr<int64_t> ParseDuration(const std::string& text, int64_t bare_unit_ns = 1'000'000'000);
std::string FormatDuration(int64_t ns);
std::string FormatBytes(uint64_t bytes);

// Markdown reference of every option (docs/configuration.md is generated from it).
std::string ConfigReferenceMarkdown();

}  // namespace kiroku::cli
