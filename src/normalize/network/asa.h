// Cisco ASA and Firepower Threat Defense (FTD) syslog messages: `%ASA-<sev>-<id>: <text>` or
// `%FTD-...`, the message text laid out per id as in Cisco's "Cisco Secure Firewall ASA Series
// Syslog Messages". The access-list, connection build/teardown and ICMP/ACL deny ids a SOC
// relies on are parsed field by field; any other id gives only the observer and event.code.
//
//   NormalizeAsa(Input::From(record), config, &event);
//   event.Get(Field::kEventCode);   // "106023"
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeAsa(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
