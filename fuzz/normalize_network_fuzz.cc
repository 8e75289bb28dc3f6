// libFuzzer target for the firewall normalisers (netfilter, ASA/FTD, FortiGate, PAN-OS, CEF, LEEF)
// and the ASA connection correlator (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_network_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_network_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/network/network.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeNetwork,
                                      &kiroku::normalize::NewNetworkCorrelator);
}
