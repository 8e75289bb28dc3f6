// Applies W3C "#Fields:" headers to the data lines after them. A W3C log names its columns once,
// in a directive line; every data line from the same source until the next directive has those
// columns. Pass 1 (Observe) remembers each source's directives with the sequence number they
// arrived at; pass 2 (Enrich) re-reads each data line with the header in force at its seq.
// A source is the syslog HOSTNAME, or the sending address for bare lines.
//
//   std::unique_ptr<Correlator> c = NewW3cCorrelator();
//   for (r : records) c->Observe(r, events[r]);
//   for (r : records) c->Enrich(r, &events[r]);
#pragma once

#include <memory>

#include "normalize/family.h"

namespace kiroku::normalize {

std::unique_ptr<Correlator> NewW3cCorrelator();

}  // namespace kiroku::normalize
