#include "investigate/timeline.h"

#include <algorithm>
#include <cstdlib>

namespace kiroku::investigate {

namespace {

using normalize::Field;

std::string Endpoint(const EventRow& r, Field ip, Field port) {
  std::string s(r.Get(ip));
  if (s.empty()) return s;
  if (r.Has(port)) {
    s = s.find(':') != std::string::npos ? "[" + s + "]" : s;
    s += ":" + std::string(r.Get(port));
  }
  return s;
}

std::string Join(const std::vector<std::string>& values, std::string_view sep) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += sep;
    out += v;
  }
  return out;
}

}  // namespace

std::string Summarize(const EventRow& r) {
  std::vector<std::string> parts;
  auto add = [&](std::string s) {
    if (!s.empty()) parts.push_back(std::move(s));
  };
  auto field = [&](std::string_view label, Field f) {
    std::vector<std::string> all = r.All(f);
    if (!all.empty()) add(std::string(label) + Join(all, ","));
  };
  if (r.Has(Field::kUserName)) add("user=" + std::string(r.Get(Field::kUserName)));
  std::string src = Endpoint(r, Field::kSourceIp, Field::kSourcePort);
  std::string dst = Endpoint(r, Field::kDestinationIp, Field::kDestinationPort);
  if (!src.empty() && !dst.empty()) {
    add(src + " -> " + dst);
  } else if (!src.empty()) {
    add("from " + src);
  } else if (!dst.empty()) {
    add("to " + dst);
  }
  std::string url(r.Get(Field::kUrlFull));
  if (url.empty() && r.Has(Field::kUrlDomain)) {
    url = std::string(r.Get(Field::kUrlDomain)) + std::string(r.Get(Field::kUrlPath));
  }
  if (!url.empty()) {
    std::string method(r.Get(Field::kHttpRequestMethod));
    add((method.empty() ? "" : method + " ") + url);
  }
  field("status=", Field::kHttpResponseStatusCode);
  field("from=", Field::kEmailFromAddress);
  field("to=", Field::kEmailToAddress);
  field("delivery=", Field::kEmailDeliveryStatus);
  field("msgid=", Field::kEmailMessageId);
  field("attachment=", Field::kEmailAttachmentsFileName);
  field("malware=", Field::kThreatSoftwareName);
  field("file=", Field::kFilePath);
  field("dn=", Field::kLdapDn);
  field("target=", Field::kUserTargetName);
  field("group=", Field::kGroupName);
  field("outcome=", Field::kEventOutcome);
  if (r.Has(Field::kEventReason)) add("(" + std::string(r.Get(Field::kEventReason)) + ")");
  if (parts.empty()) {
    std::string m = r.message.size() > 160 ? r.message.substr(0, 160) + "..." : r.message;
    for (char& c : m) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return m;
  }
  return Join(parts, " ");
}

nlohmann::ordered_json RowJson(const EventRow& r) {
  nlohmann::ordered_json j;
  j["time"] = TimeText(r.time_ns);
  if (r.times) {
    // As `kiroku search --format json` names them (docs/query.md "Which time").
    j["kiroku.time.mode"] = std::string(r.times->mode);
    j["kiroku.time.device"] = TimeText(r.times->device_ns);
    if (r.times->estimated) {
      j["kiroku.time.corrected"] = TimeText(r.times->corrected_ns);
      const int64_t uncertainty_us = r.times->uncertainty_ns / 1000;  // whole microseconds
      j["kiroku.time.uncertainty_ms"] = static_cast<double>(uncertainty_us) / 1e3;
    }
    j["event.created"] = TimeText(r.receive_time_ns);
    if (r.times->receive_unsynced) j["kiroku.receive_unsynced"] = true;
  }
  j["seq"] = r.seq;
  j["host"] = r.host;
  j["observer.type"] = std::string(r.Get(Field::kObserverType));
  j["event.action"] = std::string(r.Get(Field::kEventAction));
  j["summary"] = Summarize(r);
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  for (const auto& entry : r.event.entries()) {
    const normalize::FieldInfo& info = normalize::Info(entry.field);
    std::string name(info.name);
    std::string text(r.event.Value(entry));
    nlohmann::ordered_json value = text;
    if (info.type == normalize::ValueType::kInteger) {
      value = std::strtoll(text.c_str(), nullptr, 10);
    } else if (info.type == normalize::ValueType::kBool) {
      value = text == "true";
    }
    if (info.list) {
      fields[name].push_back(std::move(value));
    } else {
      fields[name] = std::move(value);
    }
  }
  j["fields"] = std::move(fields);
  return j;
}

void WriteTimelineTable(const std::vector<EventRow>& rows, std::ostream& out,
                        const std::string& indent) {
  if (rows.empty()) return;
  struct Line {
    std::string cols[4];
    std::string summary;
  };
  std::vector<Line> lines;
  lines.push_back({{"time", "host", "type", "action"}, "summary"});
  for (const EventRow& r : rows) {
    lines.push_back({{TimeText(r.time_ns), r.host.empty() ? "-" : r.host,
                      r.Has(Field::kObserverType) ? std::string(r.Get(Field::kObserverType)) : "-",
                      r.Has(Field::kEventAction) ? std::string(r.Get(Field::kEventAction)) : "-"},
                     Summarize(r)});
  }
  size_t width[4] = {0, 0, 0, 0};
  for (const Line& l : lines) {
    for (int i = 0; i < 4; ++i) width[i] = std::max(width[i], l.cols[i].size());
  }
  for (const Line& l : lines) {
    out << indent;
    for (int i = 0; i < 4; ++i) {
      out << l.cols[i] << std::string(width[i] - l.cols[i].size() + 2, ' ');
    }
    out << l.summary << '\n';
  }
}

void WriteTimelineJson(const std::vector<EventRow>& rows, std::ostream& out) {
  for (const EventRow& r : rows) out << JsonText(RowJson(r)) << '\n';
}

std::string JsonText(const nlohmann::ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace kiroku::investigate
