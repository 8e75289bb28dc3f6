// Exim main log: arrivals ("<="), deliveries ("=>", "->"), failures ("**"), deferrals ("=="),
// "Completed", and RCPT rejections, either through syslog (tags "exim", "exim4") or as bare
// mainlog lines with their "YYYY-MM-DD hh:mm:ss" stamp. Both the classic 16-character message
// id (1vABCD-000123-Ab) and Exim 4.97's 23-character one are read. Lines are correlated by
// message id with the mail correlator.
//
//   NormalizeExim(in, config, &event);
//   // "1vABCD-000123-Ab => x@y R=dnslookup T=remote_smtp H=mx [198.51.100.7]" → sent
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeExim(const Input& in, const Config& config, Event* out);

// 6-6-2 or (Exim 4.97 and later) 6-11-4 base-62 characters.
bool IsEximMessageId(std::string_view s);

}  // namespace kiroku::normalize
