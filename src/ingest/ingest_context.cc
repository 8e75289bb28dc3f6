#include "ingest/ingest_context.h"

#include <string>

#include "syslog/parser.h"

namespace kiroku::ingest {

IngestContext::IngestContext(const Clock& clock, const syslog::ZoneRules& zones,
                             store::Committer& committer, Metrics& metrics, IngestLimits limits)
    : clock_(clock), zones_(zones), committer_(committer), metrics_(metrics), limits_(limits) {
  for (Transport t : {Transport::kUdp, Transport::kTcp, Transport::kTls, Transport::kRelp}) {
    Labels l{{"transport", std::string(TransportName(t))}};
    TransportMetrics& m = per_transport_[static_cast<size_t>(t)];
    m.received =
        &metrics.GetCounter("kiroku_messages_received_total", "Messages received, by transport", l);
    m.truncated = &metrics.GetCounter("kiroku_messages_truncated_total",
                                      "Messages longer than the limit, stored truncated", l);
  }
  // Framing and connections exist only for the stream transports kiroku frames itself.
  for (Transport t : {Transport::kTcp, Transport::kTls}) {
    Labels l{{"transport", std::string(TransportName(t))}};
    TransportMetrics& m = per_transport_[static_cast<size_t>(t)];
    m.framing_errors =
        &metrics.GetCounter("kiroku_framing_errors_total",
                            "Broken octet-count headers (connection fell back to LF)", l);
    m.connections = &metrics.GetGauge("kiroku_connections", "Open connections, by transport", l);
  }
  parse_errors_ = &metrics.GetCounter("kiroku_parse_errors_total",
                                      "Messages whose syslog header was malformed (kept whole)");
  for (const char* reason : {"limit", "tls_handshake", "tls_fingerprint"}) {
    metrics.GetCounter("kiroku_connections_rejected_total", "Connections refused, by reason",
                       {{"reason", reason}});
  }
  for (const char* reason : {"queue_full", "shutdown"}) {
    metrics.GetCounter("kiroku_messages_dropped_total", "Messages not stored, by reason",
                       {{"reason", reason}});
  }
}

void IngestContext::AddFrame(store::RecordBatch& batch, Transport transport,
                             const PeerAddress& peer, int64_t receive_time_ns,
                             std::string_view bytes, uint64_t original_length, bool truncated,
                             bool framing_error) {
  RecordView r;
  r.receive_time_ns = receive_time_ns;
  r.transport = transport;
  r.peer = peer;
  r.raw = bytes;
  r.original_length =
      original_length > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(original_length);
  r.header = syslog::ParseSyslog(bytes, receive_time_ns, zones_, peer);
  TransportMetrics& m = For(transport);
  m.received->Add();
  if (truncated) {
    r.flags |= kFlagTruncated;
    m.truncated->Add();
  }
  if (framing_error) r.flags |= kFlagFramingError;
  if (r.header.parse_error) {
    r.flags |= kFlagParseError;
    parse_errors_->Add();
  }
  batch.Add(r);
}

bool IngestContext::TryAcquireConnection(Transport transport) {
  size_t now = connections_.fetch_add(1) + 1;
  if (now > limits_.max_connections) {
    connections_.fetch_sub(1);
    CountRejected("limit");
    return false;
  }
  For(transport).connections->Add(1);
  return true;
}

void IngestContext::ReleaseConnection(Transport transport) {
  connections_.fetch_sub(1);
  For(transport).connections->Add(-1);
}

void IngestContext::CountRejected(const char* reason) {
  metrics_
      .GetCounter("kiroku_connections_rejected_total", "Connections refused, by reason",
                  {{"reason", reason}})
      .Add();
}

void IngestContext::CountDropped(const char* reason, uint64_t n) {
  metrics_
      .GetCounter("kiroku_messages_dropped_total", "Messages not stored, by reason",
                  {{"reason", reason}})
      .Add(n);
}

}  // namespace kiroku::ingest
