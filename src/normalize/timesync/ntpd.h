// ntpd from ntp.org and NTPsec (both log as "ntpd"): "synchronized to 192.0.2.1, stratum 2"
// (sync), "time reset +0.123456 s" (step), "kernel reports TIME_ERROR: 0x41: Clock
// Unsynchronized" (lost), the event lines "0.0.0.0 c618 08 no_sys_peer" (decoded as in
// ntp_decode(5)), "adjusting local clock by 0.234567s", and NTPsec's tagged lines ("CLOCK: time
// stepped by 0.123456", "SYNC: ...", "PROTO: 192.0.2.1 8011 81 mobilize assoc 1").
//
//   NormalizeNtpd(in, config, &event);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeNtpd(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
