// What the time-sync formats share: the base fields, the record of one state change
// (kiroku.ntp.state with event.action time-sync) and offsets in decimal seconds turned into
// signed microseconds. Internal to normalize/timesync.
//
//   SecondsToMicros("-0.5000004")   // -500000 (rounded half away from zero)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

void AddNtpBase(std::string_view normalizer, std::string_view product, Event* out);

// sync (outcome success), lost (failure), step or status; always with event.action time-sync.
void AddNtpState(std::string_view state, Event* out);

// "[+-]digits[.digits]" seconds → microseconds, rounded; nullopt for anything else or beyond
// a million years.
std::optional<int64_t> SecondsToMicros(std::string_view s);

// An NTP source as logged: an IP address, a host name, or a reference clock name such as
// "PHC0", "GPS" or "LOCAL(0)". Rejects empty text, blanks and control bytes.
bool LooksLikeSource(std::string_view s);

}  // namespace kiroku::normalize::internal
