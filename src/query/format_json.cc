#include "query/format_json.h"

#include <algorithm>
#include <span>
#include <vector>

#include "query/fields.h"
#include "query/internal/base64.h"
#include "query/internal/structured_data.h"
#include "query/internal/utf8.h"
#include "query/ip_address.h"
#include "query/time_arg.h"

namespace kiroku::query {
namespace {

constexpr size_t kFlushBytes = size_t{64} * 1024;

// Writes one object's members, adding the commas, so optional members need no bookkeeping.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string* out) : out_(out) { out_->push_back('{'); }
  void Key(std::string_view k) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(k);  // keys are our own ASCII names, or SD names escaped by the caller
    out_->append("\":");
  }
  void String(std::string_view k, std::string_view v) {
    Key(k);
    AppendJsonString(v, out_);
  }
  void Number(std::string_view k, int64_t v) {
    Key(k);
    out_->append(std::to_string(v));
  }
  void Bool(std::string_view k, bool v) {
    Key(k);
    out_->append(v ? "true" : "false");
  }
  void End() { out_->push_back('}'); }

 private:
  std::string* out_;
  bool first_ = true;
};

void AppendStructuredData(const std::vector<internal::SdElement>& elements, std::string* out) {
  out->push_back('{');
  for (size_t e = 0; e < elements.size(); ++e) {
    if (e > 0) out->push_back(',');
    AppendJsonString(elements[e].id, out);
    out->append(":{");
    const auto& params = elements[e].params;
    // A name may repeat within an element (RFC 5424 allows it): its values become an array.
    bool first = true;
    for (size_t p = 0; p < params.size(); ++p) {
      bool seen = false;
      for (size_t q = 0; q < p && !seen; ++q) seen = params[q].first == params[p].first;
      if (seen) continue;
      size_t count = 0;
      for (size_t q = p; q < params.size(); ++q) count += params[q].first == params[p].first;
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(params[p].first, out);
      out->push_back(':');
      if (count == 1) {
        AppendJsonString(params[p].second, out);
        continue;
      }
      out->push_back('[');
      bool first_value = true;
      for (size_t q = p; q < params.size(); ++q) {
        if (params[q].first != params[p].first) continue;
        if (!first_value) out->push_back(',');
        first_value = false;
        AppendJsonString(params[q].second, out);
      }
      out->push_back(']');
    }
    out->push_back('}');
  }
  out->push_back('}');
}

// One normalised field present in a record, named relative to the object being written.
struct NamedField {
  std::string_view rel;  // e.g. "target.name" inside "user"
  normalize::Field field;
};

void AppendNormalizedValue(const normalize::Event& e, normalize::Field f, std::string* out) {
  const normalize::FieldInfo& info = normalize::Info(f);
  bool first = true;
  if (info.list) out->push_back('[');
  e.ForEach(f, [&](std::string_view v) {
    if (!info.list && !first) return;
    if (!first) out->push_back(',');
    first = false;
    if (info.type == normalize::ValueType::kInteger || info.type == normalize::ValueType::kBool) {
      out->append(v);  // Event::Add admitted only digits / true / false
    } else {
      AppendJsonString(v, out);
    }
  });
  if (info.list) out->push_back(']');
}

// Writes fields (sorted by rel) into an open object, nesting at each dot.
void AppendNested(const normalize::Event& e, std::span<const NamedField> fields, ObjectWriter* obj,
                  std::string* out) {
  size_t i = 0;
  while (i < fields.size()) {
    std::string_view rel = fields[i].rel;
    size_t dot = rel.find('.');
    if (dot == std::string_view::npos) {
      obj->Key(rel);
      AppendNormalizedValue(e, fields[i].field, out);
      ++i;
      continue;
    }
    std::string_view head = rel.substr(0, dot);
    std::vector<NamedField> inner;
    while (i < fields.size() && fields[i].rel.size() > dot &&
           fields[i].rel.substr(0, dot + 1) == rel.substr(0, dot + 1)) {
      inner.push_back({fields[i].rel.substr(dot + 1), fields[i].field});
      ++i;
    }
    obj->Key(head);
    ObjectWriter child(out);
    AppendNested(e, inner, &child, out);
    child.End();
  }
}

