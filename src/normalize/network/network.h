// The network family (firewalls, guideline G-II.1): netfilter LOG lines, Cisco ASA/FTD,
// FortiGate, PAN-OS, CEF and LEEF. NormalizeNetwork tries each format, cheapest recognition
// first, and returns true when one recognised the record. docs/schema/network.md lists the
// mappings.
//
//   Event e;
//   if (NormalizeNetwork(Input::From(record), config, &e)) { ... e.Get(Field::kSourceIp) ... }
//   std::unique_ptr<Correlator> c = NewNetworkCorrelator();  // then Observe all, Enrich all
#pragma once

#include <memory>

#include "normalize/family.h"
#include "normalize/network/asa.h"
#include "normalize/network/asa_correlator.h"
#include "normalize/network/cef.h"
#include "normalize/network/fortigate.h"
#include "normalize/network/leef.h"
#include "normalize/network/netfilter.h"
#include "normalize/network/panos.h"

namespace kiroku::normalize {

bool NormalizeNetwork(const Input& in, const Config& config, Event* out);

// Gives ASA/FTD teardown messages the endpoints of their Built message (asa_correlator.h).
std::unique_ptr<Correlator> NewNetworkCorrelator();

}  // namespace kiroku::normalize
