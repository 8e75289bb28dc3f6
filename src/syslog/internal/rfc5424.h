// RFC 5424: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [SP MSG].
//
// Strict, because the format is strict and every violation means the sender is not speaking it:
// field lengths and characters (printable US-ASCII) are checked, as is the structure of the SD.
#pragma once

#include <cstddef>

#include "common/record.h"
#include "syslog/internal/context.h"

namespace kiroku::syslog::internal {

// REQUIRES: ctx.s[pos..] starts with "1 " (the VERSION), pos just past a valid PRI.
// Returns false if the header is malformed; *h is then partly written and must be discarded.
bool ParseRfc5424(const ParseContext& ctx, size_t pos, SyslogHeader* h);

}  // namespace kiroku::syslog::internal
