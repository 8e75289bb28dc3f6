// FortiGate (FortiOS) key=value syslog: `date=.. time=.. devname=".." devid=".." logid=".."
// type="traffic|utm|event" subtype=".." ...`, as in Fortinet's "FortiOS Log Message Reference".
// Traffic logs give the flow; utm logs add what they carry (virus name, web-filter URL);
// event logs give the action, status and user.
//
//   NormalizeFortigate(Input::From(record), config, &event);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeFortigate(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
