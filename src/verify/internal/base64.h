// Standard base64 with padding (RFC 4648 section 4) of byte strings, for the JSON proofs.
//
//   std::string b = Base64Encode(raw);
//   std::optional<std::string> back = Base64Decode(b);
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiroku::verify::internal {

std::string Base64Encode(std::string_view bytes);
// nullopt unless `text` is canonical padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace kiroku::verify::internal