// The normalised fields of `e` under top-level object `group` ("event", "source", ...), sorted.
std::vector<NamedField> FieldsUnder(const normalize::Event& e, std::string_view group) {
  std::vector<NamedField> out;
  for (const normalize::Event::Entry& entry : e.entries()) {
    std::string_view name = normalize::Info(entry.field).name;
    if (name.size() <= group.size() + 1 || name.substr(0, group.size()) != group ||
        name[group.size()] != '.') {
      continue;
    }
    bool seen = false;
    for (const NamedField& f : out) seen = seen || f.field == entry.field;
    if (!seen) out.push_back({name.substr(group.size() + 1), entry.field});
  }
  std::sort(out.begin(), out.end(),
            [](const NamedField& a, const NamedField& b) { return a.rel < b.rel; });
  return out;
}

// Top-level groups of the normalised fields other than the ones the base record writes
// itself (event, kiroku), in schema order.
std::vector<std::string_view> OtherGroups(const normalize::Event& e) {
  std::vector<std::string_view> groups;
  for (const normalize::FieldInfo& info : normalize::AllFieldInfos()) {
    if (!e.Has(info.field)) continue;
    std::string_view g = info.name.substr(0, info.name.find('.'));
    if (g == "event" || g == "kiroku") continue;
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  }
  return groups;
}

// ns as milliseconds with up to three decimals (microseconds): 1.5, 12, 0.001.
void AppendMilliseconds(int64_t ns, std::string* out) {
  if (ns < 0) {
    out->push_back('-');
    ns = -ns;
  }
  int64_t us = (ns + 500) / 1000;
  out->append(std::to_string(us / 1000));
  if (int64_t frac = us % 1000; frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 3 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    out->push_back('.');
    out->append(f);
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Copy runs of plain ASCII in one go: the common case by far.
    size_t run = i;
    while (run < s.size()) {
      auto b = static_cast<unsigned char>(s[run]);
      if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
      ++run;
    }
    out->append(s.data() + i, run - i);
    i = run;
    if (i >= s.size()) break;
    auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80) {
      internal::Utf8Char c = internal::DecodeUtf8(s, i);
      if (c.valid) {
        out->append(s.data() + i, c.length);
      } else {
        internal::AppendUtf8(internal::kReplacementChar, out);
      }
      i += c.length;
      continue;
    }
    ++i;
    switch (b) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[b >> 4]);
        out->push_back(kHex[b & 15]);
    }
  }
  out->push_back('"');
}

