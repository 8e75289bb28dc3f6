// libFuzzer target for the web proxy normalisers (Squid, common/combined, W3C) and the W3C header
// correlator (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_proxy_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_proxy_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/proxy/proxy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeProxy,
                                      &kiroku::normalize::NewProxyCorrelator);
}
