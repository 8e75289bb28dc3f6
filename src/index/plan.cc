#include "index/plan.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "index/terms.h"
#include "query/tokenizer.h"

namespace kiroku::index {
namespace {

using query::FieldDef;
using query::Node;
using segment::BlockSet;

struct Part {
  size_t start;
  size_t end;
};

// The word-byte runs of a search term (query/tokenizer.h's parts), as AddTextRuns cuts tokens.
std::vector<Part> PartsOf(std::string_view term) {
  std::vector<Part> parts;
  size_t i = 0;
  while (i < term.size()) {
    while (i < term.size() && !query::IsWordByte(term[i])) ++i;
    if (i >= term.size()) break;
    size_t start = i;
    while (i < term.size() && query::IsWordByte(term[i])) ++i;
    parts.push_back({start, i});
  }
  return parts;
}

// What a segment's index_info says, as far as the planner cares.
struct IndexState {
  bool usable = false;  // a key format version this planner knows
  bool trust_normalized = true;
};

std::string ParseSettingsHash(std::string_view index_info, bool* ok) {
  nlohmann::json j = nlohmann::json::parse(index_info, nullptr, /*allow_exceptions=*/false);
  *ok = j.is_object() && j.contains("version") && j["version"].is_number_integer() &&
        j["version"].get<int64_t>() == kIndexVersion;
  if (j.is_object() && j.contains("normalize_settings_hash") &&
      j["normalize_settings_hash"].is_string()) {
    return j["normalize_settings_hash"].get<std::string>();
  }
  return "";
}

// Every segment of a data directory usually carries the same index_info, and a search plans
// each of them: the last answer is kept (per thread) so that the JSON is parsed once.
std::string SettingsHashOf(std::string_view index_info, bool* ok) {
  struct Memo {
    std::string input;
    std::string hash;
    bool ok = false;
    bool set = false;
  };
  thread_local Memo memo[2];  // the segment's and the engine's current settings alternate
  for (Memo& m : memo) {
    if (m.set && m.input == index_info) {
      *ok = m.ok;
      return m.hash;
    }
  }
  Memo& m = memo[0].set && !memo[1].set ? memo[1] : memo[0];
  m.input.assign(index_info);
  m.hash = ParseSettingsHash(index_info, &m.ok);
  m.set = true;
  *ok = m.ok;
  return m.hash;
}

IndexState ReadIndexState(const segment::SegmentMeta& meta, const PlanOptions& options) {
  IndexState s;
  std::string hash = SettingsHashOf(meta.index_info, &s.usable);
  if (!options.current_index_info.empty()) {
    bool current_ok = false;
    std::string current = SettingsHashOf(options.current_index_info, &current_ok);
    s.trust_normalized = current_ok && !hash.empty() && hash == current;
  }
  return s;
}

class Planner {
 public:
  Planner(const segment::SealedSegment& seg, IndexState state)
      : seg_(seg), n_(seg.block_count()), state_(state) {}

  Status Plan(const Node& node, BlockSet* out) {
    switch (node.kind) {
      case Node::Kind::kMatchAll:
      case Node::Kind::kNot:  // block-level postings cannot be negated
        *out = All();
        return Status::Ok();
      case Node::Kind::kTerm:
        return PlanTerm(node.term, out);
      case Node::Kind::kAnd: {
        *out = All();
        for (const Node& c : node.children) {
          if (c.kind == Node::Kind::kNot || c.kind == Node::Kind::kMatchAll) continue;
          BlockSet s;
          KIROKU_RETURN_IF_ERROR(Plan(c, &s));
          out->IntersectWith(s);
          if (out->Empty()) break;
        }
        return Status::Ok();
      }
      case Node::Kind::kOr: {
        *out = BlockSet();
        for (const Node& c : node.children) {
          BlockSet s;
          KIROKU_RETURN_IF_ERROR(Plan(c, &s));
          out->UnionWith(s);
          if (IsAll(*out)) break;
        }
        return Status::Ok();
      }
    }
    *out = All();
    return Status::Ok();
  }

 private:
  BlockSet All() const { return BlockSet::All(n_); }
  bool IsAll(const BlockSet& s) const { return s.Cardinality() >= n_; }

  Status Lookup(const std::string& key, BlockSet* out) {
    *out = BlockSet();
    return seg_.Lookup(key, out);
  }

  // Unites the blocks of every key in [lo, hi] that `accept` takes; stops once every block is in.
  template <typename Accept>
  Status Scan(const std::string& lo, const std::string& hi, Accept&& accept, BlockSet* out) {
    *out = BlockSet();
    Status s = seg_.ScanRange(lo, hi, [&](std::string_view key, const BlockSet& blocks) {
      if (!accept(key)) return true;
      out->UnionWith(blocks);
      return !IsAll(*out);
    });
    return s;
  }

