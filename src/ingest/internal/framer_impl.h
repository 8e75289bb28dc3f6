// Template bodies of Framer (ingest/framer.h), kept out of the public header.
#pragma once

#include <cstring>

namespace kiroku::ingest {

template <typename Emit>
void Framer::Feed(std::string_view data, Emit&& emit) {
  while (!data.empty()) {
    if (mode_ == Mode::kDetect) {
      unsigned char c = static_cast<unsigned char>(data[0]);
      mode_ = (c >= '0' && c <= '9') ? Mode::kOctetCounting : Mode::kLine;
    }
    size_t used = mode_ == Mode::kLine ? FeedLine(data, emit) : FeedOctet(data, emit);
    data.remove_prefix(used);
  }
}

template <typename Emit>
size_t Framer::FeedLine(std::string_view data, Emit& emit) {
  size_t pos = 0;
  while (pos < data.size()) {
    // LF and NUL both end a frame; find whichever comes first.
    const char* start = data.data() + pos;
    size_t n = data.size() - pos;
    const void* lf = std::memchr(start, '\n', n);
    size_t lf_at = lf ? static_cast<const char*>(lf) - start : n;
    const void* nul = std::memchr(start, '\0', lf_at);
    size_t end = nul ? static_cast<const char*>(nul) - start : lf_at;
    if (end == n) {  // no delimiter yet: keep the partial line
      Keep(data.substr(pos));
      return data.size();
    }
    std::string_view line = data.substr(pos, end);
    pos += end + 1;
    if (buf_.empty() && pending_len_ == 0) {
      // Fast path: the whole line is in this read; emit it without copying.
      if (!line.empty() && line.back() == '\r' && data[pos - 1] == '\n') line.remove_suffix(1);
      if (line.empty()) continue;  // blank lines carry no message
      uint64_t len = line.size();
      bool cut = len > max_frame_;
      if (cut) line = line.substr(0, max_frame_);
      Frame f{line, len, cut, pending_error_};
      emit(static_cast<const Frame&>(f));
      pending_error_ = false;
      continue;
    }
    // The CR of a CRLF may sit at the end of this part or, split across reads, of the buffer.
    bool ended_by_lf = data[pos - 1] == '\n';
    if (ended_by_lf && !line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    } else if (ended_by_lf && line.empty() && pending_len_ == buf_.size() && !buf_.empty() &&
               buf_.back() == '\r') {
      buf_.pop_back();
      --pending_len_;
    }
    Keep(line);
    if (pending_len_ == 0) continue;
    EmitPending(emit);
  }
  return data.size();
}

template <typename Emit>
size_t Framer::FeedOctet(std::string_view data, Emit& emit) {
  size_t pos = 0;
  while (pos < data.size()) {
    if (octet_state_ == OctetState::kHeader) {
      char c = data[pos];
      if (c >= '0' && c <= '9') {
        if ((digits_ == 0 && c == '0') || digits_ == kMaxCountDigits) {
          FallBackToLines();
          return pos;
        }
        header_.push_back(c);
        count_ = count_ * 10 + static_cast<uint64_t>(c - '0');
        ++digits_;
        ++pos;
        continue;
      }
      if (c == ' ' && digits_ > 0) {
        ++pos;
        remaining_ = count_;
        pending_len_ = 0;
        octet_state_ = OctetState::kBody;
        header_.clear();
        digits_ = 0;
        continue;
      }
      FallBackToLines();
      return pos;
    }
    // Body.
    size_t take =
        remaining_ < data.size() - pos ? static_cast<size_t>(remaining_) : data.size() - pos;
    std::string_view part = data.substr(pos, take);
    pos += take;
    remaining_ -= take;
    if (remaining_ == 0 && buf_.empty() && pending_len_ == 0) {
      // Fast path: the whole frame is in this read.
      uint64_t len = part.size();
      bool cut = len > max_frame_;
      if (cut) part = part.substr(0, max_frame_);
      Frame f{part, len, cut, false};
      emit(static_cast<const Frame&>(f));
    } else {
      Keep(part);
      if (remaining_ == 0) EmitPending(emit);
    }
    if (remaining_ == 0) {
      octet_state_ = OctetState::kHeader;
      count_ = 0;
    }
  }
  return data.size();
}

inline void Framer::FallBackToLines() {
  ++framing_errors_;
  mode_ = Mode::kLine;
  // The digits read so far start the line that follows; the frame is flagged.
  std::string header = std::move(header_);
  header_.clear();
  digits_ = 0;
  count_ = 0;
  octet_state_ = OctetState::kHeader;
  pending_error_ = true;
  Keep(header);
}

template <typename Emit>
void Framer::Finish(Emit&& emit) {
  if (mode_ == Mode::kOctetCounting && octet_state_ == OctetState::kBody) {
    // The sender announced more than it sent: keep what came, flagged truncated.
    Frame f{buf_, count_, true, false};
    if (!buf_.empty()) emit(static_cast<const Frame&>(f));
  } else if (mode_ == Mode::kOctetCounting && digits_ > 0) {
    ++framing_errors_;
    std::string_view digits(header_);
    bool cut = digits.size() > max_frame_;
    Frame f{cut ? digits.substr(0, max_frame_) : digits, digits.size(), cut, true};
    emit(static_cast<const Frame&>(f));
  } else if (pending_len_ > 0) {
    EmitPending(emit);
  }
  buf_.clear();
  header_.clear();
  pending_len_ = 0;
  pending_error_ = false;
  digits_ = 0;
  count_ = 0;
  remaining_ = 0;
  octet_state_ = OctetState::kHeader;
  mode_ = Mode::kDetect;
}

}  // namespace kiroku::ingest
