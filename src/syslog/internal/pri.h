// The PRI part, "<" 1*3DIGIT ">", shared by every layout.
#pragma once

#include <cstddef>
#include <string_view>

namespace kiroku::syslog::internal {

// The PRI value 0..191 at the start of s, with *pos set past the '>'; -1 if there is no valid
// PRI. Leading zeros are refused ("<013>") except for "<0>", as RFC 5424 6.2.1 requires, so
// that one value has one spelling.
int ParsePri(std::string_view s, size_t* pos);

}  // namespace kiroku::syslog::internal
