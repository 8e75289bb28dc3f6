// libFuzzer target for the Windows event normalisers (Snare, NXLog JSON) (fuzz/normalize_fuzz.h
// says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_windows_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_windows_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/windows/windows.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeWindows);
}
