// Framer: splits a syslog byte stream (TCP, TLS) into messages per RFC 6587.
//
// The framing method is detected once per connection from its first byte: a digit means octet
// counting ("LEN SP MSG", the only method RFC 5425 allows over TLS), anything else means
// non-transparent framing, where LF ends a frame (NUL too, and a CR before the LF is dropped, as
// rsyslog and syslog-ng senders expect). Detecting per connection rather than per frame is what
// keeps a sender from forging a second record: an LF inside an octet-counted frame stays inside
// that frame, and a line starting with digits in a line-framed stream stays a line.
//
// A frame longer than max_frame is cut to max_frame bytes and flagged truncated; the rest of it
// is discarded as it arrives and counted in original_length. A broken octet-count header (not
// digits, more than 10 digits, a leading zero) is a framing error: the connection falls back to
// line framing for good and the bytes are kept in the next frame, flagged.
//
//   Framer f(64 * 1024);
//   f.Feed(bytes, [&](const Framer::Frame& frame) { ... });
//   f.Finish([&](const Framer::Frame& frame) { ... });   // at EOF: the partial frame, if any
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiroku::ingest {

class Framer {
 public:
  enum class Mode : uint8_t { kDetect, kOctetCounting, kLine };

  struct Frame {
    std::string_view bytes;    // valid only during the callback
    uint64_t original_length;  // bytes the sender meant for this frame
    bool truncated;
    bool framing_error;  // this frame was affected by a broken octet-count header
  };

  explicit Framer(size_t max_frame) : max_frame_(max_frame) {}
  Framer(const Framer&) = delete;
  Framer& operator=(const Framer&) = delete;

  // Consumes `data`, calling emit(const Frame&) for every complete frame.
  template <typename Emit>
  void Feed(std::string_view data, Emit&& emit);
  // The connection ended: emits what is pending (a last line without LF, or a short octet-counted
  // frame, flagged truncated). Leaves the framer ready for a new connection.
  template <typename Emit>
  void Finish(Emit&& emit);

  Mode mode() const { return mode_; }
  uint64_t framing_errors() const { return framing_errors_; }
  // Bytes currently buffered for an incomplete frame.
  size_t buffered() const { return buf_.size(); }

 private:
  static constexpr int kMaxCountDigits = 10;
  enum class OctetState : uint8_t { kHeader, kBody };

  // Appends to the pending frame, keeping at most max_frame_ bytes.
  void Keep(std::string_view part) {
    size_t room = max_frame_ > buf_.size() ? max_frame_ - buf_.size() : 0;
    buf_.append(part.data(), part.size() < room ? part.size() : room);
    pending_len_ += part.size();
  }
  template <typename Emit>
  void EmitPending(Emit& emit) {
    Frame f{buf_, pending_len_, pending_len_ > buf_.size(), pending_error_};
    emit(static_cast<const Frame&>(f));
    buf_.clear();
    pending_len_ = 0;
    pending_error_ = false;
  }
  template <typename Emit>
  size_t FeedLine(std::string_view data, Emit& emit);
  template <typename Emit>
  size_t FeedOctet(std::string_view data, Emit& emit);
  // The header bytes so far turn out not to be an octet count: switch to line framing for good.
  void FallBackToLines();

  size_t max_frame_;
  Mode mode_ = Mode::kDetect;
  OctetState octet_state_ = OctetState::kHeader;
  uint64_t count_ = 0;      // announced length of the current octet-counted frame
  uint64_t remaining_ = 0;  // body bytes still to come
  int digits_ = 0;
  std::string header_;        // header digits seen so far (kept for a fallback)
  std::string buf_;           // pending frame (at most max_frame_ bytes)
  uint64_t pending_len_ = 0;  // bytes belonging to the pending frame, kept or not
  bool pending_error_ = false;
  uint64_t framing_errors_ = 0;
};

}  // namespace kiroku::ingest

#include "ingest/internal/framer_impl.h"
