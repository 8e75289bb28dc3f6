// The antivirus family (G-II.5): ClamAV's scanner (clamd, clamscan) and its updater
// (freshclam). NormalizeAntivirus tries the scanner first, then the updater.
//
//   Event e;
//   if (NormalizeAntivirus(Input::From(record), config, &e)) { ... }
#pragma once

#include "normalize/antivirus/clamav.h"
#include "normalize/antivirus/freshclam.h"
#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeAntivirus(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
