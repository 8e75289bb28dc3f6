// Sendmail (syslog tags "sendmail", "sm-mta", "sm-msp-queue"): the envelope lines of a queue id
// ("from=... msgid=... relay=host [ip]", "to=... relay=... dsn=... stat=..."), the ruleset
// rejects ("ruleset=check_rcpt, arg1=<x>, relay=..., reject=550 ...") and SMTP AUTH. Lines are
// correlated by queue id with the mail correlator, like Postfix.
//
//   NormalizeSendmail(in, config, &event);
//   // "4AQEbgS1012345: to=<x@y>, ..., stat=Sent (ok)" → email.delivery_status sent
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeSendmail(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
