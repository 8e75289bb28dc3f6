// SourceTable: what the clock watch knows of each source (a host name plus sending address by
// default): message counts, first/last seen, transports, the device class, its clock offset
// estimator and its time-sync events.
//
// Observe() is called once per committed record on the tree builder's thread: it reads the
// parsed syslog header only, and runs the normalisers on records that may be time-sync lines
// (chronyd, ntpd, systemd-timesyncd, Cisco %NTP-, Windows Time-Service) and on a sample of the
// others (for observer.type). Records of kiroku itself and imported records (whose receive time
// is the import's) are not sources.
//
//   SourceTable table(EstimatorOptions{}, Grouping::kHostAddress);
//   table.Observe(record, normalizer, &zones);
//   for (const auto& [key, s] : table.sources()) ...
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/record.h"
#include "common/status.h"
#include "normalize/event.h"
#include "timewatch/estimator.h"

namespace kiroku::normalize {
class Normalizer;
}
namespace kiroku::syslog {
class ZoneRules;
}

namespace kiroku::timewatch {

// What makes two records the same source.
enum class Grouping : uint8_t { kHostAddress, kHost, kAddress };
std::optional<Grouping> GroupingFromName(std::string_view name);  // host+address, host, address
std::string_view GroupingName(Grouping g);

struct SourceState {
  std::string host;
  std::string address;  // the sender's IP address, without port
  uint64_t messages = 0;
  uint64_t timed = 0;                // with a device time
  uint64_t zone_unknown = 0;         // of those, read in an assumed zone
  int32_t assumed_utc_offset_s = 0;  // that zone's UTC offset when last looked up
  int64_t first_seen_ns = 0;         // receive times
  int64_t last_seen_ns = 0;
  uint8_t transports = 0;                          // bit (1 << Transport)
  std::map<std::string, uint64_t> observer_types;  // normalised sample
  // Time sync, from the source's own logs.
  uint64_t sync_events = 0;   // records with kiroku.ntp.state
  int64_t last_sync_ns = 0;   // receive time of the last sync or step, 0 if none
  int64_t last_event_ns = 0;  // receive time of the last sync/lost/step/status line
  std::string sync_state;     // the last of sync | lost | step
  std::string time_server;    // from the last sync line that named one
  int stratum = -1;
  std::optional<int64_t> daemon_offset_us;  // the last offset the NTP daemon logged
  OffsetEstimator est;
  // The last window written to the offset history (not persisted in the snapshot: after a
  // restart the next window is written again).
  bool history_written = false;
  int64_t history_offset_ns = 0;
  int64_t history_uncertainty_ns = 0;

  // The most frequent device class; "ntp" only when nothing else was seen.
  std::string ObserverType() const;
  nlohmann::json ToJson() const;
  static SourceState FromJson(const nlohmann::json& j, const EstimatorOptions& options);
};

// The unit of a device timestamp as written in the header: 1 s for "Mmm dd hh:mm:ss", 1 ms for
// ".123", 1 us for ".123456". Looks for the first hh:mm:ss before the message.
int64_t TimestampPrecisionNs(const RecordView& r);

// True when the normalisers may find a time-sync fact in the record (cheap test).
bool MayBeTimeSync(const RecordView& r);

class SourceTable {
 public:
  SourceTable(EstimatorOptions options, Grouping grouping)
      : options_(options), grouping_(grouping) {}

  // Returns false when the record is not from a source (internal, import).
  // `normalizer` and `zones` may be null (no device class or sync events; no zone names).
  bool Observe(const RecordView& r, const normalize::Normalizer* normalizer,
               const syslog::ZoneRules* zones);
  // Closes the windows of sources that went quiet.
  void CloseDue(int64_t now_ns);

  using Map = std::map<std::string, SourceState>;  // by "host\naddress" (per the grouping)
  const Map& sources() const { return sources_; }
  Map& mutable_sources() { return sources_; }
  const EstimatorOptions& options() const { return options_; }
  Grouping grouping() const { return grouping_; }

 private:
  EstimatorOptions options_;
  Grouping grouping_;
  Map sources_;
  normalize::Event event_;
};

}  // namespace kiroku::timewatch
