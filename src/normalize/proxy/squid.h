// Squid's native access.log format (logformat "squid"), as a bare line from the file or inside
// a syslog message (access_log syslog:..., or a file shipped by rsyslog imfile):
//
//   time.ms elapsed client code/status bytes method URL user hierarchy/peer mime-type
//   1795703862.123    523 10.0.0.5 TCP_MISS/200 5120 GET http://www.example.com/ alice
//       HIER_DIRECT/93.184.216.34 text/html
//
//   Event e;
//   if (NormalizeSquid(in, config, &e)) { ... e.Get(Field::kUrlDomain) ... }
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeSquid(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
