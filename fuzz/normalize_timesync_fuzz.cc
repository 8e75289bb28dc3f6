// libFuzzer target for the time-sync normalisers (chrony, ntpd/NTPsec, systemd-timesyncd, Cisco
// NTP) (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_timesync_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_timesync_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/timesync/timesync.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeTimesync);
}
