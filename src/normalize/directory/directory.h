// Directory and RADIUS servers (G-II.3): OpenLDAP slapd `stats` log lines and auditlog overlay
// LDIF, FreeRADIUS radius.log authentication lines and accounting records.
// - slapd stats lines only make full sense per connection and operation (the BIND's result, the
//   bound DN behind a MOD), so NewDirectoryCorrelator() joins them: see slapd_correlator.cc.
// - The auditlog overlay writes one LDIF record per change; it arrives as one multi-line record
//   or, from a line-by-line forwarder, as its lone "# modify ..." header line.
//
//   Event e;
//   if (NormalizeDirectory(Input::From(record), config, &e)) { ... }
//   auto corr = NewDirectoryCorrelator();   // Observe every record, then Enrich each
#pragma once

#include <memory>

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeDirectory(const Input& in, const Config& config, Event* out);
std::unique_ptr<Correlator> NewDirectoryCorrelator();

bool NormalizeSlapdStats(const Input& in, const Config& config, Event* out);
bool NormalizeSlapdAudit(const Input& in, const Config& config, Event* out);
bool NormalizeFreeRadius(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
