// libFuzzer target for the database and file server normalisers (PostgreSQL, MySQL/MariaDB, Samba
// full_audit) (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_database_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_database_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/database/database.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeDatabase);
}
