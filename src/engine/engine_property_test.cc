// The engine against a brute-force scan: random corpora (hosts, words, addresses, firewall and
// mail lines that normalise and correlate) sealed into real segment files (SegmentWriter with
// the index's own term keys and enrichment) plus an unsealed journal tail, and random queries
// from a small grammar. Every answer must equal query::Matches over all records, ordered by
// (@timestamp, seq), in the same order, with and without a limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "common/testing/temp_dir.h"
#include "engine/engine.h"
#include "engine/time_mode.h"
#include "index/enrichment.h"
#include "index/terms.h"
#include "normalize/all/normalizer.h"
#include "query/evaluator.h"
#include "query/fields.h"
#include "query/parser.h"
#include "query/search_request.h"
#include "query/time_arg.h"
#include "segment/segment_files.h"
#include "segment/segment_writer.h"
#include "store/journal_files.h"
#include "store/journal_format.h"
#include "store/record_codec.h"
#include "store/segment_header.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace kiroku::engine {
namespace {

constexpr int64_t kBase = 1'795'703'400'000'000'000;  // 2026-11-26T14:30:00Z
constexpr int64_t kSecond = 1'000'000'000;

const std::vector<std::string> kHosts = {"web01", "web02", "fw01", "db-01", "relay1"};
const std::vector<std::string> kApps = {"sshd", "nginx", "cron", "backup"};
const std::vector<std::string> kWords = {"failed", "password", "accepted", "alpha", "beta",
                                         "gamma",  "root",     "admin",    "error", "delta"};
const std::vector<std::string> kIps = {"10.1.2.3", "10.1.2.30", "192.0.2.7", "203.0.113.5",
                                       "2001:db8::1"};
const std::vector<std::string> kUsers = {"alice@example.net", "bob@example.org",
                                         "carol@example.com"};

// One record of the corpus: its raw line and receive time; seq is its position from 1.
struct Line {
  std::string raw;
  int64_t received;
};

class Corpus {
 public:
  explicit Corpus(uint64_t seed) : rng_(seed) {}

  std::vector<Line> Make(int n, std::vector<size_t>* cuts) {
    std::vector<Line> lines;
    while (static_cast<int>(lines.size()) < n) {
      cuts->push_back(lines.size());  // a transaction starts here: a safe place to cut
      int64_t recv = kBase + static_cast<int64_t>(lines.size()) * 10'000'000;
      int kind = Pick(10);
      if (kind == 0) {
        // A mail through sendmail: the from line and the delivery line correlate.
        std::string qid = "4AQ" + std::to_string(1000000 + Pick(900000)) + "X";
        std::string from = kUsers[Pick(kUsers.size())];
        std::string to = kUsers[Pick(kUsers.size())];
        std::string ip = kIps[Pick(4)];
        lines.push_back(
            {Header(22, recv, "relay1", "sendmail") + qid + ": from=<" + from +
                 ">, size=1234, class=0, nrcpts=1, msgid=<m" + std::to_string(Pick(99)) +
                 "@example.net>, proto=ESMTP, daemon=MTA-v4, relay=mail.example.net [" + ip + "]",
             recv});
        recv += 5'000'000;
        lines.push_back({Header(22, recv, "relay1", "sendmail") + qid + ": to=<" + to +
                             ">, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=121234, "
                             "relay=mx.example.org. [198.51.100.7], dsn=2.0.0, stat=Sent (Ok)",
                         recv});
      } else if (kind <= 2) {
        std::string src = kIps[Pick(4)];
        std::string dst = kIps[Pick(4)];
        lines.push_back(
            {Header(4, recv, "fw01", "kernel") + (Pick(2) ? "[UFW BLOCK]" : "[UFW ALLOW]") +
                 " IN=eth0 OUT= SRC=" + src + " DST=" + dst +
                 " LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID=54321 PROTO=TCP SPT=" +
                 std::to_string(40000 + Pick(100)) + " DPT=" + std::to_string(Pick(2) ? 443 : 22) +
                 " WINDOW=1024 RES=0x00 SYN URGP=0",
             recv});
      } else {
        std::string msg;
        int words = 1 + Pick(6);
        for (int i = 0; i < words; ++i) {
          if (i) msg += Pick(5) == 0 ? "=" : " ";
          msg += Pick(6) == 0 ? kIps[Pick(kIps.size())] : kWords[Pick(kWords.size())];
        }
        int pri = static_cast<int>(Pick(24)) * 8 + static_cast<int>(Pick(8));
        lines.push_back(
            {Header(pri, recv, kHosts[Pick(kHosts.size())], kApps[Pick(kApps.size())]) + msg,
             recv});
      }
    }
    return lines;
  }

