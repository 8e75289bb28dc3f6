#include "index/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "index/terms.h"
#include "index/testing/fake_segment.h"
#include "query/evaluator.h"
#include "query/parser.h"
#include "query/time_arg.h"
#include "query/tokenizer.h"

namespace kiroku::index {
namespace {

using normalize::Field;
using segment::BlockSet;
using testing::FakeSegment;

constexpr int64_t kNow = 1'795'703'400'000'000'000;  // 2026-11-26T14:30:00Z
constexpr int64_t kSecond = 1'000'000'000;

// A record made field by field: the raw bytes are the fields' texts one after another.
struct Rec {
  std::string raw;
  RecordView base;
  normalize::Event event;

  RecordView View() const {
    RecordView v = base;
    v.raw = raw;
    return v;
  }
  Span Put(std::string_view s) {
    if (s.empty()) return {};
    Span sp{static_cast<uint32_t>(raw.size()), static_cast<uint32_t>(s.size())};
    raw.append(s);
    raw.push_back(' ');
    return sp;
  }
};

std::vector<uint32_t> Elements(const BlockSet& s) {
  std::vector<uint32_t> v;
  s.ForEach([&](uint32_t b) {
    v.push_back(b);
    return true;
  });
  return v;
}

query::Node Parse(std::string_view q) {
  StatusOr<query::Node> n = query::ParseQuery(q, kNow);
  EXPECT_TRUE(n.ok()) << q << ": " << n.status().ToString();
  return n.ok() ? *n : query::Node{};
}

// Records in blocks of `per_block`, indexed as the sealer does.
class Corpus {
 public:
  explicit Corpus(uint32_t per_block) : per_block_(per_block) {}

  Rec& Add() {
    recs_.emplace_back();
    Rec& r = recs_.back();
    r.base.seq = SeqNo{recs_.size()};
    r.base.receive_time_ns = kNow + static_cast<int64_t>(recs_.size()) * kSecond;
    r.base.transport = Transport::kUdp;
    return r;
  }
  // A record whose message is `msg` and nothing else.
  Rec& AddMessage(std::string_view msg) {
    Rec& r = Add();
    r.base.header.msg = r.Put(msg);
    r.base.original_length = static_cast<uint32_t>(r.raw.size());
    return r;
  }
  void Fill(size_t n) {
    while (recs_.size() < n) AddMessage("filler line " + std::to_string(recs_.size()));
  }

  void Seal() {
    for (size_t first = 0; first < recs_.size(); first += per_block_) {
      size_t end = std::min(recs_.size(), first + per_block_);
      TermCollector terms;
      segment::BlockInput in;
      in.min_timestamp_ns = in.min_received_ns = INT64_MAX;
      in.max_timestamp_ns = in.max_received_ns = INT64_MIN;
      for (size_t i = first; i < end; ++i) {
        RecordView v = recs_[i].View();
        AppendRecordTerms(v, &recs_[i].event, &terms);
        int64_t ts = query::TimestampNs(v);
        in.min_timestamp_ns = std::min(in.min_timestamp_ns, ts);
        in.max_timestamp_ns = std::max(in.max_timestamp_ns, ts);
        in.min_received_ns = std::min(in.min_received_ns, v.receive_time_ns);
        in.max_received_ns = std::max(in.max_received_ns, v.receive_time_ns);
      }
      in.terms = terms.Take();
      seg_.AddBlock(in, static_cast<uint32_t>(end - first));
    }
  }

  uint32_t BlockOfRecord(size_t i) const { return static_cast<uint32_t>(i / per_block_); }
  const std::deque<Rec>& recs() const { return recs_; }
  FakeSegment& seg() { return seg_; }

  // The blocks holding a record that matches: what a perfect index would give.
  std::vector<uint32_t> MatchingBlocks(const query::Node& q) const {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < recs_.size(); ++i) {
      RecordView v = recs_[i].View();
      if (query::Matches(q, v, &recs_[i].event) &&
          (out.empty() || out.back() != BlockOfRecord(i))) {
        out.push_back(BlockOfRecord(i));
      }
    }
    return out;
  }

