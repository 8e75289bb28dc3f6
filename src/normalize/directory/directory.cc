#include "normalize/directory/directory.h"

namespace kiroku::normalize {

bool NormalizeDirectory(const Input& in, const Config& config, Event* out) {
  return NormalizeSlapdStats(in, config, out) || NormalizeSlapdAudit(in, config, out) ||
         NormalizeFreeRadius(in, config, out);
}

}  // namespace kiroku::normalize
