// ArcSight Common Event Format: `CEF:Version|Device Vendor|Device Product|Device Version|Device
// Event Class ID|Name|Severity|Extension`, bare or after a syslog header. Header fields escape
// '|' and '\' with '\'; extension values escape '=', '\' and newlines and may hold blanks (a
// value runs to the blank before the next `key=`). The standard extension keys are mapped
// generically; anti-malware events of Trend Micro (Deep Security, Apex One/Central, OfficeScan)
// are mapped as antivirus events.
//
//   NormalizeCef(Input::From(record), config, &event);
#pragma once

#include <string>
#include <string_view>

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeCef(const Input& in, const Config& config, Event* out);

namespace internal {
// CEF unescaping of `v` (\\ \| \= \n \r); returns `v` itself when it has no backslash, else a
// view of `*buf`.
std::string_view CefUnescape(std::string_view v, std::string* buf);
}  // namespace internal

}  // namespace kiroku::normalize
