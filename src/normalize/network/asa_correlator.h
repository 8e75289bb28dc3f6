// Gives ASA/FTD teardown messages (302014, 302016, 302021) the endpoints of their connection.
// A teardown lists the outside socket first whichever side opened the connection, so it cannot
// say on its own which address is the source; the Built message (302013, 302015, 302020) of
// the same connection on the same device can. Observe remembers each Built message's source,
// destination, NAT and direction under the device's host name and connection id; Enrich copies
// them to the teardown when both addresses agree.
//
//   std::unique_ptr<Correlator> c = NewAsaCorrelator();
//   for (...) c->Observe(record, event);   // pass 1, in sequence order
//   for (...) c->Enrich(record, &event);   // pass 2
#pragma once

#include <memory>

#include "normalize/family.h"

namespace kiroku::normalize {

std::unique_ptr<Correlator> NewAsaCorrelator();

}  // namespace kiroku::normalize
