// libFuzzer target for the directory normalisers (slapd stats and auditlog, FreeRADIUS) and the
// slapd correlator (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_directory_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_directory_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/directory/directory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeDirectory,
                                      &kiroku::normalize::NewDirectoryCorrelator);
}
