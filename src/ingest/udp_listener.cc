#include "ingest/udp_listener.h"

#include <linux/sock_diag.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <asio.hpp>
#include <cstring>
#include <vector>

#include "ingest/internal/endpoint.h"

namespace kiroku::ingest {

using asio::ip::udp;

namespace {
constexpr int kBatch = 32;          // datagrams per recvmmsg
constexpr int kBatchesPerTurn = 8;  // then let other sessions run
}  // namespace

class UdpListener::Impl : public std::enable_shared_from_this<UdpListener::Impl> {
 public:
  Impl(asio::io_context& io, IngestContext& ctx, UdpListenerOptions options)
      : ctx_(ctx), options_(std::move(options)), socket_(io) {
    kernel_drops_ = &ctx.metrics().GetCounter(
        "kiroku_udp_kernel_drops_total",
        "UDP datagrams the kernel dropped because the receive buffer was full (SO_RXQ_OVFL)");
  }

  Status Listen();
  void Wait();
  void ReadAll();
  void NoteKernelDrops(uint32_t total);
  void SyncKernelDrops();
  void Stop() {
    stopped_ = true;
    asio::error_code ignored;
    socket_.close(ignored);
  }

  IngestContext& ctx_;
  UdpListenerOptions options_;
  udp::socket socket_;
  std::string bound_;
  bool stopped_ = false;
  Counter* kernel_drops_;
  uint32_t last_overflow_ = 0;
  size_t slot_size_ = 0;
  std::vector<char> buffers_;
  std::vector<mmsghdr> msgs_;
  std::vector<iovec> iovs_;
  std::vector<sockaddr_storage> addrs_;
  std::vector<char> controls_;
  store::RecordBatch batch_;
};

Status UdpListener::Impl::Listen() {
  auto ep = ResolveUdpEndpoint(options_.address);
  if (!ep.ok()) return Status::InvalidArgument("syslog-udp: " + ep.status().message());
  asio::error_code ec;
  socket_.open(ep->protocol(), ec);
  if (!ec) socket_.bind(*ep, ec);
  if (ec) {
    return Status::IoError("syslog-udp: cannot listen on " + options_.address + ": " +
                           ec.message());
  }
  int fd = socket_.native_handle();
  int size = options_.receive_buffer_bytes;
  // SO_RCVBUFFORCE passes net.core.rmem_max when we are privileged; otherwise take what we get.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  socket_.non_blocking(true, ec);
  bound_ = EndpointString(socket_.local_endpoint(ec));

  slot_size_ = ctx_.limits().udp_max_message;
  buffers_.resize(slot_size_ * kBatch);
  msgs_.resize(kBatch);
  iovs_.resize(kBatch);
  addrs_.resize(kBatch);
  controls_.resize(CMSG_SPACE(sizeof(uint32_t)) * kBatch);
  Wait();
  return Status::Ok();
}

void UdpListener::Impl::Wait() {
  socket_.async_wait(udp::socket::wait_read,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       if (ec || self->stopped_) return;
                       self->ReadAll();
                       self->Wait();
                     });
}

void UdpListener::Impl::ReadAll() {
  const size_t cmsg_space = CMSG_SPACE(sizeof(uint32_t));
  for (int turn = 0; turn < kBatchesPerTurn; ++turn) {
    for (int i = 0; i < kBatch; ++i) {
      iovs_[i] = {buffers_.data() + i * slot_size_, slot_size_};
      msghdr& h = msgs_[i].msg_hdr;
      h = {};
      h.msg_name = &addrs_[i];
      h.msg_namelen = sizeof(sockaddr_storage);
      h.msg_iov = &iovs_[i];
      h.msg_iovlen = 1;
      h.msg_control = controls_.data() + i * cmsg_space;
      h.msg_controllen = cmsg_space;
      msgs_[i].msg_len = 0;
    }
    // MSG_TRUNC makes msg_len the datagram's real length even when it did not fit.
    int n =
        recvmmsg(socket_.native_handle(), msgs_.data(), kBatch, MSG_DONTWAIT | MSG_TRUNC, nullptr);
    if (n <= 0) break;
    int64_t now = ctx_.clock().NowNs();
    for (int i = 0; i < n; ++i) {
      msghdr& h = msgs_[i].msg_hdr;
      for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          uint32_t overflow;
          std::memcpy(&overflow, CMSG_DATA(c), sizeof overflow);
          NoteKernelDrops(overflow);
        }
      }
      size_t real = msgs_[i].msg_len;
      size_t kept = real < slot_size_ ? real : slot_size_;
      PeerAddress peer;
      const auto* sa = reinterpret_cast<const sockaddr*>(&addrs_[i]);
      if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        peer =
            PeerFromAddress(asio::ip::address_v4(ntohl(in->sin_addr.s_addr)), ntohs(in->sin_port));
      } else if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        asio::ip::address_v6::bytes_type b;
        std::memcpy(b.data(), &in6->sin6_addr, 16);
        peer = PeerFromAddress(asio::ip::address_v6(b), ntohs(in6->sin6_port));
      }
      ctx_.AddFrame(batch_, Transport::kUdp, peer, now,
                    std::string_view(buffers_.data() + i * slot_size_, kept), real, real > kept,
                    false);
    }
    if (!ctx_.committer().TrySubmit(batch_)) {
      ctx_.CountDropped("queue_full", batch_.count());
      batch_.Clear();
    }
    if (n < kBatch) break;
  }
  SyncKernelDrops();
}

void UdpListener::Impl::NoteKernelDrops(uint32_t total) {
  // The kernel's counter only grows (and wraps at 2^32); count what is new.
  uint32_t delta = total - last_overflow_;
  if (delta != 0 && delta < (1u << 31)) {
    kernel_drops_->Add(delta);
    last_overflow_ = total;
  }
}

// SO_RXQ_OVFL reports drops only with the next datagram received, so drops at the end of a
// burst would stay unseen until traffic resumes. The same counter (sk_drops) is also readable at
// any time through SO_MEMINFO; read it after each drained burst.
void UdpListener::Impl::SyncKernelDrops() {
  uint32_t meminfo[SK_MEMINFO_VARS] = {};
  socklen_t len = sizeof meminfo;
  if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_MEMINFO, meminfo, &len) == 0 &&
      len > SK_MEMINFO_DROPS * sizeof(uint32_t)) {
    NoteKernelDrops(meminfo[SK_MEMINFO_DROPS]);
  }
}

UdpListener::UdpListener(asio::io_context& io, IngestContext& ctx, UdpListenerOptions options)
    : impl_(std::make_shared<Impl>(io, ctx, std::move(options))) {}
UdpListener::~UdpListener() = default;
Status UdpListener::Listen() { return impl_->Listen(); }
std::string UdpListener::bound() const { return impl_->bound_; }
void UdpListener::Stop() { impl_->Stop(); }

}  // namespace kiroku::ingest
