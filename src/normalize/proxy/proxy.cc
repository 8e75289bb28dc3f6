#include "normalize/proxy/proxy.h"

#include "normalize/proxy/w3c_correlator.h"

namespace kiroku::normalize {

bool NormalizeProxy(const Input& in, const Config& config, Event* out) {
  std::string_view m = in.message;
  // Squid and W3C data lines start with a digit; CLF with a client address or name.
  if (m.empty()) return false;
  if (m.front() >= '0' && m.front() <= '9') {
    if (NormalizeSquid(in, config, out)) return true;
    if (NormalizeW3c(in, config, out)) return true;
  }
  return NormalizeClf(in, config, out);
}

std::unique_ptr<Correlator> NewProxyCorrelator() { return NewW3cCorrelator(); }

}  // namespace kiroku::normalize
