#include "normalize/all/normalizer.h"

#include <nlohmann/json.hpp>

#include "normalize/antivirus/antivirus.h"
#include "normalize/database/database.h"
#include "normalize/directory/directory.h"
#include "normalize/mail/mail.h"
#include "normalize/network/network.h"
#include "normalize/proxy/proxy.h"
#include "normalize/text.h"
#include "normalize/timesync/timesync.h"
#include "normalize/windows/windows.h"

namespace kiroku::normalize {
namespace {

// Cheapest, most specific recognition first: the families that key on the process name come
// before those that must look into the message (network: CEF/LEEF/%ASA-/key=value; proxy: bare
// access-log lines).
constexpr NormalizeFn kFamilies[] = {
    &NormalizeTimesync, &NormalizeMail,    &NormalizeDirectory, &NormalizeAntivirus,
    &NormalizeDatabase, &NormalizeWindows, &NormalizeNetwork,   &NormalizeProxy,
};

class CombinedCorrelator final : public Correlator {
 public:
  CombinedCorrelator() {
    parts_.push_back(NewMailCorrelator());
    parts_.push_back(NewDirectoryCorrelator());
    parts_.push_back(NewProxyCorrelator());
    parts_.push_back(NewNetworkCorrelator());
  }
  void Observe(const RecordView& r, const Event& e) override {
    for (auto& p : parts_) p->Observe(r, e);
  }
  void Enrich(const RecordView& r, Event* e) const override {
    for (const auto& p : parts_) p->Enrich(r, e);
  }

 private:
  std::vector<std::unique_ptr<Correlator>> parts_;
};

}  // namespace

Normalizer::Normalizer(Config config, UserRules rules)
    : config_(std::move(config)), rules_(std::move(rules)) {}

bool Normalizer::Normalize(const RecordView& r, Event* out) const {
  out->Clear();
  Input in = Input::From(r);
  if (!rules_.empty() && rules_.Apply(in, out)) return true;
  for (NormalizeFn fn : kFamilies) {
    if (fn(in, config_, out)) return true;
  }
  out->Clear();  // a family that said no must not leave anything behind
  return false;
}

bool Normalizer::MayCorrelate(const RecordView& r) const {
  std::string_view app = r.Field(r.header.app);
  std::string_view msg = r.Field(r.header.msg);
  if (app.empty() || (!msg.empty() && msg.front() == '#')) return true;  // bare lines, W3C
  // ASA/FTD Built and Teardown lines (the message id may stand where the TAG is).
  if (app.starts_with("%ASA-") || app.starts_with("%FTD-") || app.starts_with("%PIX-") ||
      msg.find("%ASA-") != std::string_view::npos || msg.find("%FTD-") != std::string_view::npos) {
    return true;
  }
  return StartsWithIgnoreCase(app, "postfix") || EqualsIgnoreCase(app, "sendmail") ||
         EqualsIgnoreCase(app, "sm-mta") || StartsWithIgnoreCase(app, "exim") ||
         EqualsIgnoreCase(app, "slapd");
}

std::unique_ptr<Correlator> Normalizer::NewCorrelator() const {
  return std::make_unique<CombinedCorrelator>();
}

std::string Settings::ToJson() const {
  nlohmann::json j;
  j["internal_networks"] = internal_networks;
  j["admins"] = admins;
  nlohmann::json prefixes = nlohmann::json::array();
  for (const PrefixRule& p : netfilter_prefixes) {
    prefixes.push_back({{"contains", p.contains}, {"action", p.action}, {"outcome", p.outcome}});
  }
  j["netfilter_prefixes"] = prefixes;
  j["rules_text"] = rules_text;
  j["rules_origin"] = rules_origin;
  return j.dump(2) + "\n";
}

StatusOr<Settings> Settings::FromJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption("normalize.json: not a JSON object");
  }
  Settings s;
  try {
    s.internal_networks = j.value("internal_networks", std::vector<std::string>{});
    s.admins = j.value("admins", std::vector<std::string>{});
    for (const auto& p : j.value("netfilter_prefixes", nlohmann::json::array())) {
      s.netfilter_prefixes.push_back(
          PrefixRule{p.value("contains", ""), p.value("action", ""), p.value("outcome", "")});
    }
    s.rules_text = j.value("rules_text", "");
    s.rules_origin = j.value("rules_origin", "");
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("normalize.json: ") + e.what());
  }
  return s;
}

StatusOr<std::unique_ptr<Normalizer>> MakeNormalizer(const Settings& settings) {
  Config config;
  for (const std::string& net : settings.internal_networks) {
    KIROKU_RETURN_IF_ERROR(config.AddInternalNetwork(net));
  }
  for (const std::string& a : settings.admins) config.AddAdmin(a);
  for (const PrefixRule& p : settings.netfilter_prefixes) {
    if (p.contains.empty() || p.action.empty()) {
      return Status::InvalidArgument("netfilter_prefix rules need contains and action");
    }
    if (!p.outcome.empty() && p.outcome != "success" && p.outcome != "failure") {
      return Status::InvalidArgument("netfilter_prefix outcome must be success or failure, not " +
                                     p.outcome);
    }
    config.AddNetfilterPrefix(p);
  }
  UserRules rules;
  if (!settings.rules_text.empty()) {
    StatusOr<UserRules> parsed = UserRules::Parse(
        settings.rules_text, settings.rules_origin.empty() ? "rules" : settings.rules_origin);
    if (!parsed.ok()) return parsed.status();
    rules = std::move(*parsed);
  }
  return std::make_unique<Normalizer>(std::move(config), std::move(rules));
}

StatusOr<std::unique_ptr<Normalizer>> LoadNormalizer(Fs& fs, const std::string& data_dir) {
  std::string path = JoinPath(data_dir, "normalize.json");
  StatusOr<std::string> text = fs.ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() == Status::Code::kNotFound) return MakeNormalizer(Settings());
    return text.status();
  }
  StatusOr<Settings> settings = Settings::FromJson(*text);
  if (!settings.ok()) return settings.status();
  return MakeNormalizer(*settings);
}

}  // namespace kiroku::normalize