  std::vector<uint32_t> Candidates(std::string_view q, const PlanOptions& options = {}) {
    StatusOr<BlockSet> s = CandidateBlocks(Parse(q), seg_, options);
    EXPECT_TRUE(s.ok());
    return s.ok() ? Elements(*s) : std::vector<uint32_t>{};
  }

 private:
  uint32_t per_block_;
  std::deque<Rec> recs_;  // stable addresses: views point into them
  FakeSegment seg_;
};

std::vector<uint32_t> Range(uint32_t n) {
  std::vector<uint32_t> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

// A corpus with needles in known blocks (4 records per block, 10 blocks).
class NeedleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.Fill(8);
    c_.AddMessage("Failed password for root from 10.99.88.77 port 51514 ssh2");  // rec 8, block 2
    c_.Fill(13);
    Rec& mail = c_.AddMessage("4F9D1A2B3C: message-id=<20261126.ABC@mail.example.com>");  // blk 3
    mail.event.Add(Field::kEmailMessageId, "20261126.ABC@mail.example.com");
    mail.event.Add(Field::kUserName, "Alice");
    mail.event.Add(Field::kSourceIp, "203.0.113.5");
    c_.Fill(21);
    Rec& mac = c_.AddMessage("MAC=00:16:3e:5c:2a:01:00:16:3e:11:22:33:08:00 accepted");  // blk 5
    mac.event.Add(Field::kUserName, "bob");
    mac.event.Add(Field::kSourceIp, "203.0.113.77");
    mac.event.Add(Field::kDestinationPort, "8443");
    mac.event.Add(Field::kSourceBytes, "99999");
    c_.Fill(30);
    Rec& host = c_.Add();  // rec 30, block 7
    host.base.header.host = host.Put("Bastion-01.example.com");
    host.base.header.app = host.Put("sshd");
    host.base.header.msg = host.Put("Accepted publickey");
    host.base.header.device_time_ns = kNow - 3600 * kSecond;  // an hour early
    host.base.peer.family = 4;
    host.base.peer.addr = {192, 0, 2, 10};
    host.base.peer.port = 514;
    host.event.Add(Field::kKirokuAdmin, "true");
    c_.Fill(40);
    c_.Seal();
  }

  Corpus c_{4};
};

