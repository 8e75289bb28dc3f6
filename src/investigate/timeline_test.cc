#include "investigate/timeline.h"

#include <gtest/gtest.h>

#include <sstream>

#include "investigate/testing/scenario_fixture.h"

namespace kiroku::investigate {
namespace {

using testing::At;
using TimelineTest = testing::ScenarioTest;

TEST_F(TimelineTest, AcrossDevicesInTimeOrder) {
  std::vector<EventRow> rows = Find("203.0.113.50 OR source.ip:10.1.0.9");
  std::ostringstream out;
  WriteTimelineTable(rows, out);
  EXPECT_EQ(out.str(),
            "time                      host     type      action            summary\n"
            "2026-11-26T09:55:00.000Z  radius1  radius    accounting-start  user=bob from "
            "10.1.0.9\n"
            "2026-11-26T10:00:00.000Z  proxy1   proxy     tcp_miss          user=alice 10.1.0.5 "
            "-> 203.0.113.50 GET http://203.0.113.50/beacon status=200 outcome=success\n"
            "2026-11-26T10:05:00.000Z  proxy1   proxy     tcp_miss          user=alice 10.1.0.5 "
            "-> 203.0.113.50 POST http://203.0.113.50/upload status=200 outcome=success\n"
            "2026-11-26T10:30:00.000Z  fw1      firewall  allow             10.1.0.9:50000 -> "
            "203.0.113.50:443 outcome=success\n"
            "2026-11-26T11:00:00.000Z  proxy1   proxy     tcp_denied        from 10.1.0.9 GET "
            "http://203.0.113.50/beacon status=403 outcome=failure\n"
            "2026-11-26T11:30:00.000Z  fw1      firewall  deny              10.1.0.9:50001 -> "
            "203.0.113.50:8080 outcome=failure\n"
            "2026-11-26T11:31:00.000Z  fw1      firewall  deny              10.1.0.9:50002 -> "
            "203.0.113.50:8080 outcome=failure\n");
}

TEST_F(TimelineTest, JsonHasTypedFields) {
  std::vector<EventRow> rows = Find("observer.type:firewall AND event.action:allow");
  ASSERT_EQ(rows.size(), 1u);
  nlohmann::ordered_json j = RowJson(rows[0]);
  EXPECT_EQ(j["time"], At("10:30:00"));
  EXPECT_EQ(j["host"], "fw1");
  EXPECT_EQ(j["observer.type"], "firewall");
  EXPECT_EQ(j["event.action"], "allow");
  EXPECT_EQ(j["fields"]["destination.port"], 443);
  EXPECT_EQ(j["fields"]["event.category"], nlohmann::ordered_json::array({"network"}));
}

TEST_F(TimelineTest, WindowAndTimeHook) {
  ctx_.since = "2026-11-26T11:00:00Z";
  ctx_.until = "2026-11-26T11:31:00Z";
  std::vector<EventRow> rows = Find("203.0.113.50");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(TimeText(rows[0].time_ns), At("11:00:00"));
  EXPECT_EQ(TimeText(rows[1].time_ns), At("11:30:00"));

  // The clock-correction hook: the time shown and ordered by is what time_of returns.
  ctx_.since.clear();
  ctx_.until.clear();
  ctx_.time_of = [](const RecordView& r, int64_t ts) {
    return r.Field(r.header.host) == "fw1" ? ts - 3600LL * 1'000'000'000 : ts;
  };
  rows = Find("203.0.113.50 AND observer.type:firewall");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(TimeText(rows[0].time_ns), At("09:30:00"));
}

TEST_F(TimelineTest, MessageWhenNoFields) {
  engine_.Add("<13>Nov 26 13:00:00 web1 app[1]: something\tplain happened");
  std::vector<EventRow> rows = Find("host.name:web1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Summarize(rows[0]), "something plain happened");
}

TEST_F(TimelineTest, BadQueryIsInvalidArgument) {
  std::vector<EventRow> rows;
  EXPECT_EQ(ctx_.Find("nosuch.field:1", &rows).code(), Status::Code::kInvalidArgument);
  ctx_.since = "yesterday-ish";
  EXPECT_EQ(ctx_.Find("", &rows).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace kiroku::investigate
