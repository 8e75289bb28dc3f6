// libFuzzer target for the mail normalisers (Postfix, Sendmail, Exim) and the queue-id correlator
// (fuzz/normalize_fuzz.h says what it checks).
//
//   scripts/build.sh fuzz && build-fuzz/fuzz/normalize_mail_fuzz -max_total_time=60 \
//       -max_len=4096 fuzz/corpus/normalize_mail_fuzz
#include "fuzz/normalize_fuzz.h"
#include "normalize/mail/mail.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return kiroku::fuzz::FuzzNormalizer(data, size, &kiroku::normalize::NormalizeMail,
                                      &kiroku::normalize::NewMailCorrelator);
}
