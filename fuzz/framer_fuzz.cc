// Fuzzes the RFC 6587 framer: arbitrary bytes, fed in arbitrary pieces, must frame without
// crashing, keep every frame within max_frame, and account every byte of line-framed input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/framer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t max_frame = 1 + data[0] % 64;
  size_t chunk = 1 + data[1] % 17;
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  kiroku::ingest::Framer framer(max_frame);
  auto check = [&](const kiroku::ingest::Framer::Frame& f) {
    if (f.bytes.size() > max_frame) std::abort();
    if (f.truncated != (f.original_length > f.bytes.size())) std::abort();
  };
  for (size_t i = 0; i < input.size(); i += chunk) framer.Feed(input.substr(i, chunk), check);
  framer.Finish(check);
  if (framer.buffered() != 0) std::abort();
  return 0;
}