  uint64_t Pick(uint64_t n) { return rng_() % n; }

 private:
  // RFC 5424 header; the device time is near the receive time, sometimes minutes off (clock
  // skew puts records of later blocks before earlier ones), sometimes absent.
  std::string Header(int pri, int64_t recv, const std::string& host, const std::string& app) {
    std::string ts;
    int r = static_cast<int>(Pick(20));
    if (r == 0) {
      ts = "-";
    } else {
      int64_t skew = r == 1 ? -static_cast<int64_t>(Pick(600)) * kSecond
                            : static_cast<int64_t>(Pick(2000)) * 1'000'000 - kSecond;
      ts = query::FormatRfc3339(recv + skew, 3);
    }
    return "<" + std::to_string(pri) + ">1 " + ts + " " + host + " " + app + " " +
           std::to_string(100 + Pick(5)) + " - - ";
  }

  std::mt19937_64 rng_;
};

// Random queries from a small grammar over the corpus' vocabulary.
class QueryGen {
 public:
  explicit QueryGen(Corpus* c) : c_(*c) {}

  std::string Make(int depth = 0) {
    int r = static_cast<int>(c_.Pick(depth >= 2 ? 1 : 10));
    if (r <= 5) return Term();
    if (r == 6) return "NOT " + Make(depth + 1);
    if (r == 7) return "(" + Make(depth + 1) + " OR " + Make(depth + 1) + ")";
    if (r == 8) return Make(depth + 1) + " " + Make(depth + 1);
    return "(" + Make(depth + 1) + " AND " + Make(depth + 1) + ")";
  }

 private:
  std::string Term() {
    auto pick = [&](const std::vector<std::string>& v) { return v[c_.Pick(v.size())]; };
    auto time = [&] {
      return query::FormatRfc3339(
          kBase + static_cast<int64_t>(c_.Pick(40)) * kSecond - 300 * kSecond, 3);
    };
    switch (c_.Pick(20)) {
      case 0:
        return "host.name:" + pick(kHosts);
      case 1:
        return "host.name:" + pick(kHosts).substr(0, 2) + "*";
      case 2:
        return "process.name:" + pick(kApps);
      case 3:
        return pick(kWords);
      case 4:
        return "\"" + pick(kWords) + " " + pick(kWords) + "\"";
      case 5:
        return "\"" + pick(kIps) + "\"";
      case 6:
        return "source.ip:10.0.0.0/8";
      case 7:
        return "source.ip:" + pick(kIps);
      case 8:
        return "destination.port:" + std::string(c_.Pick(2) ? "443" : "[1 TO 100]");
      case 9:
        return "event.action:" + std::string(c_.Pick(2) ? "deny" : "deliver");
      case 10:
        return "event.outcome:*";
      case 11:
        return "email.from.address:" + pick(kUsers);
      case 12:
        return "email.to.address:" + pick(kUsers);
      case 13:
        return "log.syslog.severity.code <= " + std::to_string(c_.Pick(8));
      case 14:
        return "@timestamp >= " + time();
      case 15:
        return "@timestamp < " + time();
      case 16: {
        uint64_t a = 1 + c_.Pick(3000);
        return "kiroku.seq:[" + std::to_string(a) + " TO " + std::to_string(a + c_.Pick(500)) + "]";
      }
      case 17:
        return "event.created >= " + time();
      case 18:
        return pick(kWords).substr(0, 3) + "*";
      default:
        return "*";
    }
  }

