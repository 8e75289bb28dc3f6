// The proxy family (G-II.2): web proxy and web server access logs.
//
// Formats, tried cheapest recognition first:
//   - Squid native access.log (squid.h)
//   - W3C extended, ProxySG "main" columns or any #Fields header (w3c.h, w3c_correlator.h)
//   - NCSA common / combined, Apache and Squid variants (clf.h)
// Every record gets event.category web, network.protocol http and observer.type proxy (a web
// server's own log: webserver). docs/schema/proxy.md maps each format's tokens to fields.
//
//   Event e;
//   if (NormalizeProxy(Input::From(record), config, &e)) { ... }
//   auto c = NewProxyCorrelator();   // applies W3C #Fields headers across records
#pragma once

#include <memory>

#include "normalize/family.h"
#include "normalize/proxy/clf.h"
#include "normalize/proxy/squid.h"
#include "normalize/proxy/w3c.h"

namespace kiroku::normalize {

bool NormalizeProxy(const Input& in, const Config& config, Event* out);

std::unique_ptr<Correlator> NewProxyCorrelator();

}  // namespace kiroku::normalize
