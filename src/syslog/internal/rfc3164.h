// BSD syslog (RFC 3164) as devices really send it:
//
//   <PRI>[TIMESTAMP SP][HOSTNAME SP][TAG]MSG
//
// TIMESTAMP is "Mmm dd hh:mm:ss" with the variants of timestamp.h, or ISO 8601. HOSTNAME and
// TAG are both optional and told apart by shape (see ParseRfc3164 and docs/syslog-parsing.md).
// A line with no timestamp is still accepted: RFC 3164 4.3.3 makes everything after the PRI the
// content; we only pick a TAG out of it when one is plainly there.
#pragma once

#include <cstddef>

#include "common/record.h"
#include "syslog/internal/context.h"

namespace kiroku::syslog::internal {

// True for a token that can only be a TAG, never a HOSTNAME: one that ends with ':' or contains
// '[' ("su:", "sshd[42]:", "CRON[7]") after at least one other character. A host name never has
// either; a bare word could be either, and after the timestamp it is read as the host, as
// RFC 3164 orders them.
bool LooksLikeTag(std::string_view token);

// REQUIRES: pos just past a valid PRI. Returns false if a timestamp starts but is malformed;
// *h is then partly written and must be discarded.
bool ParseRfc3164(const ParseContext& ctx, size_t pos, SyslogHeader* h);

}  // namespace kiroku::syslog::internal
