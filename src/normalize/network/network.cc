#include "normalize/network/network.h"

namespace kiroku::normalize {

bool NormalizeNetwork(const Input& in, const Config& config, Event* out) {
  // Each format's first check is a prefix or a short substring search, so order matters little;
  // the fixed prefixes go first, netfilter (a search for " OUT=") last.
  for (NormalizeFn fn : {&NormalizeAsa, &NormalizeFortigate, &NormalizeCef, &NormalizeLeef,
                         &NormalizePanos, &NormalizeNetfilter}) {
    if (fn(in, config, out)) return true;
  }
  return false;
}

std::unique_ptr<Correlator> NewNetworkCorrelator() { return NewAsaCorrelator(); }

}  // namespace kiroku::normalize
