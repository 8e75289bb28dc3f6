// IngestContext: what every listener shares — the clock, the zone rules, the committer, the
// connection limit and the metrics — and the one function that turns a received frame into a
// record in a batch (parse the header, flag, encode). That function is the hot path's middle.
//
//   IngestContext ctx(clock, zones, committer, metrics, limits);
//   ctx.AddFrame(batch, Transport::kTcp, peer, receive_ns, bytes, original_len, truncated, false);
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/record.h"
#include "store/committer.h"
#include "syslog/zone_rules.h"

namespace kiroku::ingest {

struct IngestLimits {
  size_t max_frame = size_t{64} * 1024;        // TCP/TLS/RELP frame limit
  size_t udp_max_message = size_t{64} * 1024;  // UDP datagram limit
  size_t max_connections = 10000;              // TCP + TLS together
  int64_t idle_timeout_ns = 3600'000'000'000;  // 0 = never
};

// Per-transport counters, looked up once.
struct TransportMetrics {
  Counter* received = nullptr;
  Counter* truncated = nullptr;
  Counter* framing_errors = nullptr;
  Gauge* connections = nullptr;
};

class IngestContext {
 public:
  IngestContext(const Clock& clock, const syslog::ZoneRules& zones, store::Committer& committer,
                Metrics& metrics, IngestLimits limits);
  IngestContext(const IngestContext&) = delete;
  IngestContext& operator=(const IngestContext&) = delete;

  // Parses `bytes` as one syslog message and appends the record to `batch`.
  void AddFrame(store::RecordBatch& batch, Transport transport, const PeerAddress& peer,
                int64_t receive_time_ns, std::string_view bytes, uint64_t original_length,
                bool truncated, bool framing_error);

  // Connection accounting across TCP and TLS. TryAcquire fails (and counts the rejection)
  // when the limit is reached.
  bool TryAcquireConnection(Transport transport);
  void ReleaseConnection(Transport transport);
  void CountRejected(const char* reason);
  void CountDropped(const char* reason, uint64_t n = 1);

  const Clock& clock() const { return clock_; }
  store::Committer& committer() { return committer_; }
  Metrics& metrics() { return metrics_; }
  const IngestLimits& limits() const { return limits_; }
  TransportMetrics& For(Transport t) { return per_transport_[static_cast<size_t>(t)]; }

 private:
  const Clock& clock_;
  const syslog::ZoneRules& zones_;
  store::Committer& committer_;
  Metrics& metrics_;
  IngestLimits limits_;
  TransportMetrics per_transport_[8];
  Counter* parse_errors_;
  std::atomic<size_t> connections_{0};
};

}  // namespace kiroku::ingest
