#include "timewatch/source.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "normalize/all/normalizer.h"
#include "syslog/zone_rules.h"

namespace kiroku::timewatch {

namespace {
using normalize::Field;

// The first records of a source are normalised for its device class, then one in this many.
constexpr uint64_t kTypeSampleFirst = 32;
constexpr uint64_t kTypeSampleEvery = 256;
// The assumed zone's offset is looked up again after this many zone-less records (DST).
constexpr uint64_t kZoneLookupEvery = 4096;

bool Digit(char c) { return c >= '0' && c <= '9'; }

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

std::optional<Grouping> GroupingFromName(std::string_view name) {
  if (name == "host+address") return Grouping::kHostAddress;
  if (name == "host") return Grouping::kHost;
  if (name == "address") return Grouping::kAddress;
  return std::nullopt;
}

std::string_view GroupingName(Grouping g) {
  switch (g) {
    case Grouping::kHost:
      return "host";
    case Grouping::kAddress:
      return "address";
    default:
      return "host+address";
  }
}

int64_t TimestampPrecisionNs(const RecordView& r) {
  // The header is what precedes the message; Cisco puts the time after the host, RFC 5424 and
  // 3164 before it, so scan all of it.
  std::string_view h = r.raw.substr(0, std::min<size_t>(r.header.msg.off, r.raw.size()));
  for (size_t i = 0; i + 8 <= h.size(); ++i) {
    if (!(Digit(h[i]) && Digit(h[i + 1]) && h[i + 2] == ':' && Digit(h[i + 3]) && Digit(h[i + 4]) &&
          h[i + 5] == ':' && Digit(h[i + 6]) && Digit(h[i + 7]))) {
      continue;
    }
    size_t j = i + 8;
    if (j < h.size() && (h[j] == '.' || h[j] == ',')) {
      int digits = 0;
      while (j + 1 < h.size() && Digit(h[j + 1]) && digits < 9) {
        ++digits;
        ++j;
      }
      int64_t p = 1'000'000'000;
      for (int k = 0; k < digits; ++k) p /= 10;
      return p;
    }
    return 1'000'000'000;
  }
  return 1'000'000'000;
}

bool MayBeTimeSync(const RecordView& r) {
  std::string_view app = r.Field(r.header.app);
  static constexpr std::string_view kApps[] = {"chronyd",           "ntpd",     "ntpsec",
                                               "systemd-timesyncd", "openntpd", "w32time"};
  for (std::string_view a : kApps) {
    if (IEquals(app, a)) return true;
  }
  std::string_view msg = r.Field(r.header.msg);
  if (msg.starts_with("%NTP-")) return true;
  return msg.find("Time-Service") != std::string_view::npos;
}

std::string SourceState::ObserverType() const {
  std::string best;
  uint64_t best_n = 0;
  for (const auto& [type, n] : observer_types) {
    if (type != "ntp" && n > best_n) {
      best = type;
      best_n = n;
    }
  }
  if (best.empty() && observer_types.contains("ntp")) return "ntp";
  return best;
}

bool SourceTable::Observe(const RecordView& r, const normalize::Normalizer* normalizer,
                          const syslog::ZoneRules* zones) {
  if (r.transport == Transport::kInternal || r.transport == Transport::kImport) return false;
  std::string_view host = r.Field(r.header.host);
  std::string address = r.peer.AddressString();
  std::string key;
  switch (grouping_) {
    case Grouping::kHost:
      key = host.empty() ? "\n" + address : std::string(host);
      break;
    case Grouping::kAddress:
      key = "\n" + address;
      break;
    default:
      key = std::string(host) + "\n" + address;
  }
  auto [it, created] = sources_.try_emplace(std::move(key));
  SourceState& s = it->second;
  if (created) {
    s.host = std::string(host);
    s.address = address;
    s.first_seen_ns = r.receive_time_ns;
    s.est = OffsetEstimator(options_);
  }
  ++s.messages;
  s.first_seen_ns = std::min(s.first_seen_ns, r.receive_time_ns);
  s.last_seen_ns = std::max(s.last_seen_ns, r.receive_time_ns);
  s.transports |= static_cast<uint8_t>(1u << static_cast<unsigned>(r.transport));

  if (r.header.device_time_ns) {
    ++s.timed;
    if (!r.header.device_time_zone_known && r.header.format != SyslogFormat::kRfc5424) {
      if (s.zone_unknown++ % kZoneLookupEvery == 0 && zones != nullptr) {
        syslog::Zone z = zones->ZoneFor(r.peer, host);
        if (z != nullptr) {
          auto t = date::sys_seconds(std::chrono::seconds(r.receive_time_ns / 1'000'000'000));
          s.assumed_utc_offset_s = static_cast<int32_t>(z->get_info(t).offset.count());
        } else {
          s.assumed_utc_offset_s = 0;
        }
      }
    }
    s.est.Add(Sample{*r.header.device_time_ns, r.receive_time_ns, TimestampPrecisionNs(r)});
  }

  if (normalizer == nullptr) return true;
  const bool sync_candidate = MayBeTimeSync(r);
  if (!sync_candidate && s.messages > kTypeSampleFirst && s.messages % kTypeSampleEvery != 0) {
    return true;
  }
  if (!normalizer->Normalize(r, &event_)) return true;
  if (std::string_view type = event_.Get(Field::kObserverType); !type.empty()) {
    ++s.observer_types[std::string(type)];
  }
  std::string_view state = event_.Get(Field::kNtpState);
  if (state.empty()) return true;
  ++s.sync_events;
  s.last_event_ns = r.receive_time_ns;
  if (std::string_view off = event_.Get(Field::kNtpOffsetUs); !off.empty()) {
    try {
      s.daemon_offset_us = std::stoll(std::string(off));
    } catch (const std::exception&) {
    }
  }
  if (state == "status") return true;
  s.sync_state = std::string(state);
  if (state == "sync" || state == "step") s.last_sync_ns = r.receive_time_ns;
  if (state == "sync") {
    if (std::string_view server = event_.Get(Field::kServerAddress); !server.empty()) {
      s.time_server = std::string(server);
    }
    if (std::string_view st = event_.Get(Field::kNtpStratum); !st.empty()) {
      try {
        s.stratum = std::stoi(std::string(st));
      } catch (const std::exception&) {
      }
    }
  }
  if (state == "step") s.est.MarkStep(r.receive_time_ns);
  return true;
}

void SourceTable::CloseDue(int64_t now_ns) {
  for (auto& [key, s] : sources_) s.est.CloseIfDue(now_ns);
}

nlohmann::json SourceState::ToJson() const {
  nlohmann::json j = {{"host", host},
                      {"address", address},
                      {"messages", messages},
                      {"timed", timed},
                      {"zone_unknown", zone_unknown},
                      {"assumed_utc_offset_s", assumed_utc_offset_s},
                      {"first_seen_ns", first_seen_ns},
                      {"last_seen_ns", last_seen_ns},
                      {"transports", transports},
                      {"observer_types", observer_types},
                      {"sync_events", sync_events},
                      {"last_sync_ns", last_sync_ns},
                      {"last_event_ns", last_event_ns},
                      {"sync_state", sync_state},
                      {"time_server", time_server},
                      {"stratum", stratum},
                      {"estimator", est.ToJson()}};
  if (daemon_offset_us) j["daemon_offset_us"] = *daemon_offset_us;
  return j;
}

SourceState SourceState::FromJson(const nlohmann::json& j, const EstimatorOptions& options) {
  SourceState s;
  s.host = j.value("host", "");
  s.address = j.value("address", "");
  s.messages = j.value("messages", uint64_t{0});
  s.timed = j.value("timed", uint64_t{0});
  s.zone_unknown = j.value("zone_unknown", uint64_t{0});
  s.assumed_utc_offset_s = j.value("assumed_utc_offset_s", 0);
  s.first_seen_ns = j.value("first_seen_ns", int64_t{0});
  s.last_seen_ns = j.value("last_seen_ns", int64_t{0});
  s.transports = j.value("transports", uint8_t{0});
  if (j.contains("observer_types")) {
    s.observer_types = j["observer_types"].get<std::map<std::string, uint64_t>>();
  }
  s.sync_events = j.value("sync_events", uint64_t{0});
  s.last_sync_ns = j.value("last_sync_ns", int64_t{0});
  s.last_event_ns = j.value("last_event_ns", int64_t{0});
  s.sync_state = j.value("sync_state", "");
  s.time_server = j.value("time_server", "");
  s.stratum = j.value("stratum", -1);
  if (j.contains("daemon_offset_us")) s.daemon_offset_us = j["daemon_offset_us"].get<int64_t>();
  s.est = j.contains("estimator") ? OffsetEstimator::FromJson(j["estimator"], options)
                                  : OffsetEstimator(options);
  return s;
}

}  // namespace kiroku::timewatch
