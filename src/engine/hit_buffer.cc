#include "engine/hit_buffer.h"

#include <iterator>

namespace kiroku::engine {

void HitBuffer::Push(int64_t time_ns, SeqNo seq, std::string_view payload, std::string_view extra) {
  Key key{time_ns, seq.value};
  if (keep_ != 0 && entries_.size() >= keep_) {
    auto last = std::prev(entries_.end());
    if (!(key < last->first)) return;  // later than every entry worth keeping
    bytes_ -= last->second.data.size();
    entries_.erase(last);
  }
  Held held;
  held.data.reserve(payload.size() + extra.size());
  held.data.append(payload).append(extra);
  held.payload_size = static_cast<uint32_t>(payload.size());
  bytes_ += held.data.size();
  entries_.insert_or_assign(key, std::move(held));
}

bool HitBuffer::EmitBefore(int64_t bound, const std::function<bool(const Entry&)>& fn) {
  while (!entries_.empty()) {
    auto it = entries_.begin();
    if (it->first.first >= bound && bound != INT64_MAX) return true;
    std::string_view data = it->second.data;
    Entry e{it->first.first, SeqNo{it->first.second}, data.substr(0, it->second.payload_size),
            data.substr(it->second.payload_size)};
    bool more = fn(e);
    bytes_ -= it->second.data.size();
    entries_.erase(it);
    if (!more) return false;
  }
  return true;
}

}  // namespace kiroku::engine
