// Cisco IOS / IOS XE / NX-OS NTP system messages (the syslog parser's Cisco layout, message
// starting "%NTP-"): PEERSYNC (sync), PEERUNREACH and UNSYNC (lost), PEERREACH, RESTART and STOP
// (status). Other %NTP- mnemonics keep event.code and the base fields only.
//
//   NormalizeCiscoNtp(in, config, &event);
//   // "%NTP-5-PEERSYNC: NTP synced to peer 192.0.2.1" → sync, server.address 192.0.2.1
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeCiscoNtp(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
