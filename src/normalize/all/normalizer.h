// Normalizer: turns a record into its normalised ECS fields. It tries the site's own rules first
// (UserRules), then every built-in device family (docs/schema.md), cheapest recognition first;
// the first that recognises the record wins. Runs off the hot path: when records are read
// (search) or sealed; the fields are never stored in the evidence.
//
// Correlated formats (Postfix and other MTAs by queue id, slapd by connection, W3C logs by their
// #Fields header) need two passes in sequence order: Observe every record that MayCorrelate,
// then Enrich each record's own fields.
//
//   StatusOr<std::unique_ptr<Normalizer>> n = LoadNormalizer(fs, settings);
//   Event e;
//   (*n)->Normalize(record, &e);
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/record.h"
#include "common/status.h"
#include "normalize/all/user_rules.h"
#include "normalize/config.h"
#include "normalize/event.h"
#include "normalize/family.h"

namespace kiroku::normalize {

// What a site configures ([normalize] in the config file; docs/configuration.md).
struct Settings {
  std::vector<std::string> internal_networks;  // CIDRs; empty: RFC 1918, ULA, loopback
  std::vector<std::string> admins;             // user names / bind DNs that are administrators
  std::vector<PrefixRule> netfilter_prefixes;  // empty: the defaults (config.cc)
  std::string rules_text;                      // the rules file's contents ("" for none)
  std::string rules_origin;                    // its name, for error messages

  // JSON, as serve leaves it in DATA/normalize.json for search and the sealer.
  std::string ToJson() const;
  static StatusOr<Settings> FromJson(std::string_view json);
};

class Normalizer {
 public:
  Normalizer(Config config, UserRules rules);
  Normalizer() : Normalizer(Config(), UserRules()) {}

  // Clears `out`, fills it; returns whether a rule or a family recognised the record.
  bool Normalize(const RecordView& r, Event* out) const;
  // A cheap test (process name, a marker) for records a correlator may need in pass 1.
  bool MayCorrelate(const RecordView& r) const;
  // One correlator covering every correlated format; feed it in sequence order.
  std::unique_ptr<Correlator> NewCorrelator() const;

  const Config& config() const { return config_; }
  const UserRules& rules() const { return rules_; }

 private:
  Config config_;
  UserRules rules_;
};

StatusOr<std::unique_ptr<Normalizer>> MakeNormalizer(const Settings& settings);

// Reads DATA/normalize.json when it exists (else the defaults).
StatusOr<std::unique_ptr<Normalizer>> LoadNormalizer(Fs& fs, const std::string& data_dir);

}  // namespace kiroku::normalize