  Status PrefixScan(const std::string& prefix, BlockSet* out) {
    std::string hi = prefix;
    hi.append(kMaxKeywordBytes + 1, '\xff');
    return Scan(
        prefix, hi, [&](std::string_view key) { return key.starts_with(prefix); }, out);
  }

  Status PlanTerm(const query::Term& term, BlockSet* out) {
    *out = BlockSet();
    std::vector<std::string_view> text_fields_done;
    for (const FieldDef* f : term.fields) {
      if (std::holds_alternative<query::TextTest>(term.test) && Trusted(*f)) {
        // Several default-search fields share `_text`: one lookup for all of them.
        std::string_view kf = TextKeyField(*f);
        if (std::find(text_fields_done.begin(), text_fields_done.end(), kf) !=
            text_fields_done.end()) {
          continue;
        }
        text_fields_done.push_back(kf);
      }
      BlockSet s;
      KIROKU_RETURN_IF_ERROR(PlanFieldTest(*f, term.test, &s));
      out->UnionWith(s);
      if (IsAll(*out)) break;
    }
    return Status::Ok();
  }

  bool Trusted(const FieldDef& f) const { return !f.normalized || state_.trust_normalized; }

  // The blocks that hold the field at all: every block when presence is not indexed.
  Status Presence(const FieldDef& f, const FieldIndexing& how, BlockSet* out) {
    if (!how.presence || !state_.usable) {
      *out = All();
      return Status::Ok();
    }
    return Lookup(PresenceKey(f.name), out);
  }

  Status PlanFieldTest(const FieldDef& f, const query::Test& test, BlockSet* out) {
    const FieldIndexing how = IndexingOf(f);
    if (how.values == ValueIndex::kBlockTime || how.values == ValueIndex::kBlockSeq) {
      return PlanBlockTable(f, how, test, out);
    }
    if (!state_.usable || !Trusted(f)) {
      *out = All();
      return Status::Ok();
    }
    return std::visit([&](const auto& t) -> Status { return PlanTest(f, how, t, out); }, test);
  }

  Status PlanBlockTable(const FieldDef& f, const FieldIndexing& how, const query::Test& test,
                        BlockSet* out) {
    const auto* r = std::get_if<query::IntRangeTest>(&test);
    if (!r) {
      *out = All();
      return Status::Ok();
    }
    *out = BlockSet();
    for (uint32_t i = 0; i < n_; ++i) {
      const segment::BlockInfo& b = seg_.block(i);
      int64_t lo, hi;
      if (how.values == ValueIndex::kBlockSeq) {
        if (b.count == 0) continue;
        lo = static_cast<int64_t>(b.first.value);
        hi = static_cast<int64_t>(b.first.value + b.count - 1);
      } else if (f.name == "event.created") {
        lo = b.min_received_ns;
        hi = b.max_received_ns;
      } else {
        lo = b.min_timestamp_ns;
        hi = b.max_timestamp_ns;
      }
      if (r->lo <= hi && lo <= r->hi) out->Add(i);
    }
    return Status::Ok();
  }

  Status PlanTest(const FieldDef& f, const FieldIndexing& how, const query::Exists&,
                  BlockSet* out) {
    return Presence(f, how, out);
  }

  Status PlanTest(const FieldDef& f, const FieldIndexing& how, const query::TextTest& t,
                  BlockSet* out) {
    if (how.values != ValueIndex::kText && !how.bare_text) return Presence(f, how, out);
    return PlanText(TextKeyField(f), t.pattern, out);
  }

  Status PlanTest(const FieldDef& f, const FieldIndexing& how, const query::KeywordTest& t,
                  BlockSet* out) {
    if (how.values == ValueIndex::kKeyword) {
      std::string key = KeywordKey(f.name, t.value);
      return t.prefix ? PrefixScan(key, out) : Lookup(key, out);
    }
    if (how.values == ValueIndex::kIp) return PlanIpText(f, t, out);
    return Presence(f, how, out);
  }

  Status PlanTest(const FieldDef& f, const FieldIndexing& how, const query::IntRangeTest& t,
                  BlockSet* out) {
    if (t.lo > t.hi) {
      *out = BlockSet();
      return Status::Ok();
    }
    if (how.values != ValueIndex::kInteger) return Presence(f, how, out);
    const size_t key_size = f.name.size() + 1 + 8;
    return Scan(
        IntKey(f.name, t.lo), IntKey(f.name, t.hi),
        [&](std::string_view key) { return key.size() == key_size; }, out);
  }

  Status PlanTest(const FieldDef& f, const FieldIndexing& how, const query::IpRangeTest& t,
                  BlockSet* out) {
    if (t.hi < t.lo) {
      *out = BlockSet();
      return Status::Ok();
    }
    if (how.values != ValueIndex::kIp) return Presence(f, how, out);
    const size_t key_size = f.name.size() + 1 + 16;
    return Scan(
        IpKey(f.name, t.lo), IpKey(f.name, t.hi),
        [&](std::string_view key) { return key.size() == key_size; }, out);
  }

