// What clamd, clamscan and freshclam lines share: the base fields of an antivirus record and
// the "Thu Nov 26 14:37:42 2026 -> " stamp that LogTime puts before each line of their own log
// files (LogFile=, UpdateLogFile=). Internal to normalize/antivirus.
//
//   std::string_view m = "Thu Nov 26 14:37:42 2026 -> SelfCheck: Database status OK.";
//   SkipLogTime(&m);   // m == "SelfCheck: Database status OK."
#pragma once

#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

void AddClamavBase(std::string_view normalizer, Event* out);

// Removes a leading "Www Mmm dd hh:mm:ss yyyy -> " (dd may be " 6"); returns whether it did.
bool SkipLogTime(std::string_view* s);

// Removes the level marks ClamAV's logger writes: "ERROR: ", "WARNING: ", "LibClamAV Error: ",
// "LibClamAV Warning: ", and the raw '!' / '^' marks; sets *error / *warning accordingly.
std::string_view StripLevel(std::string_view s, bool* error, bool* warning);

}  // namespace kiroku::normalize::internal