  Corpus& c_;
};

struct Expected {
  int64_t time;
  uint64_t seq;
  friend bool operator==(const Expected&, const Expected&) = default;
  friend auto operator<=>(const Expected&, const Expected&) = default;
};

class EnginePropertyTest : public ::testing::TestWithParam<uint64_t> {
 protected:
  void Build(uint64_t seed, int count) {
    Corpus corpus(seed);
    std::vector<size_t> cuts;
    std::vector<Line> lines = corpus.Make(count, &cuts);
    syslog::ZoneRules zones;
    ASSERT_TRUE(zones.SetDefault("UTC").ok());
    PeerAddress peer{4, {192, 0, 2, 10}, 514};

    // Each record as the journal keeps it: a kSyslog payload with its seq.
    payloads_.resize(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      RecordView v;
      v.receive_time_ns = lines[i].received;
      v.transport = Transport::kUdp;
      v.peer = peer;
      v.raw = lines[i].raw;
      v.original_length = static_cast<uint32_t>(v.raw.size());
      v.header = syslog::ParseSyslog(v.raw, v.receive_time_ns, zones, peer);
      std::string frame;
      store::AppendFrame(v, &frame);
      store::SealFrames(frame.data(), frame.size(), SeqNo{i + 1});
      payloads_[i] = frame.substr(store::journal::kFrameHeaderSize);
    }
    views_.resize(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      ASSERT_TRUE(store::DecodeRecord(payloads_[i], &views_[i]).ok());
      ASSERT_EQ(views_[i].seq.value, i + 1);
    }

    // Normalised and correlated over the whole corpus in seq order, as the sealer does.
    normalize::Normalizer n;
    auto corr = n.NewCorrelator();
    normalize::Event e;
    for (const RecordView& v : views_) {
      if (n.MayCorrelate(v)) {
        n.Normalize(v, &e);
        corr->Observe(v, e);
      }
    }
    events_.resize(views_.size());
    extras_.resize(views_.size());
    for (size_t i = 0; i < views_.size(); ++i) {
      n.Normalize(views_[i], &e);
      events_[i] = e;
      corr->Enrich(views_[i], &events_[i]);
      extras_[i] = index::EncodeEnrichment(e, events_[i]);
    }

    // Sealed: the first part, cut at a transaction boundary (the journal tail correlates only
    // within itself), in a few segments of blocks of random sizes.
    size_t sealed = cuts[cuts.size() * 3 / 4];
    std::string segdir = JoinPath(dir_.path(), segment::kSegmentsDirName);
    ASSERT_TRUE(fs_.CreateDirs(segdir).ok());
    size_t at = 0;
    while (at < sealed) {
      size_t seg_end = std::min(sealed, at + 200 + corpus.Pick(400));
      auto w = segment::SegmentWriter::Create(fs_, segdir, SeqNo{at + 1}, {});
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      segment::SegmentMeta meta;
      meta.first = SeqNo{at + 1};
      meta.last = SeqNo{seg_end};
      meta.min_timestamp_ns = meta.min_received_ns = INT64_MAX;
      meta.max_timestamp_ns = meta.max_received_ns = INT64_MIN;
      meta.leaves_root = std::string(32, '\0');
      meta.index_info = index::IndexInfo("");
      while (at < seg_end) {
        size_t end = std::min(seg_end, at + 8 + corpus.Pick(60));
        segment::BlockInput b;
        index::TermCollector terms;
        b.min_timestamp_ns = b.min_received_ns = INT64_MAX;
        b.max_timestamp_ns = b.max_received_ns = INT64_MIN;
        for (size_t i = at; i < end; ++i) {
          b.payloads.push_back(payloads_[i]);
          b.extras.push_back(extras_[i]);
          index::AppendRecordTerms(views_[i], &events_[i], &terms);
          int64_t ts = query::TimestampNs(views_[i]);
          b.min_timestamp_ns = std::min(b.min_timestamp_ns, ts);
          b.max_timestamp_ns = std::max(b.max_timestamp_ns, ts);
          b.min_received_ns = std::min(b.min_received_ns, views_[i].receive_time_ns);
          b.max_received_ns = std::max(b.max_received_ns, views_[i].receive_time_ns);
        }
        b.terms = terms.Take();
        meta.min_timestamp_ns = std::min(meta.min_timestamp_ns, b.min_timestamp_ns);
        meta.max_timestamp_ns = std::max(meta.max_timestamp_ns, b.max_timestamp_ns);
        meta.min_received_ns = std::min(meta.min_received_ns, b.min_received_ns);
        meta.max_received_ns = std::max(meta.max_received_ns, b.max_received_ns);
        ASSERT_TRUE((*w)->AddBlock(b).ok());
        at = end;
      }
      ASSERT_TRUE((*w)->Finish(meta).ok());
    }

    // The journal tail: two journal segments.
    std::string journal = JoinPath(dir_.path(), "journal");
    ASSERT_TRUE(fs_.CreateDirs(journal).ok());
    size_t mid = sealed + (lines.size() - sealed) / 2;
    for (auto [from, to] : {std::pair{sealed, mid}, std::pair{mid, lines.size()}}) {
      if (from == to) continue;
      std::string seg = store::EncodeSegmentHeader({SeqNo{from + 1}, kBase});
      for (size_t i = from; i < to; ++i) {
        std::string frame;
        store::AppendFrame(views_[i], &frame);
        store::SealFrames(frame.data(), frame.size(), SeqNo{i + 1});
        seg += frame;
      }
      ASSERT_TRUE(fs_.WriteFileAtomic(store::SegmentPath(journal, SeqNo{from + 1}), seg).ok());
    }
    sealed_ = sealed;
  }

