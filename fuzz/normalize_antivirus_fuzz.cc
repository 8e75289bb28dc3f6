// libFuzzer target for the anti-malware normalisers (clamd, clamscan, freshclam)
// (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_antivirus_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_antivirus_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/antivirus/antivirus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeAntivirus);
}
