#include "normalize/windows/windows.h"

namespace kiroku::normalize {

bool NormalizeWindows(const Input& in, const Config& config, Event* out) {
  return NormalizeSnare(in, config, out) || NormalizeNxlogJson(in, config, out);
}

}  // namespace kiroku::normalize
