// chronyd (syslog tag "chronyd"): source selection ("Selected source 192.0.2.1 (ntp.example.com)"
// → sync), loss of synchronisation ("Can't synchronise: no selectable sources" → lost), clock
// steps ("System clock was stepped by -0.500000 seconds" → step, offset), measured error
// ("System clock wrong by 1.234567 seconds" → status, offset), source replacement, time jumps
// and start-up.
//
//   NormalizeChrony(in, config, &event);   // kiroku.ntp.state, server.address, offset_us
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeChrony(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
