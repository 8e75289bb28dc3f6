#include "syslog/internal/pri.h"

#include "syslog/internal/scan.h"

namespace kiroku::syslog::internal {

int ParsePri(std::string_view s, size_t* pos) {
  if (s.empty() || s[0] != '<') {
    return -1;
  }
  int value = 0;
  size_t p = 1;
  while (p < s.size() && p <= 3 && IsDigit(s[p])) {
    value = value * 10 + (s[p] - '0');
    ++p;
  }
  const size_t digits = p - 1;
  if (digits == 0 || !At(s, p, '>')) {
    return -1;
  }
  if (digits > 1 && s[1] == '0') {
    return -1;
  }
  if (value > 191) {
    return -1;
  }
  *pos = p + 1;
  return value;
}

}  // namespace kiroku::syslog::internal
