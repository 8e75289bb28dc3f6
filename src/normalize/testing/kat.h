// Known-answer tests for the normalisers, read from src/normalize/testdata/<family>.jsonl.
//
// One JSON object per line:
//   {"name": "netfilter drop", "line": "<4>Nov 26 ... kernel: DROP IN=eth0 ...",
//    "fields": {"source.ip": "10.0.0.1", "destination.port": 22, "event.category": ["network"]}}
// or, for formats whose lines are correlated (Postfix, slapd, W3C):
//   {"name": "...", "lines": ["...", "..."], "fields": [{...}, {...}]}
// "line" is the message exactly as a sender puts it on the wire (with its syslog header, or a
// bare line as a file holds it). "fields" must equal the record's normalised fields exactly:
// every field the normaliser set and nothing else ({} = the format must not be recognised).
// A value is a string, a number, a boolean, or an array for several values of one field.
// Optional: "peer" (default 192.0.2.10), "config": {"internal_networks": [...],
// "admins": [...]}.
//
// The same files feed docs/schema.md's examples (tests/gen_schema_doc.py), so what the docs show
// is what the tests check.
//
//   TEST(NetfilterKat, All) { RunKatFile("firewall.jsonl", &NormalizeFirewall); }
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/record.h"
#include "normalize/config.h"
#include "normalize/event.h"
#include "normalize/family.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

#ifndef KIROKU_SOURCE_DIR
#error "KIROKU_SOURCE_DIR must be defined for the normaliser tests"
#endif

namespace kiroku::normalize::testing {

// 2026-11-26T14:37:42Z, when the samples were "received".
inline constexpr int64_t kKatReceiveNs = 1795703862LL * 1'000'000'000;

using FieldMap = std::map<std::string, std::vector<std::string>>;

inline FieldMap ToMap(const Event& e) {
  FieldMap m;
  for (const Event::Entry& entry : e.entries()) {
    m[std::string(Info(entry.field).name)].emplace_back(e.Value(entry));
  }
  return m;
}

inline std::string JsonScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

inline FieldMap ExpectedMap(const nlohmann::json& fields) {
  FieldMap m;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    std::vector<std::string>& values = m[it.key()];
    if (it.value().is_array()) {
      for (const auto& v : it.value()) values.push_back(JsonScalarText(v));
    } else {
      values.push_back(JsonScalarText(it.value()));
    }
  }
  return m;
}

inline std::string Describe(const FieldMap& m) {
  std::string s;
  for (const auto& [k, vs] : m) {
    for (const auto& v : vs) s += "  " + k + " = " + v + "\n";
  }
  return s.empty() ? "  (no fields)\n" : s;
}

// A record parsed from a wire line, owning its bytes.
struct KatRecord {
  std::string raw;
  RecordView view;
};

inline std::unique_ptr<KatRecord> MakeKatRecord(const std::string& line, const std::string& peer,
                                                uint64_t seq) {
  static const syslog::ZoneRules zones = [] {
    syslog::ZoneRules z;
    Status s = z.SetDefault("UTC");
    (void)s;
    return z;
  }();
  auto rec = std::make_unique<KatRecord>();
  rec->raw = line;
  RecordView& v = rec->view;
  v.seq = SeqNo{seq};
  v.receive_time_ns = kKatReceiveNs;
  v.transport = Transport::kUdp;
  v.peer.family = 4;
  inet_pton(AF_INET, peer.c_str(), v.peer.addr.data());
  v.peer.port = 514;
  v.raw = rec->raw;
  v.original_length = static_cast<uint32_t>(rec->raw.size());
  v.header = syslog::ParseSyslog(rec->raw, kKatReceiveNs, zones, v.peer);
  return rec;
}

inline Config KatConfig(const nlohmann::json& c) {
  Config config;
  if (c.contains("internal_networks")) {
    for (const auto& n : c["internal_networks"]) {
      Status s = config.AddInternalNetwork(n.get<std::string>());
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }
  if (c.contains("admins")) {
    for (const auto& a : c["admins"]) config.AddAdmin(a.get<std::string>());
  }
  return config;
}

// Normalises each case's lines with `fn` (and, when given, two passes through a correlator
// made by `make_correlator`) and compares every line's fields with the expectation.
// Returns the number of cases run (so a test can assert the file was not empty).
inline int RunKatFile(const std::string& file,
                      const std::function<bool(const Input&, const Config&, Event*)>& fn,
                      const std::function<std::unique_ptr<Correlator>()>& make_correlator = {}) {
  std::string path = std::string(KIROKU_SOURCE_DIR) + "/src/normalize/testdata/" + file;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  int cases = 0;
  int lineno = 0;
  for (std::string text; std::getline(in, text);) {
    ++lineno;
    if (text.empty() || text[0] == '#') continue;
    nlohmann::json c = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (c.is_discarded()) {
      ADD_FAILURE() << path << ":" << lineno << ": not JSON";
      continue;
    }
    ++cases;
    std::string name = c.value("name", "line " + std::to_string(lineno));
    std::string peer = c.value("peer", "192.0.2.10");
    Config config = KatConfig(c.value("config", nlohmann::json::object()));
    std::vector<std::string> lines;
    std::vector<nlohmann::json> expected;
    if (c.contains("lines")) {
      for (const auto& l : c["lines"]) lines.push_back(l.get<std::string>());
      for (const auto& f : c["fields"]) expected.push_back(f);
    } else {
      lines.push_back(c["line"].get<std::string>());
      expected.push_back(c["fields"]);
    }
    if (lines.size() != expected.size()) {
      ADD_FAILURE() << path << ":" << lineno << ": lines and fields differ in number";
      continue;
    }
    std::vector<std::unique_ptr<KatRecord>> records;
    std::vector<Event> events(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      records.push_back(MakeKatRecord(lines[i], peer, i + 1));
      fn(Input::From(records[i]->view), config, &events[i]);
    }
    if (make_correlator) {
      std::unique_ptr<Correlator> corr = make_correlator();
      for (size_t i = 0; i < lines.size(); ++i) corr->Observe(records[i]->view, events[i]);
      for (size_t i = 0; i < lines.size(); ++i) corr->Enrich(records[i]->view, &events[i]);
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      FieldMap got = ToMap(events[i]);
      FieldMap want = ExpectedMap(expected[i]);
      EXPECT_EQ(got, want) << path << ":" << lineno << " \"" << name << "\" line " << i + 1
                           << ":\n  " << lines[i] << "\n got:\n"
                           << Describe(got) << " want:\n"
                           << Describe(want);
    }
  }
  return cases;
}

}  // namespace kiroku::normalize::testing
