// The NCSA common and combined log formats, as Apache httpd writes them and as Squid writes
// them with "logformat common/combined" (Squid appends its "%Ss:%Sh" codes):
//
//   10.0.0.5 - alice [26/Nov/2026:14:37:42 +0000] "GET http://example.com/ HTTP/1.1" 200 5120
//       "http://ref/" "Mozilla/5.0 ..." TCP_MISS:HIER_DIRECT
//
// A proxy-style request target (absolute URL, CONNECT authority) gives observer.type proxy; a
// path gives observer.type webserver.
//
//   Event e;
//   NormalizeClf(in, config, &e);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeClf(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
