// Pieces of MTA log syntax that Postfix, Sendmail and Exim share: the base fields of a mail
// record, "host[ip]:port" endpoints and "<address>" values. Internal to normalize/mail.
//
//   Endpoint ep;
//   if (ParseEndpoint("mx.example.org[198.51.100.7]:25", &ep)) { ep.ip == "198.51.100.7"; }
#pragma once

#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

// observer.type mail, event.category email, observer.product and kiroku.normalizer.
void AddMailBase(std::string_view normalizer, std::string_view product, Event* out);

// "name[ip]", "name[ip]:port", "[ip]:port" (postscreen). `host` is empty for "[ip]" and for
// "unknown" (Postfix's word for a client without a verified name).
struct Endpoint {
  std::string_view host;
  std::string_view ip;
  std::string_view port;  // empty when absent
};
// True only when the whole of `s` has that shape and the address is an IP.
bool ParseEndpoint(std::string_view s, Endpoint* out);

// Adds source.* (or destination.* with `destination`) from an endpoint. The host name goes to
// destination.domain only, and only when it is a name rather than the address again.
void AddEndpoint(const Endpoint& ep, bool destination, Event* out);

// The address inside `key=<...>` when `key` starts `s` or follows a blank or ','; nullopt
// when the key is absent or the '>' is missing. Empty for the null sender "<>".
bool AngleValue(std::string_view s, std::string_view key, std::string_view* value);

// Rough check that an envelope address is one token: no blanks, no brackets, no quotes that
// would show a cut or a misread line. A bare local name ("root") passes.
bool LooksLikeAddress(std::string_view s);

}  // namespace kiroku::normalize::internal
