// Windows event log records forwarded as syslog (G-II.3, G-II.5, G-II.6, G-I.1): account
// management and directory changes, file share access, Microsoft Defender and W32Time events.
// Two forwarder formats are decoded into one WinEvent (internal/win_event.h) and mapped by
// event id:
// - Snare "MSWinEventLog" tab-delimited records (Snare Agent, NXLog to_syslog_snare()):
//   NormalizeSnare.
// - NXLog im_msvistalog records as JSON (to_json()), the whole message or after a syslog
//   header: NormalizeNxlogJson.
//
//   Event e;
//   if (NormalizeWindows(Input::From(record), config, &e)) { ... e.Get(Field::kUserTargetName) }
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeWindows(const Input& in, const Config& config, Event* out);

bool NormalizeSnare(const Input& in, const Config& config, Event* out);
bool NormalizeNxlogJson(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
