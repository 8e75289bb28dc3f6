#include "normalize/mail/mail.h"

namespace kiroku::normalize {

bool NormalizeMail(const Input& in, const Config& config, Event* out) {
  if (!in.app.empty()) {
    switch (in.app[0]) {
      case 'p':
        return NormalizePostfix(in, config, out);
      case 's':
        return NormalizeSendmail(in, config, out);
      case 'e':
        return NormalizeExim(in, config, out);
      default:
        return false;
    }
  }
  return NormalizeExim(in, config, out);
}

}  // namespace kiroku::normalize
