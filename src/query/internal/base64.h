// Standard base64 (RFC 4648 §4, with padding), for raw bytes in JSON output. The query library
// does not link OpenSSL, and twenty lines are cheaper than a dependency for it.
#pragma once

#include <string>
#include <string_view>

namespace kiroku::query::internal {

void AppendBase64(std::string_view bytes, std::string* out);

}  // namespace kiroku::query::internal
