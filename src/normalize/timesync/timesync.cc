#include "normalize/timesync/timesync.h"

namespace kiroku::normalize {

bool NormalizeTimesync(const Input& in, const Config& config, Event* out) {
  if (in.app.empty()) {
    return !in.message.empty() && in.message[0] == '%' && NormalizeCiscoNtp(in, config, out);
  }
  switch (in.app[0]) {
    case 'c':
      return NormalizeChrony(in, config, out);
    case 'n':
      return NormalizeNtpd(in, config, out);
    case 's':
      return NormalizeTimesyncd(in, config, out);
    default:
      return false;
  }
}

}  // namespace kiroku::normalize
