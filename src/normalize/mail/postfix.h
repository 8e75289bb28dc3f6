// Postfix: the lines of smtpd, postscreen, cleanup (including header_checks/body_checks
// actions), pickup, qmgr, the delivery agents (smtp, lmtp, local, virtual, pipe, error) and
// bounce, for every instance name ("postfix/smtpd", "postfix-out/smtp",
// "postfix/submission/smtpd"). Each line gives what it says itself plus email.queue_id; the
// mail correlator (mail_correlator.h) spreads sender, recipients, Message-ID and attachment
// names over all lines of one queue id.
//
//   Input in{record, "mx1", "postfix/qmgr", "3F1A2B4C5D: from=<a@example.net>, size=12, ..."};
//   NormalizePostfix(in, config, &event);   // email.from.address, email.queue_id, ...
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizePostfix(const Input& in, const Config& config, Event* out);

// A Postfix queue id: short (upper-case hex) or long (vowel-free base 52, 'z', base 51).
bool IsPostfixQueueId(std::string_view s);

}  // namespace kiroku::normalize
