// Device time for timestamps without zone or year: year inference around New Year and leap
// days, and local→UTC across DST transitions, including the per-thread offset cache.
#include "syslog/internal/device_time.h"

#include <date/tz.h>

#include <chrono>
#include <string>

#include "syslog/internal/local_time.h"
#include "syslog/parser_test_util.h"

namespace kiroku::syslog {
namespace {

using internal::InferYear;
using internal::LocalToUtcNs;
using testing::UtcNs;

std::optional<int64_t> TimeOf(std::string_view line, int64_t receive, std::string_view zone) {
  ZoneRules rules;
  EXPECT_TRUE(rules.SetDefault(zone).ok());
  const SyslogHeader h = ParseSyslog(line, receive, rules, PeerAddress{});
  EXPECT_FALSE(h.parse_error) << line;
  EXPECT_FALSE(h.device_time_zone_known) << line;
  return h.device_time_ns;
}

TEST(YearInferenceTest, NewYearRolloverBothWays) {
  // Received just after midnight: "Dec 31" is last year, not eleven months ahead.
  EXPECT_EQ(TimeOf("<13>Dec 31 23:59:00 h a: m", UtcNs(2027, 1, 1, 0, 5, 0), "UTC"),
            UtcNs(2026, 12, 31, 23, 59, 0));
  // A device clock a few minutes fast sends "Jan  1" before our midnight: next year.
  EXPECT_EQ(TimeOf("<13>Jan  1 00:01:00 h a: m", UtcNs(2026, 12, 31, 23, 59, 0), "UTC"),
            UtcNs(2027, 1, 1, 0, 1, 0));
  // Same calendar day either side.
  EXPECT_EQ(TimeOf("<13>Dec 31 23:59:00 h a: m", UtcNs(2026, 12, 31, 23, 59, 30), "UTC"),
            UtcNs(2026, 12, 31, 23, 59, 0));
  EXPECT_EQ(TimeOf("<13>Jan  1 00:00:10 h a: m", UtcNs(2027, 1, 1, 0, 0, 5), "UTC"),
            UtcNs(2027, 1, 1, 0, 0, 10));
}

TEST(YearInferenceTest, AtMostAboutAMonthAhead) {
  const int64_t dec1 = UtcNs(2026, 12, 1, 0, 0, 0);
  EXPECT_EQ(InferYear(12, 31, 0, dec1), 2026);  // 30 days ahead: this year
  EXPECT_EQ(InferYear(1, 1, 0, dec1), 2027);    // exactly 31 days ahead: next year
  EXPECT_EQ(InferYear(1, 1, 1, dec1), 2026);    // one second more: that January was past
  EXPECT_EQ(InferYear(12, 15, 0, UtcNs(2026, 7, 1, 0, 0, 0)), 2025);
  EXPECT_EQ(InferYear(7, 1, 0, UtcNs(2026, 7, 1, 0, 0, 0)), 2026);
  EXPECT_EQ(InferYear(1, 15, 0, UtcNs(2026, 7, 1, 0, 0, 0)), 2026);
}

TEST(YearInferenceTest, LeapDay) {
  EXPECT_EQ(InferYear(2, 29, 43200, UtcNs(2028, 3, 1, 0, 0, 0)), 2028);
  EXPECT_EQ(InferYear(2, 29, 43200, UtcNs(2028, 2, 10, 0, 0, 0)), 2028);  // 19 days ahead
  EXPECT_EQ(InferYear(2, 29, 43200, UtcNs(2029, 1, 15, 0, 0, 0)), 2028);
  // A Feb 29 received in a common year can only be an old message (or a wrong clock).
  EXPECT_EQ(InferYear(2, 29, 43200, UtcNs(2027, 3, 1, 0, 0, 0)), 2024);
  EXPECT_EQ(InferYear(2, 29, 0, UtcNs(2101, 3, 1, 0, 0, 0)), 2096);  // 2100 is not leap
  EXPECT_EQ(TimeOf("<13>Feb 29 12:00:00 h a: m", UtcNs(2028, 3, 1, 8, 0, 0), "UTC"),
            UtcNs(2028, 2, 29, 12, 0, 0));
  EXPECT_EQ(TimeOf("<13>Feb 29 12:00:00 h a: m", UtcNs(2027, 3, 1, 8, 0, 0), "UTC"),
            UtcNs(2024, 2, 29, 12, 0, 0));
}

TEST(YearInferenceTest, DeviceTimeOutOfRangeIsAbsent) {
  internal::DeviceTimestamp ts{.has_year = true, .year = 9999, .month = 1, .day = 1};
  EXPECT_EQ(internal::DeviceTimeNs(ts, nullptr, 0), std::nullopt);
  ts.year = 1600;
  EXPECT_EQ(internal::DeviceTimeNs(ts, nullptr, 0), std::nullopt);
  ts.year = 1970;
  EXPECT_EQ(internal::DeviceTimeNs(ts, nullptr, 0), 0);
}

constexpr int64_t kReceive = testing::kReceive;  // 2026-11-26

TEST(ZoneTest, ZoneAppliesToBsdAndIsoWithoutOffset) {
  EXPECT_EQ(TimeOf("<13>Nov 26 14:30:00 h a: m", kReceive, "Asia/Tokyo"),
            UtcNs(2026, 11, 26, 5, 30, 0));
  EXPECT_EQ(TimeOf("<13>2026-11-26T14:30:00 h a: m", kReceive, "Asia/Tokyo"),
            UtcNs(2026, 11, 26, 5, 30, 0));
  EXPECT_EQ(TimeOf("<13>Jul  1 12:00:00.25 h a: m", kReceive, "Europe/Berlin"),
            UtcNs(2026, 7, 1, 10, 0, 0, 250'000'000));
  EXPECT_EQ(TimeOf("<13>Jan  1 12:00:00 h a: m", kReceive, "Europe/Berlin"),
            UtcNs(2026, 1, 1, 11, 0, 0));
}

// Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC).
TEST(ZoneTest, BerlinSpringForward) {
  EXPECT_EQ(TimeOf("<13>Mar 29 01:59:59 h a: m", kReceive, "Europe/Berlin"),
            UtcNs(2026, 3, 29, 0, 59, 59));
  EXPECT_EQ(TimeOf("<13>Mar 29 03:00:00 h a: m", kReceive, "Europe/Berlin"),
            UtcNs(2026, 3, 29, 1, 0, 0));
  // 02:30 never happens on a correct clock; date::choose::earliest maps the gap to the
  // transition instant.
  EXPECT_EQ(TimeOf("<13>Mar 29 02:30:00 h a: m", kReceive, "Europe/Berlin"),
            UtcNs(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(TimeOf("<13>Mar 29 02:00:00 h a: m", kReceive, "Europe/Berlin"),
            UtcNs(2026, 3, 29, 1, 0, 0));
}

// America/New_York, 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:xx happens twice.
TEST(ZoneTest, NewYorkFallBack) {
  EXPECT_EQ(TimeOf("<13>Nov  1 00:59:59 h a: m", kReceive, "America/New_York"),
            UtcNs(2026, 11, 1, 4, 59, 59));
  // Ambiguous: choose::earliest takes the first pass, still on EDT (UTC-4).
  EXPECT_EQ(TimeOf("<13>Nov  1 01:00:00 h a: m", kReceive, "America/New_York"),
            UtcNs(2026, 11, 1, 5, 0, 0));
  EXPECT_EQ(TimeOf("<13>Nov  1 01:30:00.5 h a: m", kReceive, "America/New_York"),
            UtcNs(2026, 11, 1, 5, 30, 0, 500'000'000));
  EXPECT_EQ(TimeOf("<13>Nov  1 02:00:00 h a: m", kReceive, "America/New_York"),
            UtcNs(2026, 11, 1, 7, 0, 0));
}

// The cached conversion must agree with date::time_zone::to_sys(choose::earliest) everywhere,
// including right at transitions and while several zones evict each other from the cache.
TEST(ZoneTest, CacheAgreesWithDateLibrary) {
  using std::chrono::nanoseconds;
  const char* const names[] = {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                               "Europe/Dublin", "Pacific/Apia",     "America/Sao_Paulo",
                               "Asia/Tokyo",    "Australia/Sydney", "America/St_Johns"};
  std::vector<Zone> zones;
  for (const char* n : names) {
    StatusOr<Zone> z = LookupZone(n);
    ASSERT_TRUE(z.ok()) << n;
    zones.push_back(*z);
  }
  // 2011-01-01 .. 2028-01-01 in 1 h 7 min 13.5 s steps (so minutes and half hours vary), then the
  // minutes around every transition of every zone.
  std::vector<int64_t> times;
  for (int64_t t = UtcNs(2011, 1, 1, 0, 0, 0); t < UtcNs(2028, 1, 1, 0, 0, 0);
       t += 4'033'500'000'000) {
    times.push_back(t);
  }
  for (Zone z : zones) {
    auto info = z->get_info(
        date::sys_seconds(std::chrono::seconds(UtcNs(2011, 1, 1, 0, 0, 0) / 1'000'000'000)));
    while (info.end < date::sys_days(date::year(2028) / 1 / 1)) {
      const int64_t edge = info.end.time_since_epoch().count();
      for (int64_t d = -7200; d <= 7200; d += 900) {
        for (int64_t off : {-info.offset.count(), int64_t{0}}) {
          times.push_back((edge + off + d) * 1'000'000'000 + 1);
          times.push_back((edge + off + d + 1) * 1'000'000'000 - 1);
        }
      }
      info = z->get_info(info.end);
    }
  }
  size_t checked = 0;
  for (int64_t local : times) {
    for (Zone z : zones) {
      const int64_t want =
          z->to_sys(date::local_time<nanoseconds>(nanoseconds(local)), date::choose::earliest)
              .time_since_epoch()
              .count();
      ASSERT_EQ(LocalToUtcNs(z, local), want) << z->name() << " local_ns=" << local;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1'000'000u);
  EXPECT_EQ(LocalToUtcNs(nullptr, 12345), 12345);
}

}  // namespace
}  // namespace kiroku::syslog
