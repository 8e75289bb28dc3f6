#include "engine/time_mode.h"

#include <gtest/gtest.h>

#include "common/testing/temp_dir.h"
#include "query/internal/test_record.h"

namespace kiroku::engine {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kReceived = 1'795'703'400'000'000'000;  // 2026-11-26T14:30:00Z

query::internal::TestRecord Record(std::string host, int64_t device_ns) {
  query::internal::TestRecord r("<13>1 - " + host + " app - - - hi");
  r.Set(&SyslogHeader::host, host);
  r.base().header.device_time_ns = device_ns;
  return r;
}

timewatch::Corrector Offsets() {
  timewatch::Corrector c;
  c.AddPoint("ahead", "127.0.0.1", {kReceived, kReceived, 3000 * kMs, 2 * kMs, false});
  c.AddPoint("synced", "127.0.0.1", {kReceived, kReceived, kMs / 2, kMs, false});
  c.SetUnsyncedIntervals({{kReceived - 1000 * kMs, kReceived + 1}});
  c.Finish();
  return c;
}

TEST(TimeModeTest, Names) {
  for (TimeMode m : {TimeMode::kDevice, TimeMode::kReceived, TimeMode::kCorrected}) {
    EXPECT_EQ(TimeModeFromName(TimeModeName(m)), m);
  }
  EXPECT_FALSE(TimeModeFromName("Corrected"));
  EXPECT_FALSE(TimeModeFromName(""));
}

TEST(TimeModeTest, CorrectedSubtractsTheOffsetAndCarriesEveryTime) {
  TimeSelector sel(TimeMode::kCorrected, Offsets());
  EXPECT_EQ(sel.slack_ns(), 3000 * kMs);
  auto r = Record("ahead", kReceived + 2990 * kMs);  // sent 10 ms before it was received
  query::RecordTimes t = sel.Of(r.view());
  EXPECT_EQ(t.mode, "corrected");
  EXPECT_EQ(t.device_ns, kReceived + 2990 * kMs);
  EXPECT_TRUE(t.estimated);
  EXPECT_EQ(t.corrected_ns, kReceived - 10 * kMs);
  EXPECT_EQ(t.shown_ns, t.corrected_ns);
  EXPECT_EQ(t.uncertainty_ns, 2 * kMs);
  EXPECT_TRUE(t.receive_unsynced);

  RunOptions o;
  sel.Apply(&o);
  ASSERT_TRUE(o.time_of);
  EXPECT_EQ(o.time_of(r.view(), 0), kReceived - 10 * kMs);
  EXPECT_EQ(o.time_slack_ns, 3000 * kMs);
  EXPECT_EQ(o.time_base, TimeBase::kTimestamp);
}

TEST(TimeModeTest, NoCorrectionBelowItsUncertaintyOrWithoutEstimate) {
  TimeSelector sel(TimeMode::kCorrected, Offsets());
  auto synced = Record("synced", kReceived - 3 * kMs);
  query::RecordTimes t = sel.Of(synced.view());
  EXPECT_TRUE(t.estimated);  // 0.5 ms offset, 1 ms uncertainty: not applied
  EXPECT_EQ(t.corrected_ns, kReceived - 3 * kMs);
  EXPECT_EQ(t.shown_ns, kReceived - 3 * kMs);
  EXPECT_EQ(t.uncertainty_ns, kMs);

  auto unknown = Record("other", kReceived - 5 * kMs);
  t = sel.Of(unknown.view());
  EXPECT_FALSE(t.estimated);
  EXPECT_EQ(t.shown_ns, kReceived - 5 * kMs);

  // Imported and kiroku's own records are not sources; no device time: the receive time.
  auto imported = Record("ahead", kReceived + 2990 * kMs);
  imported.base().transport = Transport::kImport;
  EXPECT_FALSE(sel.Of(imported.view()).estimated);
  auto untimed = Record("ahead", 0);
  untimed.base().header.device_time_ns.reset();
  t = sel.Of(untimed.view());
  EXPECT_FALSE(t.estimated);
  EXPECT_EQ(t.shown_ns, kReceived);
  EXPECT_EQ(t.device_ns, kReceived);
}

TEST(TimeModeTest, DeviceAndReceivedStillCarryTheCorrection) {
  auto r = Record("ahead", kReceived + 2990 * kMs);
  TimeSelector device(TimeMode::kDevice, Offsets());
  query::RecordTimes t = device.Of(r.view());
  EXPECT_EQ(t.shown_ns, kReceived + 2990 * kMs);
  EXPECT_EQ(t.corrected_ns, kReceived - 10 * kMs);
  EXPECT_EQ(device.slack_ns(), 0);
  RunOptions o;
  device.Apply(&o);
  EXPECT_FALSE(o.time_of);

  TimeSelector received(TimeMode::kReceived, Offsets());
  EXPECT_EQ(received.Of(r.view()).shown_ns, kReceived);
  received.Apply(&o);
  EXPECT_EQ(o.time_base, TimeBase::kReceived);
  EXPECT_EQ(o.time_of(r.view(), 0), kReceived);
}

TEST(TimeModeTest, WindowOnTheChosenTime) {
  query::SearchRequest req;
  req.query = "hi";
  req.since = "2026-11-26T14:30:00Z";
  req.until = "2026-11-26T14:31:00Z";
  // Corrected: a window widened by the slack in the query, the exact one in the options.
  TimeSelector corrected(TimeMode::kCorrected, Offsets());
  RunOptions o;
  StatusOr<query::Node> q = corrected.Compile(req, kReceived, &o);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(o.time_since_ns, kReceived);
  EXPECT_EQ(o.time_until_ns, kReceived + 60'000 * kMs - 1);
  ASSERT_EQ(q->kind, query::Node::Kind::kAnd);
  EXPECT_EQ(q->children[0].term.fields[0]->name, "@timestamp");
  EXPECT_EQ(std::get<query::IntRangeTest>(q->children[0].term.test),
            (query::IntRangeTest{kReceived - 3000 * kMs, kReceived + 63'000 * kMs - 1}));
  // Received: the index sees event.created; nothing left for the options.
  TimeSelector received(TimeMode::kReceived, Offsets());
  RunOptions r;
  q = received.Compile(req, kReceived, &r);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->children[0].term.fields[0]->name, "event.created");
  EXPECT_EQ(r.time_since_ns, INT64_MIN);
  // The user's mistakes as before.
  req.until = "not-a-time";
  EXPECT_EQ(received.Compile(req, kReceived, &r).status().code(), Status::Code::kInvalidArgument);
}

TEST(TimeModeTest, LoadWithoutClockWatchCorrectsNothing) {
  testing::TempDir dir;
  PosixFs fs;
  StatusOr<TimeSelector> sel = TimeSelector::Load(fs, dir.path(), TimeMode::kCorrected);
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  EXPECT_EQ(sel->slack_ns(), 0);
  RunOptions o;
  sel->Apply(&o);
  EXPECT_FALSE(o.time_of);  // as --time device, at no cost
}

}  // namespace
}  // namespace kiroku::engine