void JsonFormatter::Write(const RecordView& r, const normalize::Event* ev,
                          const RecordTimes* times) {
  const SyslogHeader& h = r.header;
  std::optional<std::vector<internal::SdElement>> sd;
  if (!h.structured_data.empty()) sd = internal::ParseStructuredData(r.Field(h.structured_data));
  bool valid_utf8 = internal::IsValidUtf8(r.raw);
  bool show_original = HasParseError(r) || !valid_utf8 || (!h.structured_data.empty() && !sd);

  ObjectWriter top(&buf_);
  top.Key("@timestamp");
  buf_.push_back('"');
  AppendRfc3339(times ? times->shown_ns : TimestampNs(r), 9, &buf_);
  buf_.push_back('"');

  top.Key("event");
  ObjectWriter event(&buf_);
  event.Key("created");
  buf_.push_back('"');
  AppendRfc3339(r.receive_time_ns, 9, &buf_);
  buf_.push_back('"');
  if (show_original) event.String("original", r.raw);
  if (ev) AppendNested(*ev, FieldsUnder(*ev, "event"), &event, &buf_);
  event.End();

  if (!h.host.empty()) {
    top.Key("host");
    ObjectWriter host(&buf_);
    host.String("name", r.Field(h.host));
    host.End();
  }

  bool has_syslog = h.facility >= 0 || h.severity >= 0 || !h.msgid.empty() || (sd && !sd->empty());
  std::optional<int64_t> pid = ProcessId(r);
  bool odd_procid = !h.procid.empty() && !pid;
  std::optional<IpAddress> peer_ip = FromPeer(r.peer);
  if (has_syslog || odd_procid || peer_ip) {
    top.Key("log");
    ObjectWriter log(&buf_);
    if (has_syslog || odd_procid) {
      log.Key("syslog");
      ObjectWriter syslog(&buf_);
      if (h.facility >= 0) {
        syslog.Key("facility");
        ObjectWriter f(&buf_);
        f.Number("code", h.facility);
        f.End();
      }
      if (h.severity >= 0) {
        syslog.Key("severity");
        ObjectWriter s(&buf_);
        s.Number("code", h.severity);
        s.End();
      }
      if (!h.msgid.empty()) syslog.String("msgid", r.Field(h.msgid));
      // A PROCID that is not a number ("worker-3") cannot be process.pid; keep it here.
      if (odd_procid) syslog.String("procid", r.Field(h.procid));
      if (sd && !sd->empty()) {
        syslog.Key("structured_data");
        AppendStructuredData(*sd, &buf_);
      }
      syslog.End();
    }
    if (peer_ip) {
      log.Key("source");
      ObjectWriter source(&buf_);
      source.String("address", peer_ip->ToString());
      source.Number("port", r.peer.port);
      source.End();
    }
    log.End();
  }

  if (!h.app.empty() || pid) {
    top.Key("process");
    ObjectWriter process(&buf_);
    if (!h.app.empty()) process.String("name", r.Field(h.app));
    if (pid) process.Number("pid", *pid);
    process.End();
  }

  if (!h.msg.empty()) top.String("message", r.Field(h.msg));

  if (ev) {
    for (std::string_view group : OtherGroups(*ev)) {
      top.Key(group);
      ObjectWriter obj(&buf_);
      AppendNested(*ev, FieldsUnder(*ev, group), &obj, &buf_);
      obj.End();
    }
  }

  top.Key("kiroku");
  ObjectWriter k(&buf_);
  k.Number("seq", static_cast<int64_t>(r.seq.value));
  k.String("transport", TransportName(r.transport));
  k.Bool("truncated", r.truncated());
  k.Bool("parse_error", HasParseError(r));
  k.Bool("framing_error", (r.flags & kFlagFramingError) != 0);
  k.Number("original_length", r.original_length);
  if (!valid_utf8) {
    k.Key("raw_base64");
    buf_.push_back('"');
    internal::AppendBase64(r.raw, &buf_);
    buf_.push_back('"');
  }
  if (times) {
    k.Key("time");
    ObjectWriter t(&buf_);
    t.String("mode", times->mode);
    t.Key("device");
    buf_.push_back('"');
    AppendRfc3339(times->device_ns, 9, &buf_);
    buf_.push_back('"');
    if (times->estimated) {
      t.Key("corrected");
      buf_.push_back('"');
      AppendRfc3339(times->corrected_ns, 9, &buf_);
      buf_.push_back('"');
      t.Key("uncertainty_ms");
      AppendMilliseconds(times->uncertainty_ns, &buf_);
    }
    t.End();
    if (times->receive_unsynced) k.Bool("receive_unsynced", true);
  }
  if (ev) AppendNested(*ev, FieldsUnder(*ev, "kiroku"), &k, &buf_);
  k.End();
  top.End();
  buf_.push_back('\n');
  if (buf_.size() >= kFlushBytes) {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
}

void JsonFormatter::Finish() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
  out_.flush();
}

}  // namespace kiroku::query