  Status PlanTest(const FieldDef& f, const FieldIndexing& how, const query::BoolTest& t,
                  BlockSet* out) {
    if (how.values == ValueIndex::kBoolTrue && t.value) {
      return Lookup(KeywordKey(f.name, "true"), out);
    }
    return Presence(f, how, out);  // "false" is not indexed
  }

  // `10.0.*` on an IP field compares the address's text: scan the field's addresses (only the
  // IPv4 ones under the leading whole octets when the prefix is dotted) and test their text.
  Status PlanIpText(const FieldDef& f, const query::KeywordTest& t, BlockSet* out) {
    query::IpAddress lo, hi;
    hi.bytes.fill(0xff);
    const std::string_view v = t.value;
    if (v.find('.') != std::string_view::npos && v.find(':') == std::string_view::npos) {
      lo.bytes[10] = lo.bytes[11] = 0xff;  // ::ffff:0.0.0.0 .. ::ffff:255.255.255.255
      hi.bytes.fill(0);
      hi.bytes[10] = hi.bytes[11] = 0xff;
      hi.bytes[12] = hi.bytes[13] = hi.bytes[14] = hi.bytes[15] = 0xff;
      size_t pos = 0;
      for (int octet = 0; octet < 4; ++octet) {
        size_t dot = v.find('.', pos);
        if (dot == std::string_view::npos || dot == pos || dot - pos > 3) break;
        int value = 0;
        bool digits = true;
        for (size_t i = pos; i < dot; ++i) {
          if (v[i] < '0' || v[i] > '9') digits = false;
          value = value * 10 + (v[i] - '0');
        }
        if (!digits || value > 255) break;
        lo.bytes[12 + octet] = hi.bytes[12 + octet] = static_cast<uint8_t>(value);
        pos = dot + 1;
      }
    }
    const size_t key_size = f.name.size() + 1 + 16;
    const size_t value_at = f.name.size() + 1;
    return Scan(
        IpKey(f.name, lo), IpKey(f.name, hi),
        [&](std::string_view key) {
          if (key.size() != key_size) return false;
          query::IpAddress ip;
          std::copy(key.begin() + value_at, key.end(), ip.bytes.begin());
          std::string text = ip.ToString();
          return t.prefix ? query::StartsWithFolded(text, t.value)
                          : query::EqualsFolded(text, t.value);
        },
        out);
  }

  // A word (or a phrase: every word, each a run of parts of some token) on the runs under
  // `kf`. A prefix word matches where a part begins, so its key starts a run.
  Status PlanText(std::string_view kf, const query::TextPattern& p, BlockSet* out) {
    *out = All();
    for (size_t i = 0; i < p.terms.size(); ++i) {
      const bool prefix = p.last_is_prefix && i + 1 == p.terms.size();
      BlockSet s;
      KIROKU_RETURN_IF_ERROR(PlanWord(kf, p.terms[i], prefix, &s));
      out->IntersectWith(s);
      if (out->Empty()) break;
    }
    return Status::Ok();
  }

  Status PlanWord(std::string_view kf, const std::string& term, bool prefix, BlockSet* out) {
    const std::vector<Part> parts = PartsOf(term);
    if (parts.empty()) {
      *out = All();
      return Status::Ok();
    }
    size_t full = parts.size();  // parts certainly whole in the matching token
    size_t runs = parts.size();  // parts of the shortest indexed run that starts with `term`
    if (prefix) {
      if (query::IsWordByte(term.back())) {
        full = parts.size() - 1;  // the last part may continue in the token
      } else {
        runs = parts.size() + 1;  // `10.0.*`: a part follows the trailing joiners
      }
    }
    if (runs <= kMaxRunParts) {
      std::string key = TextKey(kf, term);
      return prefix ? PrefixScan(key, out) : Lookup(key, out);
    }
    // Longer: every window of 4 whole parts is an indexed run of the matching token.
    *out = All();
    for (size_t w = 0; w + kMaxRunParts <= full; ++w) {
      std::string_view window = std::string_view(term).substr(
          parts[w].start, parts[w + kMaxRunParts - 1].end - parts[w].start);
      BlockSet s;
      KIROKU_RETURN_IF_ERROR(Lookup(TextKey(kf, window), &s));
      out->IntersectWith(s);
      if (out->Empty()) break;
    }
    return Status::Ok();
  }

