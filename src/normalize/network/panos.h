// Palo Alto Networks PAN-OS TRAFFIC and THREAT logs in the default syslog CSV layout
// (`FUTURE_USE,Receive Time,Serial Number,Type,Subtype,...`, field order from the PAN-OS 10.x/11.x
// "Syslog Field Descriptions"). Fields are found by position; a custom log format is not read.
//
//   NormalizePanos(Input::From(record), config, &event);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizePanos(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
