// IBM QRadar Log Event Extended Format: `LEEF:1.0|Vendor|Product|Version|EventID|` then
// tab-separated key=value attributes; LEEF 2.0 may add a delimiter field after EventID (one
// character, or its code as `x5E` / `0x5E`). Bare or after a syslog header. The predefined
// attribute keys (src, dst, srcPort, dstPort, proto, usrName, srcBytes, ...) are mapped.
//
//   NormalizeLeef(Input::From(record), config, &event);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeLeef(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