  const segment::SealedSegment& seg_;
  const uint32_t n_;
  const IndexState state_;
};

// Closed intervals a query confines @timestamp, event.created and kiroku.seq to.
struct Bounds {
  bool empty = false;
  int64_t ts_lo = INT64_MIN, ts_hi = INT64_MAX;
  int64_t rx_lo = INT64_MIN, rx_hi = INT64_MAX;
  int64_t seq_lo = INT64_MIN, seq_hi = INT64_MAX;
};

Bounds Analyze(const Node& n) {
  Bounds b;
  switch (n.kind) {
    case Node::Kind::kMatchAll:
    case Node::Kind::kNot:
      return b;
    case Node::Kind::kTerm: {
      if (n.term.fields.size() != 1) return b;
      const std::string_view name = n.term.fields[0]->name;
      if (const auto* ip = std::get_if<query::IpRangeTest>(&n.term.test)) {
        b.empty = ip->hi < ip->lo;
        return b;
      }
      const auto* r = std::get_if<query::IntRangeTest>(&n.term.test);
      if (!r) return b;
      if (r->lo > r->hi) {
        b.empty = true;
      } else if (name == "@timestamp") {
        b.ts_lo = r->lo, b.ts_hi = r->hi;
      } else if (name == "event.created") {
        b.rx_lo = r->lo, b.rx_hi = r->hi;
      } else if (name == "kiroku.seq") {
        b.seq_lo = r->lo, b.seq_hi = r->hi;
      }
      return b;
    }
    case Node::Kind::kAnd:
      for (const Node& c : n.children) {
        Bounds cb = Analyze(c);
        b.empty = b.empty || cb.empty;
        b.ts_lo = std::max(b.ts_lo, cb.ts_lo), b.ts_hi = std::min(b.ts_hi, cb.ts_hi);
        b.rx_lo = std::max(b.rx_lo, cb.rx_lo), b.rx_hi = std::min(b.rx_hi, cb.rx_hi);
        b.seq_lo = std::max(b.seq_lo, cb.seq_lo), b.seq_hi = std::min(b.seq_hi, cb.seq_hi);
      }
      b.empty = b.empty || b.ts_lo > b.ts_hi || b.rx_lo > b.rx_hi || b.seq_lo > b.seq_hi;
      return b;
    case Node::Kind::kOr: {
      bool any = false;
      Bounds hull;
      for (const Node& c : n.children) {
        Bounds cb = Analyze(c);
        if (cb.empty) continue;
        if (!any) {
          hull = cb;
          any = true;
          continue;
        }
        hull.ts_lo = std::min(hull.ts_lo, cb.ts_lo), hull.ts_hi = std::max(hull.ts_hi, cb.ts_hi);
        hull.rx_lo = std::min(hull.rx_lo, cb.rx_lo), hull.rx_hi = std::max(hull.rx_hi, cb.rx_hi);
        hull.seq_lo = std::min(hull.seq_lo, cb.seq_lo);
        hull.seq_hi = std::max(hull.seq_hi, cb.seq_hi);
      }
      if (!any) hull.empty = true;
      return hull;
    }
  }
  return b;
}

}  // namespace

StatusOr<segment::BlockSet> CandidateBlocks(const query::Node& query,
                                            const segment::SealedSegment& segment,
                                            const PlanOptions& options) {
  Planner planner(segment, ReadIndexState(segment.meta(), options));
  BlockSet out;
  KIROKU_RETURN_IF_ERROR(planner.Plan(query, &out));
  return out;
}

StatusOr<segment::BlockSet> CandidateBlocks(const query::Node& query,
                                            const segment::SealedSegment& segment) {
  return CandidateBlocks(query, segment, PlanOptions{});
}

namespace {

bool Overlaps(const Bounds& b, const segment::SegmentMeta& meta) {
  if (b.empty) return false;
  if (b.ts_hi < meta.min_timestamp_ns || meta.max_timestamp_ns < b.ts_lo) return false;
  if (b.rx_hi < meta.min_received_ns || meta.max_received_ns < b.rx_lo) return false;
  const auto first = static_cast<int64_t>(meta.first.value);
  const auto last = static_cast<int64_t>(meta.last.value);
  return !(b.seq_hi < first || last < b.seq_lo);
}

}  // namespace

// An OR may match when one of its branches may (two time ranges on either side of the segment
// do not); an AND when every child may and their intersected bounds still meet the segment.
bool SegmentMayMatch(const query::Node& query, const segment::SegmentMeta& meta) {
  switch (query.kind) {
    case Node::Kind::kOr:
      for (const Node& c : query.children) {
        if (SegmentMayMatch(c, meta)) return true;
      }
      return false;
    case Node::Kind::kAnd:
      for (const Node& c : query.children) {
        if (!SegmentMayMatch(c, meta)) return false;
      }
      return Overlaps(Analyze(query), meta);
    case Node::Kind::kTerm:
      return Overlaps(Analyze(query), meta);
    case Node::Kind::kMatchAll:
    case Node::Kind::kNot:
      return true;
  }
  return true;
}

}  // namespace kiroku::index
