// The mail family (G-II.4): Postfix, Sendmail and Exim logs, and the correlator that joins the
// lines of one message. NormalizeMail tries the formats by their syslog tag (Postfix, Sendmail,
// Exim) and, for a bare line, Exim's mainlog stamp.
//
//   Event e;
//   if (NormalizeMail(Input::From(record), config, &e)) { ... }
//   auto corr = NewMailCorrelator();   // then Observe every record, then Enrich every record
#pragma once

#include <memory>

#include "normalize/family.h"
#include "normalize/mail/exim.h"
#include "normalize/mail/postfix.h"
#include "normalize/mail/sendmail.h"

namespace kiroku::normalize {

bool NormalizeMail(const Input& in, const Config& config, Event* out);

// Per (host, queue id): pass 1 collects the sender, Message-ID, subject, attachment names,
// recipients, client address and SASL user from all lines; pass 2 adds them to every line of
// that queue id. A delivery line keeps its own delivery status; the others get none.
std::unique_ptr<Correlator> NewMailCorrelator();

}  // namespace kiroku::normalize
