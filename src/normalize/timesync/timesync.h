// The time-sync family (G-I.1): chrony, ntpd / NTPsec, systemd-timesyncd and Cisco NTP
// messages, each giving kiroku.ntp.state (sync | lost | step | status), the time source
// (server.address), stratum and offset where the line has them, so that a search shows when
// a device lost or regained its time source.
//
//   Event e;
//   if (NormalizeTimesync(Input::From(record), config, &e)) { ... }
#pragma once

#include "normalize/family.h"
#include "normalize/timesync/chrony.h"
#include "normalize/timesync/cisco_ntp.h"
#include "normalize/timesync/ntpd.h"
#include "normalize/timesync/timesyncd.h"

namespace kiroku::normalize {

bool NormalizeTimesync(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