TEST_F(NeedleTest, NeedlesGiveExactlyTheirBlocks) {
  EXPECT_EQ(c_.Candidates("10.99.88.77"), (std::vector<uint32_t>{2}));
  EXPECT_EQ(c_.Candidates("\"10.99.88.77 port 51514\""), (std::vector<uint32_t>{2}));
  EXPECT_EQ(c_.Candidates("message:FAILED"), (std::vector<uint32_t>{2}));
  EXPECT_EQ(c_.Candidates("email.message_id:\"20261126.ABC@mail.example.com\""),
            (std::vector<uint32_t>{3}));
  EXPECT_EQ(c_.Candidates("20261126.ABC@mail.example.com"), (std::vector<uint32_t>{3}));
  EXPECT_EQ(c_.Candidates("user.name:alice"), (std::vector<uint32_t>{3}));
  EXPECT_EQ(c_.Candidates("user.name:ALI*"), (std::vector<uint32_t>{3}));
  EXPECT_EQ(c_.Candidates("source.ip:203.0.113.0/24"), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(c_.Candidates("source.ip:203.0.113.77"), (std::vector<uint32_t>{5}));
  EXPECT_EQ(c_.Candidates("source.ip:203.0.*"), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(c_.Candidates("source.ip:203.0.113.7*"), (std::vector<uint32_t>{5}));
  EXPECT_EQ(c_.Candidates("destination.port:[8000 TO 9000]"), (std::vector<uint32_t>{5}));
  EXPECT_EQ(c_.Candidates("host.name:bastion*"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("host.name:\"bastion-01.example.com\""), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("bastion"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("sshd publickey"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("log.source.address:192.0.2.0/24"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("kiroku.admin:true"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("nosuchword"), (std::vector<uint32_t>{}));
}

TEST_F(NeedleTest, LongWordsIntersectTheirFourPartWindows) {
  const int before = c_.seg().lookups();
  EXPECT_EQ(c_.Candidates("00:16:3e:5c:2a:01"), (std::vector<uint32_t>{5}));
  EXPECT_EQ(c_.seg().lookups() - before, 3);  // 6 parts: 3 windows
  EXPECT_EQ(c_.Candidates("00:16:3e:5c:2a:0*"), (std::vector<uint32_t>{5}));
  EXPECT_EQ(c_.Candidates("00:16:3e:5c:2a:01:00:16:3e:11:22:33:08:01"), (std::vector<uint32_t>{}));
}

TEST_F(NeedleTest, PrefixesStartAtAPart) {
  EXPECT_EQ(c_.Candidates("publi*"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("example.c*"), (std::vector<uint32_t>{3, 7}));
  EXPECT_EQ(c_.Candidates("10.99.*"), (std::vector<uint32_t>{2}));
  EXPECT_EQ(c_.Candidates("ublic*"), (std::vector<uint32_t>{}));
}

TEST_F(NeedleTest, BooleanStructure) {
  EXPECT_EQ(c_.Candidates("10.99.88.77 OR bastion"), (std::vector<uint32_t>{2, 7}));
  EXPECT_EQ(c_.Candidates("10.99.88.77 AND bastion"), (std::vector<uint32_t>{}));
  EXPECT_EQ(c_.Candidates("NOT bastion"), Range(10));
  EXPECT_EQ(c_.Candidates("bastion NOT sshd"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("*"), Range(10));
  EXPECT_EQ(c_.Candidates(""), Range(10));
}

TEST_F(NeedleTest, UnindexedValuesFallBackToPresenceOrEveryBlock) {
  EXPECT_EQ(c_.Candidates("source.bytes > 1000"), (std::vector<uint32_t>{5}));  // presence
  EXPECT_EQ(c_.Candidates("source.bytes:*"), (std::vector<uint32_t>{5}));
  EXPECT_EQ(c_.Candidates("host.name:*"), (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("event.original:publickey"), Range(10));
  EXPECT_EQ(c_.Candidates("kiroku.truncated:false"), Range(10));
  EXPECT_EQ(c_.Candidates("kiroku.admin:false"), (std::vector<uint32_t>{7}));  // presence
  EXPECT_EQ(c_.Candidates("process.pid:[* TO *]"), (std::vector<uint32_t>{}));
}

TEST_F(NeedleTest, TimeAndSeqUseTheBlockTable) {
  // Block b holds receive times kNow + (4b+1 .. 4b+4) s; record 30 (block 7) has device time
  // an hour early.
  std::string t = query::FormatRfc3339(kNow + 9 * kSecond);
  EXPECT_EQ(c_.Candidates("event.created:[" + t + " TO " + t + "]"), (std::vector<uint32_t>{2}));
  EXPECT_EQ(c_.Candidates("@timestamp < " + query::FormatRfc3339(kNow)),
            (std::vector<uint32_t>{7}));
  EXPECT_EQ(c_.Candidates("kiroku.seq:[5 TO 9]"), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(c_.Candidates("kiroku.seq > 1000"), (std::vector<uint32_t>{}));
}

TEST_F(NeedleTest, UnknownIndexVersionReadsEveryBlockButStillUsesTime) {
  c_.seg().mutable_meta().index_info = "{\"version\":99}";
  EXPECT_EQ(c_.Candidates("10.99.88.77"), Range(10));
  EXPECT_EQ(c_.Candidates("kiroku.seq:[5 TO 9] 10.99.88.77"), (std::vector<uint32_t>{1, 2}));
  c_.seg().mutable_meta().index_info = "not json";
  EXPECT_EQ(c_.Candidates("10.99.88.77"), Range(10));
}

TEST_F(NeedleTest, OtherNormaliserSettingsDistrustNormalisedTerms) {
  std::string other = IndexInfo("{\"admins\":[\"bob\"]}");
  PlanOptions options{.current_index_info = other};
  EXPECT_EQ(c_.Candidates("user.name:alice", options), Range(10));
  EXPECT_EQ(c_.Candidates("10.99.88.77", options), (std::vector<uint32_t>{2}));
  std::string same = IndexInfo("");
  EXPECT_EQ(c_.Candidates("user.name:alice", PlanOptions{.current_index_info = same}),
            (std::vector<uint32_t>{3}));
}

TEST(SegmentMayMatchTest, TimeAndSeqBoundsAgainstTheMetadata) {
  segment::SegmentMeta meta;
  meta.first = SeqNo{100};
  meta.last = SeqNo{199};
  meta.min_timestamp_ns = kNow;
  meta.max_timestamp_ns = kNow + 3600 * kSecond;
  meta.min_received_ns = kNow;
  meta.max_received_ns = kNow + 3600 * kSecond;
  auto may = [&](std::string_view q) { return SegmentMayMatch(Parse(q), meta); };
  std::string before = query::FormatRfc3339(kNow - kSecond);
  std::string inside = query::FormatRfc3339(kNow + 60 * kSecond);
  std::string after = query::FormatRfc3339(kNow + 7200 * kSecond);
  EXPECT_TRUE(may("sshd"));
  EXPECT_TRUE(may("@timestamp >= " + inside));
  EXPECT_FALSE(may("@timestamp >= " + after));
  EXPECT_FALSE(may("@timestamp <= " + before + " sshd"));
  EXPECT_TRUE(may("@timestamp <= " + before + " OR sshd"));
  EXPECT_FALSE(may("@timestamp <= " + before + " OR @timestamp >= " + after));
  EXPECT_TRUE(may("NOT @timestamp <= " + before));
  EXPECT_FALSE(may("event.created:[" + after + " TO *]"));
  EXPECT_FALSE(may("kiroku.seq < 100"));
  EXPECT_TRUE(may("kiroku.seq:[199 TO 300]"));
  EXPECT_FALSE(may("@timestamp >= " + inside + " @timestamp <= " + before));
  EXPECT_FALSE(may("process.pid:{5 TO 6}"));
}

// ---------------------------------------------------------------------------------------------
// The property: every record query::Matches accepts lies in a candidate block, on random
// records and random queries built from their values.

class RandomCorpus {
 public:
  explicit RandomCorpus(uint32_t seed) : rng_(seed) {}

  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[rng_() % v.size()];
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string Word() {
    static const std::vector<std::string> words = {"failed",
                                                   "Password",
                                                   "root",
                                                   "ADMIN",
                                                   "sshd",
                                                   "web01",
                                                   "alice",
                                                   "Bob",
                                                   "connection",
                                                   "closed",
                                                   "ログ",
                                                   "deny",
                                                   "10.1.2.3:443",
                                                   "10.1.2.30",
                                                   "alice@example.com",
                                                   "Alice@Example.COM",
                                                   "a.b.c.d.e.f",
                                                   "a.b.c.d.e.g",
                                                   "00:16:3e:5c:2a:01",
                                                   "pam_unix",
                                                   "SEC-6-IPACCESSLOGP",
                                                   "web01.example.com",
                                                   "2001:db8::1",
                                                   "user=root",
                                                   std::string(70, 'x') + ".tail",
                                                   std::string(70, 'x') + ".other",
                                                   "id-1234",
                                                   "id-12345",
                                                   "1.2.3.4.5.6.7",
                                                   "1.2.3.4.5.6.8",
                                                   "x.y",
                                                   "db..x",
                                                   "X-Y_z",
                                                   "alpha.beta.gamma.delta.epsilon.zeta",
                                                   "2001:db8:85a3:8d3:1319:8a2e:370:7348"};
    return Pick(words);
  }

  std::string Message() {
    static const std::vector<std::string> seps = {" ",  " ",  " ",  "=",  ", ", "/",
                                                  " [", "] ", ": ", "\"", ". "};
    std::string m;
    int n = Int(1, 8);
    for (int i = 0; i < n; ++i) {
      if (i > 0) m += Pick(seps);
      m += Word();
    }
    return m;
  }

  void Build(Corpus* c, size_t n) {
    static const std::vector<std::string> hosts = {"web01", "web01.example.com", "FW-02",
                                                   "db.internal.example.org", ""};
    static const std::vector<std::string> apps = {"sshd", "kernel", "postfix/smtpd", "CRON", ""};
    static const std::vector<std::string> procids = {"42", "1234", "worker-3", ""};
    static const std::vector<std::string> msgids = {"ID47", "abc", ""};
    static const std::vector<std::string> sds = {"", "[origin@32473 ip=\"192.0.2.10\"]",
                                                 "[meta user=\"Alice\"]"};
    for (size_t i = 0; i < n; ++i) {
      Rec& r = c->Add();
      r.base.header.host = r.Put(Pick(hosts));
      r.base.header.app = r.Put(Pick(apps));
      r.base.header.procid = r.Put(Pick(procids));
      r.base.header.msgid = r.Put(Pick(msgids));
      r.base.header.structured_data = r.Put(Pick(sds));
      r.base.header.msg = r.Put(Message());
      r.base.header.facility = static_cast<int8_t>(Int(-1, 23));
      r.base.header.severity = static_cast<int8_t>(Int(-1, 7));
      if (Chance(0.7)) {
        r.base.header.device_time_ns = r.base.receive_time_ns + Int(-3600, 3600) * kSecond;
      }
      r.base.transport = static_cast<Transport>(Int(1, 6));
      if (Chance(0.1)) r.base.flags |= kFlagTruncated;
      if (Chance(0.1)) r.base.flags |= kFlagParseError;
      int peer = Int(0, 4);
      if (peer == 1 || peer == 2) {
        r.base.peer.family = 4;
        r.base.peer.addr = {10, 0, static_cast<uint8_t>(Int(0, 5)),
                            static_cast<uint8_t>(Int(1, 9))};
      } else if (peer == 3) {
        r.base.peer.family = 6;
        r.base.peer.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                            0,    0,    0,    0,    0, 0, 0, static_cast<uint8_t>(Int(1, 9))};
      } else if (peer == 4) {
        r.base.peer.family = 4;
        r.base.peer.addr = {192, 0, 2, static_cast<uint8_t>(Int(1, 20))};
      }
      r.base.peer.port =
          static_cast<uint16_t>(Pick(std::vector<int>{514, 51514, Int(1024, 65535)}));
      r.base.original_length = static_cast<uint32_t>(r.raw.size());
      if (Chance(0.7)) AddEvent(&r.event);
    }
  }

  void AddEvent(normalize::Event* e) {
    static const std::vector<std::string> ips = {"10.1.2.3",    "10.1.2.30",   "10.9.8.7",
                                                 "203.0.113.5", "2001:db8::9", "::ffff:10.1.2.4"};
    static const std::vector<std::string> users = {"alice", "Bob", "root", "CN=admin,dc=example"};
    static const std::vector<std::string> actions = {"deny", "allow", "login"};
    static const std::vector<std::string> mails = {"a@example.com", "B@example.com",
                                                   "c@evil.example"};
    static const std::vector<std::string> urls = {"http://example.com/", "http://example.com/a?b=c",
                                                  "http://x/" + std::string(300, 'q'),
                                                  "http://x/" + std::string(300, 'q') + "z"};
    if (Chance(0.6)) e->Add(Field::kSourceIp, Pick(ips));
    if (Chance(0.6)) e->Add(Field::kDestinationIp, Pick(ips));
    if (Chance(0.5)) e->Add(Field::kUserName, Pick(users));
    if (Chance(0.5)) e->Add(Field::kEventAction, Pick(actions));
    if (Chance(0.5)) e->AddInt(Field::kDestinationPort, Pick(std::vector<int>{22, 443, 8080}));
    if (Chance(0.5)) e->AddInt(Field::kSourcePort, Int(1, 65535));
    if (Chance(0.5)) e->AddInt(Field::kSourceBytes, Int(0, 100000));
    int to = Int(0, 3);
    for (int i = 0; i < to; ++i) e->AddUnique(Field::kEmailToAddress, Pick(mails));
    if (Chance(0.3)) e->Add(Field::kEventReason, Message());
    if (Chance(0.3)) e->Add(Field::kKirokuAdmin, Chance(0.5) ? "true" : "false");
    if (Chance(0.3)) e->Add(Field::kUrlFull, Pick(urls));
    if (Chance(0.2)) e->AddInt(Field::kNtpOffsetUs, Int(-1000, 1000));
  }

  // ---- queries ----

  static std::string EscapeWord(std::string_view s) {
    std::string out;
    for (char ch : s) {
      if (std::string_view(":\\\"()<>[]{}*").find(ch) != std::string_view::npos) out += '\\';
      out += ch;
    }
    return out;
  }
  static std::string Quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    return out + "\"";
  }
  std::string MaybeUpper(std::string s) {
    if (Chance(0.3)) {
      for (char& ch : s) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
      }
    }
    return s;
  }

  // A word from some record's text: a run of parts of one of its tokens, or a prefix of one.
  std::string TextWord(const Corpus& c, bool allow_prefix) {
    const Rec& r = c.recs()[rng_() % c.recs().size()];
    RecordView v = r.View();
    std::vector<std::string_view> sources = {v.Field(v.header.msg), v.Field(v.header.host),
                                             v.Field(v.header.app)};
    std::vector<std::string> tokens;
    for (std::string_view s : sources) {
      query::Tokenizer t(s);
      for (std::string_view tok; t.Next(&tok);) tokens.emplace_back(tok);
    }
    if (tokens.empty()) return "root";
    std::string tok = Pick(tokens);
    std::vector<size_t> starts;
    for (size_t i = 0; i < tok.size(); ++i) {
      if (query::IsWordByte(tok[i]) && (i == 0 || query::IsJoiner(tok[i - 1]))) starts.push_back(i);
    }
    size_t s = Pick(starts);
    std::string rest = tok.substr(s);
    if (allow_prefix && Chance(0.3)) {
      size_t len = static_cast<size_t>(Int(1, static_cast<int>(rest.size())));
      while (len > 0 && !query::IsWordByte(rest[len - 1]) && !query::IsJoiner(rest[len - 1])) --len;
      std::string p = rest.substr(0, len);
      if (p.empty() || !query::IsWordByte(p[0])) return "root";
      return EscapeWord(MaybeUpper(p)) + "*";
    }
    // A run of whole parts.
    std::vector<size_t> ends;
    for (size_t i = 1; i <= rest.size(); ++i) {
      if (query::IsWordByte(rest[i - 1]) && (i == rest.size() || query::IsJoiner(rest[i]))) {
        ends.push_back(i);
      }
    }
    return EscapeWord(MaybeUpper(rest.substr(0, Pick(ends))));
  }

  std::string Ip() {
    return Pick(std::vector<std::string>{"10.1.2.3", "10.1.2.30", "203.0.113.5", "2001:db8::9",
                                         "10.0.3.4", "192.0.2.7", "2001:db8::5", "10.1.2.4"});
  }
  std::string Time(const Corpus& c) {
    int64_t base = c.recs().front().base.receive_time_ns;
    return query::FormatRfc3339(base +
                                Int(-4000, static_cast<int>(c.recs().size()) + 4000) * kSecond);
  }

  std::string Leaf(const Corpus& c) {
    switch (Int(0, 34)) {
      case 0:
      case 1:
      case 2:
        return TextWord(c, true);
      case 3: {  // a phrase of two or three words from one message
        const Rec& r = c.recs()[rng_() % c.recs().size()];
        std::vector<std::string> toks = query::TokenizeFolded(r.View().Field(r.base.header.msg));
        if (toks.size() < 2) return "closed";
        size_t n = static_cast<size_t>(Int(2, 3));
        size_t at = rng_() % toks.size();
        std::string p;
        for (size_t i = at; i < std::min(toks.size(), at + n); ++i)
          p += (p.empty() ? "" : " ") + toks[i];
        return Quote(p);
      }
      case 4:
        return EscapeWord(Word());
      case 5:
        return "message:" + TextWord(c, true);
      case 6:
        return "host.name:" + Quote(Pick(std::vector<std::string>{"web01", "WEB01.example.com",
                                                                  "fw-02", "nohost"}));
      case 7:
        return "host.name:" + Pick(std::vector<std::string>{"web*", "db.*", "F*", "x*"});
      case 8:
        return "process.name:" +
               Quote(Pick(std::vector<std::string>{"sshd", "postfix/smtpd", "cron", "kern"}));
      case 9:
        return Pick(std::vector<std::string>{"log.syslog.procid:worker-3", "log.syslog.procid:42",
                                             "log.syslog.msgid:id47", "log.syslog.msgid:ab*",
                                             "kiroku.transport:udp", "kiroku.transport:re*"});
      case 10:
        return "process.pid:[" + std::to_string(Int(0, 100)) + " TO " +
               std::to_string(Int(40, 2000)) + "]";
      case 11:
        return "log.syslog.severity.code <= " + std::to_string(Int(0, 7));
      case 12:
        return "log.syslog.facility.code:" + std::to_string(Int(0, 23));
      case 13:
        return "log.source.address:" +
               Pick(std::vector<std::string>{
                   "10.0.0.0/8", "10.0.3.0/24", "10.0.3.4", "192.0.2.0/28", "2001:db8::/32",
                   "10.0.*", "192.0.2.1*", "2001:db8::*", "[10.0.1.0 TO 10.0.2.255]"});
      case 14:
        return "log.source.port:" + Pick(std::vector<std::string>{"514", "[50000 TO 60000]"});
      case 15:
        return Pick(std::vector<std::string>{"source.ip", "destination.ip"}) + ":" +
               Pick(std::vector<std::string>{Ip(), Ip(), "10.0.0.0/8", "10.1.2.0/28", "10.1.*",
                                             "10.1.2.3*", "2001:db8::/64", "203.*",
                                             "::ffff:10.1.2.4", "[10.1.2.4 TO 10.9.0.0]"});
      case 16:
        return "user.name:" + Pick(std::vector<std::string>{"alice", "BOB", "bo*",
                                                            "\"CN=admin,dc=example\"", "cn=*"});
      case 17:
        return "event.action:" + Pick(std::vector<std::string>{"deny", "allow", "lo*"});
      case 18:
        return "destination.port:" + Pick(std::vector<std::string>{"443", "[400 TO 500]", "<100"});
      case 19:
        return Pick(std::vector<std::string>{"source.bytes > 50000", "source.port:[1 TO 30000]",
                                             "kiroku.ntp.offset_us < 0"});
      case 20:
        return "email.to.address:" +
               Pick(std::vector<std::string>{"a@example.com", "b@EXAMPLE.com", "c*"});
      case 21:
        return "event.reason:" + TextWord(c, true);
      case 22:
        return "kiroku.admin:" + Pick(std::vector<std::string>{"true", "false"});
      case 23:
        return Pick(std::vector<std::string>{"kiroku.truncated", "kiroku.parse_error",
                                             "kiroku.framing_error"}) +
               ":" + Pick(std::vector<std::string>{"true", "false"});
      case 24:
        return "@timestamp >= " + Time(c);
      case 25:
        return "@timestamp:[" + Time(c) + " TO " + Time(c) + "]";
      case 26:
        return "event.created < " + Time(c);
      case 27:
        return "kiroku.seq:[" + std::to_string(Int(0, 300)) + " TO " + std::to_string(Int(0, 400)) +
               "]";
      case 28:
        return Pick(std::vector<std::string>{
                   "host.name", "process.name", "source.ip", "user.name", "source.bytes", "message",
                   "log.syslog.structured_data", "process.pid", "event.original", "@timestamp",
                   "kiroku.admin", "log.source.address", "email.to.address"}) +
               ":*";
      case 29:
        return "event.original:" + TextWord(c, true);
      case 30:
        return "log.syslog.structured_data:" +
               Pick(std::vector<std::string>{"origin", "alice", "192.0.2.10", "ip", "meta*"});
      case 31:
        return "url.full:" +
               Pick(std::vector<std::string>{"\"http://example.com/\"", "http\\://example.com*",
                                             Quote("http://x/" + std::string(300, 'q')),
                                             Quote("http://x/" + std::string(300, 'q') + "z"),
                                             "http\\://x/" + std::string(280, 'q') + "*"});
      case 32:
        return TextWord(c, false) + " " + TextWord(c, false);
      case 33: {  // a prefix of five or more parts, cut inside its last part
        std::string w = Pick(std::vector<std::string>{"alpha.beta.gamma.delta.epsilon.zeta",
                                                      "2001:db8:85a3:8d3:1319:8a2e:370:7348",
                                                      "1.2.3.4.5.6.7", "00:16:3e:5c:2a:01"});
        size_t len =
            static_cast<size_t>(Int(static_cast<int>(w.size() / 2), static_cast<int>(w.size())));
        return EscapeWord(MaybeUpper(w.substr(0, len))) + "*";
      }
      default:
        return "*";
    }
  }

  std::string Query(const Corpus& c, int depth) {
    if (depth == 0 || Chance(0.35)) return Leaf(c);
    switch (Int(0, 3)) {
      case 0:
        return "(" + Query(c, depth - 1) + " " + Query(c, depth - 1) + ")";
      case 1:
        return "(" + Query(c, depth - 1) + " OR " + Query(c, depth - 1) + ")";
      case 2:
        return "NOT " + Query(c, depth - 1);
      default:
        return "(" + Query(c, depth - 1) + " AND " + Query(c, depth - 1) + " AND " +
               Query(c, depth - 1) + ")";
    }
  }

 private:
  std::mt19937 rng_;
};

TEST(PlanPropertyTest, EveryMatchLiesInACandidateBlock) {
  int selective = 0, total = 0, with_hits = 0;
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    RandomCorpus gen(seed);
    Corpus c(8);
    gen.Build(&c, 400);
    c.Seal();
    const uint32_t blocks = c.seg().block_count();
    for (int i = 0; i < 600; ++i) {
      std::string q = gen.Query(c, 3);
      StatusOr<query::Node> node = query::ParseQuery(q, kNow);
      ASSERT_TRUE(node.ok()) << q << ": " << node.status().ToString();
      StatusOr<BlockSet> cand = CandidateBlocks(*node, c.seg());
      ASSERT_TRUE(cand.ok());
      std::vector<uint32_t> must = c.MatchingBlocks(*node);
      for (uint32_t b : must) {
        ASSERT_TRUE(cand->Contains(b))
            << "seed " << seed << " query " << q << " (" << query::ToString(*node)
            << "): a match in block " << b << " is not a candidate";
      }
      // Time pruning, with each matching block as a segment of its own.
      for (uint32_t b : must) {
        const segment::BlockInfo& info = c.seg().block(b);
        segment::SegmentMeta meta;
        meta.first = info.first;
        meta.last = SeqNo{info.first.value + info.count - 1};
        meta.min_timestamp_ns = info.min_timestamp_ns;
        meta.max_timestamp_ns = info.max_timestamp_ns;
        meta.min_received_ns = info.min_received_ns;
        meta.max_received_ns = info.max_received_ns;
        ASSERT_TRUE(SegmentMayMatch(*node, meta)) << "block " << b << " query " << q;
      }
      ++total;
      with_hits += must.empty() ? 0 : 1;
      selective += cand->Cardinality() < blocks ? 1 : 0;
    }
  }
  // The test means something only if the index prunes often and queries often hit.
  EXPECT_GT(selective, total / 4) << selective << " of " << total;
  EXPECT_GT(with_hits, total / 4) << with_hits << " of " << total;
  std::printf("property: %d queries, %d with hits, %d pruned some blocks\n", total, with_hits,
              selective);
}

}  // namespace
}  // namespace kiroku::index
