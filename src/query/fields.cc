#include "query/fields.h"

#include <array>
#include <charconv>
#include <vector>

#include "query/time_arg.h"

namespace kiroku::query {
namespace {

std::optional<FieldValue> Text(std::string_view s) {
  if (s.empty()) return std::nullopt;
  FieldValue v;
  v.text = s;
  return v;
}
std::optional<FieldValue> Number(int64_t n) {
  FieldValue v;
  v.number = n;
  return v;
}
std::optional<FieldValue> Bool(bool b) {
  FieldValue v;
  v.boolean = b;
  return v;
}
std::optional<FieldValue> SmallCode(int8_t code) {
  if (code < 0) return std::nullopt;
  return Number(code);
}

// Captureless lambdas convert to the Extractor function pointer, so the table stays constexpr.
constexpr std::array kFields = {
    FieldDef{"@timestamp", FieldType::kTime, false,
             [](const RecordView& r) { return Number(TimestampNs(r)); },
             "Device time (UTC); the receive time when the message carried no usable time."},
    FieldDef{"event.created", FieldType::kTime, false,
             [](const RecordView& r) { return Number(r.receive_time_ns); },
             "Receive time (UTC), from kiroku's clock."},
    FieldDef{"host.name", FieldType::kKeyword, true,
             [](const RecordView& r) { return Text(r.Field(r.header.host)); },
             "HOSTNAME from the syslog header."},
    FieldDef{"process.name", FieldType::kKeyword, true,
             [](const RecordView& r) { return Text(r.Field(r.header.app)); },
             "APP-NAME (RFC 5424) or TAG (BSD syslog)."},
    FieldDef{"process.pid", FieldType::kInteger, false,
             [](const RecordView& r) -> std::optional<FieldValue> {
               std::optional<int64_t> pid = ProcessId(r);
               if (!pid) return std::nullopt;
               return Number(*pid);
             },
             "PROCID, or the pid in TAG[pid], when numeric."},
    FieldDef{"log.syslog.facility.code", FieldType::kInteger, false,
             [](const RecordView& r) { return SmallCode(r.header.facility); },
             "Facility 0..23 from PRI."},
    FieldDef{"log.syslog.severity.code", FieldType::kInteger, false,
             [](const RecordView& r) { return SmallCode(r.header.severity); },
             "Severity 0 (emergency) .. 7 (debug) from PRI."},
    FieldDef{"log.syslog.procid", FieldType::kKeyword, false,
             [](const RecordView& r) { return Text(r.Field(r.header.procid)); },
             "PROCID as written, numeric or not (process.pid holds it when numeric)."},
    FieldDef{"log.syslog.msgid", FieldType::kKeyword, false,
             [](const RecordView& r) { return Text(r.Field(r.header.msgid)); },
             "MSGID (RFC 5424)."},
    FieldDef{"log.syslog.structured_data", FieldType::kText, false,
             [](const RecordView& r) { return Text(r.Field(r.header.structured_data)); },
             "STRUCTURED-DATA (RFC 5424), searched as text."},
    FieldDef{"log.source.address", FieldType::kIp, false,
             [](const RecordView& r) -> std::optional<FieldValue> {
               std::optional<IpAddress> ip = FromPeer(r.peer);
               if (!ip) return std::nullopt;
               FieldValue v;
               v.ip = *ip;
               return v;
             },
             "Address of the sending socket (a relay, if the message was relayed)."},
    FieldDef{"log.source.port", FieldType::kInteger, false,
             [](const RecordView& r) -> std::optional<FieldValue> {
               if (r.peer.family == 0) return std::nullopt;
               return Number(r.peer.port);
             },
             "Port of the sending socket."},
    FieldDef{"message", FieldType::kText, true,
             [](const RecordView& r) { return Text(r.Field(r.header.msg)); },
             "The free-form message (the whole line when the header could not be parsed)."},
    FieldDef{"event.original", FieldType::kText, false,
             [](const RecordView& r) { return Text(r.raw); },
             "The raw bytes as received (the received prefix when truncated)."},
    FieldDef{"kiroku.seq", FieldType::kInteger, false,
             [](const RecordView& r) { return Number(static_cast<int64_t>(r.seq.value)); },
             "Sequence number in kiroku's log, from 1."},
    FieldDef{"kiroku.transport", FieldType::kKeyword, false,
             [](const RecordView& r) { return Text(TransportName(r.transport)); },
             "udp, tcp, tls, relp, import or internal."},
    FieldDef{"kiroku.truncated", FieldType::kBool, false,
             [](const RecordView& r) { return Bool(r.truncated()); },
             "The message was longer than the limit; only its prefix was kept."},
    FieldDef{"kiroku.parse_error", FieldType::kBool, false,
             [](const RecordView& r) { return Bool(HasParseError(r)); },
             "The syslog header was malformed."},
    FieldDef{"kiroku.framing_error", FieldType::kBool, false,
             [](const RecordView& r) { return Bool((r.flags & kFlagFramingError) != 0); },
             "The transport framing around this message was broken."},
    FieldDef{"kiroku.original_length", FieldType::kInteger, false,
             [](const RecordView& r) { return Number(r.original_length); },
             "Length in bytes as sent, before any truncation."},
};

}  // namespace

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kKeyword:
      return "keyword";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kTime:
      return "time";
    case FieldType::kIp:
      return "ip";
    case FieldType::kBool:
      return "boolean";
  }
  return "?";
}

