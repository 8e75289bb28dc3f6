#include "normalize/antivirus/antivirus.h"

namespace kiroku::normalize {

bool NormalizeAntivirus(const Input& in, const Config& config, Event* out) {
  if (!in.app.empty()) {
    // Cheapest test first: every ClamAV tag starts with "clam" or is "freshclam".
    if (in.app[0] == 'c') return NormalizeClamav(in, config, out);
    if (in.app[0] == 'f') return NormalizeFreshclam(in, config, out);
    return false;
  }
  return NormalizeClamav(in, config, out) || NormalizeFreshclam(in, config, out);
}

}  // namespace kiroku::normalize
