// systemd-timesyncd (syslog tag "systemd-timesyncd"): "Synchronized to time server
// 192.0.2.1:123 (ntp.example.com)." and "Initial synchronization to time server ..." (sync),
// "Contacted time server ...", "Timed out waiting for reply from ..." and network changes
// (status). server.address is the address as logged, without the port.
//
//   NormalizeTimesyncd(in, config, &event);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeTimesyncd(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