namespace {

FieldType TypeOf(normalize::ValueType t) {
  switch (t) {
    case normalize::ValueType::kKeyword:
      return FieldType::kKeyword;
    case normalize::ValueType::kText:
      return FieldType::kText;
    case normalize::ValueType::kInteger:
      return FieldType::kInteger;
    case normalize::ValueType::kIp:
      return FieldType::kIp;
    case normalize::ValueType::kBool:
      return FieldType::kBool;
  }
  return FieldType::kKeyword;
}

const std::vector<FieldDef>& Table() {
  static const std::vector<FieldDef> table = [] {
    std::vector<FieldDef> t(kFields.begin(), kFields.end());
    for (const normalize::FieldInfo& info : normalize::AllFieldInfos()) {
      t.push_back(
          FieldDef{info.name, TypeOf(info.type), false, nullptr, info.description, info.field});
    }
    return t;
  }();
  return table;
}

}  // namespace

std::span<const FieldDef> AllFields() { return Table(); }

const FieldDef* FindField(std::string_view name) {
  for (const FieldDef& f : Table()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::optional<FieldValue> NormalizedValue(FieldType type, std::string_view text) {
  FieldValue v;
  switch (type) {
    case FieldType::kText:
    case FieldType::kKeyword:
      v.text = text;
      return v;
    case FieldType::kInteger:
    case FieldType::kTime: {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v.number);
      if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return v;
    }
    case FieldType::kIp: {
      std::optional<IpAddress> ip = ParseIpAddress(text);
      if (!ip) return std::nullopt;
      v.ip = *ip;
      return v;
    }
    case FieldType::kBool:
      if (text != "true" && text != "false") return std::nullopt;
      v.boolean = text == "true";
      return v;
  }
  return std::nullopt;
}

void AppendFieldText(FieldType type, const FieldValue& v, std::string* out) {
  switch (type) {
    case FieldType::kText:
    case FieldType::kKeyword:
      out->append(v.text);
      return;
    case FieldType::kInteger:
      out->append(std::to_string(v.number));
      return;
    case FieldType::kTime:
      out->append(FormatRfc3339(v.number));
      return;
    case FieldType::kIp:
      out->append(v.ip.ToString());
      return;
    case FieldType::kBool:
      out->append(v.boolean ? "true" : "false");
      return;
  }
}

int64_t TimestampNs(const RecordView& r) {
  return r.header.device_time_ns.value_or(r.receive_time_ns);
}

std::optional<int64_t> ProcessId(const RecordView& r) {
  std::string_view s = r.Field(r.header.procid);
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t pid = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return pid;
}

}  // namespace kiroku::query