  std::vector<Expected> BruteForce(const query::Node& q) {
    std::vector<Expected> out;
    for (size_t i = 0; i < views_.size(); ++i) {
      if (query::Matches(q, views_[i], &events_[i])) {
        out.push_back({query::TimestampNs(views_[i]), i + 1});
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::TempDir dir_;
  PosixFs fs_;
  std::vector<std::string> payloads_;
  std::vector<RecordView> views_;
  std::vector<normalize::Event> events_;
  std::vector<std::string> extras_;
  size_t sealed_ = 0;
};

TEST_P(EnginePropertyTest, EqualsBruteForce) {
  const uint64_t seed = GetParam();
  ASSERT_NO_FATAL_FAILURE(Build(seed, 1500));
  auto engine = Engine::Open(fs_, dir_.path());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  Corpus rng(seed * 7919 + 1);
  QueryGen gen(&rng);
  uint64_t sealed_blocks_read = 0, blocks_total = 0;
  int nonempty = 0, reordered = 0;
  for (int round = 0; round < 60; ++round) {
    std::string text = gen.Make();
    StatusOr<query::Node> q = query::ParseQuery(text, kBase);
    ASSERT_TRUE(q.ok()) << text << ": " << q.status().ToString();
    std::vector<Expected> want = BruteForce(*q);

    RunOptions opt;
    opt.need_events = rng.Pick(2) == 0;
    opt.limit = rng.Pick(3) == 0 ? 1 + rng.Pick(20) : 0;
    std::vector<Expected> got;
    RunStats stats;
    Status s = (*engine)->Run(
        *q, opt,
        [&](const Hit& h) {
          got.push_back({h.time_ns, h.record.seq.value});
          // The event handed out is the correlated one the brute force sees.
          if (opt.need_events) {
            EXPECT_NE(h.event, nullptr);
            if (h.event) {
              const normalize::Event& e = events_[h.record.seq.value - 1];
              EXPECT_EQ(h.event->entries().size(), e.entries().size()) << h.record.seq.value;
            }
          }
          return true;
        },
        &stats);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(stats.problems.empty()) << stats.problems[0];
    std::vector<Expected> want_limited = want;
    if (opt.limit && want_limited.size() > opt.limit) want_limited.resize(opt.limit);
    ASSERT_EQ(got, want_limited) << "query: " << text << " (" << query::ToString(*q) << ") limit "
                                 << opt.limit;
    nonempty += !got.empty();
    reordered += !std::is_sorted(
        got.begin(), got.end(), [](const Expected& a, const Expected& b) { return a.seq < b.seq; });
    sealed_blocks_read += stats.blocks_read;
    blocks_total += stats.blocks_total;

    StatusOr<uint64_t> n = (*engine)->Count(*q, {}, nullptr);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, want.size()) << "count: " << text;

    RunOptions unordered;
    unordered.ordered = false;
    std::vector<Expected> any;
    ASSERT_TRUE((*engine)
                    ->Run(
                        *q, unordered,
                        [&](const Hit& h) {
                          any.push_back({h.time_ns, h.record.seq.value});
                          return true;
                        },
                        nullptr)
                    .ok());
    std::sort(any.begin(), any.end());
    EXPECT_EQ(any, want) << "unordered: " << text;
  }
  // The test tests something: answers, in an order that is not arrival order; and the index
  // did its part: far from every block was read.
  EXPECT_GT(nonempty, 20);
  EXPECT_GT(reordered, 5);
  EXPECT_LT(sealed_blocks_read, blocks_total);
  std::printf("seed %llu: %d non-empty answers, %d not in seq order, blocks read %llu of %llu\n",
              static_cast<unsigned long long>(seed), nonempty, reordered,
              static_cast<unsigned long long>(sealed_blocks_read),
              static_cast<unsigned long long>(blocks_total));
}

// --time corrected and received (engine/time_mode.h): a corrector built by hand moves some
// hosts' records by minutes (more than a block spans), so the order differs from @timestamp's.
// Every answer, with limits and --since/--until on the chosen time, must equal the brute force
// ordered by that time; and without the slack, the order breaks (the slack is what keeps it).
TEST_P(EnginePropertyTest, OrdersAndWindowsByChosenTime) {
  const uint64_t seed = GetParam();
  ASSERT_NO_FATAL_FAILURE(Build(seed, 1500));
  auto engine = Engine::Open(fs_, dir_.path());
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  const std::string addr = "192.0.2.10";
  timewatch::Corrector c;
  auto point = [](int64_t at, int64_t offset, int64_t unc) {
    return timewatch::Corrector::Point{at, at, offset, unc, false};
  };
  c.AddPoint("web01", addr, point(kBase, 300 * kSecond, kSecond / 1000));   // 5 min ahead
  c.AddPoint("fw01", addr, point(kBase, -240 * kSecond, kSecond / 1000));   // 4 min behind
  c.AddPoint("db-01", addr, point(kBase, kSecond / 2000, kSecond / 1000));  // below uncertainty
  // relay1 drifts from +10 s to -20 s across the corpus (interpolated).
  c.AddPoint("relay1", addr, point(kBase, 10 * kSecond, kSecond / 100));
  c.AddPoint("relay1", addr, point(kBase + 15 * kSecond, -20 * kSecond, kSecond / 100));
  c.Finish();
  EXPECT_EQ(c.MaxAbsOffsetNs(), 300 * kSecond);
  // web02 has no estimate: its device time stands.

  Corpus rng(seed * 104729 + 5);
  QueryGen gen(&rng);
  int moved = 0, broke_without_slack = 0;
  for (TimeMode mode : {TimeMode::kCorrected, TimeMode::kReceived}) {
    TimeSelector sel(mode, c);
    for (int round = 0; round < 40; ++round) {
      query::SearchRequest req;
      req.query = round % 4 == 0 ? "" : gen.Make();
      if (round % 3 == 1) {
        req.since = query::FormatRfc3339(
            kBase + static_cast<int64_t>(rng.Pick(30)) * kSecond - 240 * kSecond, 3);
      }
      if (round % 3 == 2) {
        req.until = query::FormatRfc3339(kBase + static_cast<int64_t>(rng.Pick(20)) * kSecond, 3);
      }
      RunOptions opt;
      StatusOr<query::Node> q = sel.Compile(req, kBase, &opt);
      ASSERT_TRUE(q.ok()) << q.status().ToString();
      StatusOr<query::Node> plain = query::ParseQuery(req.query, kBase);
      ASSERT_TRUE(plain.ok());
      int64_t lo = req.since.empty() ? INT64_MIN : *query::ParseTimeArg(req.since, kBase);
      int64_t hi = req.until.empty() ? INT64_MAX : *query::ParseTimeArg(req.until, kBase) - 1;
      std::vector<Expected> want;
      for (size_t i = 0; i < views_.size(); ++i) {
        int64_t t = sel.TimeOf(views_[i]);
        moved += mode == TimeMode::kCorrected && round == 0 && t != query::TimestampNs(views_[i]);
        if (t < lo || t > hi || !query::Matches(*plain, views_[i], &events_[i])) continue;
        want.push_back({t, i + 1});
      }
      std::sort(want.begin(), want.end());

      opt.limit = rng.Pick(3) == 0 ? 1 + rng.Pick(20) : 0;
      std::vector<Expected> got;
      auto collect = [&](const Hit& h) {
        got.push_back({h.time_ns, h.record.seq.value});
        return true;
      };
      ASSERT_TRUE((*engine)->Run(*q, opt, collect, nullptr).ok());
      std::vector<Expected> want_limited = want;
      if (opt.limit && want_limited.size() > opt.limit) want_limited.resize(opt.limit);
      ASSERT_EQ(got, want_limited) << TimeModeName(mode) << " query: " << req.query << " since "
                                   << req.since << " until " << req.until << " limit " << opt.limit;

      StatusOr<uint64_t> n = (*engine)->Count(*q, opt, nullptr);
      ASSERT_TRUE(n.ok());
      EXPECT_EQ(*n, want.size()) << "count: " << req.query;

      if (mode == TimeMode::kCorrected && opt.limit == 0) {
        RunOptions no_slack = opt;
        no_slack.time_slack_ns = 0;
        got.clear();
        ASSERT_TRUE((*engine)->Run(*q, no_slack, collect, nullptr).ok());
        broke_without_slack += got != want;
      }
    }
  }
  EXPECT_GT(moved, 300);
  EXPECT_GT(broke_without_slack, 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, EnginePropertyTest, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace kiroku::engine
