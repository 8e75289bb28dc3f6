// Times as investigators type them (--since, --until, and time values inside queries), and the
// RFC 3339 form kiroku prints.
//
// Accepted: RFC 3339 with a zone ("2026-11-26T14:00:00Z", "2026-11-26T23:00:00.5+09:00", 't',
// 'z' and a space for 'T' allowed), a bare date ("2026-11-26", midnight UTC), and times relative
// to `now_ns`: "now", "15m", "2h", "7d", "1w", "30s", also written "now-15m". A date-time
// without a zone is rejected rather than guessed: in an investigation a silently wrong hour is
// worse than an error. `now_ns` is passed in (from a Clock) so nothing here reads the time.
//
//   StatusOr<int64_t> since = ParseTimeArg("2h", clock.NowNs());
//   std::string s = FormatRfc3339(ns);   // "2026-11-26T14:30:00.123456789Z"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiroku::query {

struct TimeValue {
  int64_t ns = 0;            // UTC ns since the epoch
  int64_t precision_ns = 1;  // what the text pinned down: a day, a second, 1 ms, ...
};

// The time and how precisely it was written: "2026-11-26" has a day's precision,
// "2026-11-26T14:00:00Z" a second's, "...:00.120Z" a millisecond's, relative forms 1 ns.
// Errors are InvalidArgument with a message that names the accepted forms.
StatusOr<TimeValue> ParseTimeValue(std::string_view text, int64_t now_ns);

// ParseTimeValue(...).ns: for --since (inclusive) and --until (exclusive).
StatusOr<int64_t> ParseTimeArg(std::string_view text, int64_t now_ns);

// RFC 3339 in UTC with `frac_digits` (0..9) fraction digits, truncated, never rounded up:
// FormatRfc3339(0) == "1970-01-01T00:00:00.000000000Z".
std::string FormatRfc3339(int64_t ns, int frac_digits = 9);
void AppendRfc3339(int64_t ns, int frac_digits, std::string* out);

}  // namespace kiroku::query
