// freshclam, ClamAV's signature updater (syslog tag "freshclam", its UpdateLogFile with or
// without LogTime stamps, or bare output): database updates ("daily.cld updated (version:
// 27123, ...)" → signature-updated, package.version), "up-to-date" checks, the "Database
// updated (N signatures) from HOST (IP: A)" summary, and failed updates.
//
//   NormalizeFreshclam(in, config, &event);
//   // "daily.cvd database is up-to-date (version: 27123, ...)" → signature-up-to-date
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeFreshclam(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
