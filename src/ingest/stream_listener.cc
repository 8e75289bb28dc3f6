#include "ingest/stream_listener.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <asio.hpp>
#include <asio/ssl.hpp>
#include <chrono>
#include <unordered_map>

#include "ingest/framer.h"
#include "ingest/internal/endpoint.h"
#include "ingest/internal/tls_context.h"

namespace kiroku::ingest {

using asio::ip::tcp;

namespace {
// One read buffer per io thread: plain TCP sessions read into it only when the socket is
// readable, so an idle connection costs no buffer (5,000 idle senders stay cheap).
thread_local char tl_read_buf[64 * 1024];
constexpr int kReadsPerTurn = 4;                   // then yield to other sessions
constexpr size_t kTlsReadBuf = size_t{16} * 1024;  // one TLS record
}  // namespace

class StreamListener::Impl : public std::enable_shared_from_this<StreamListener::Impl> {
 public:
  class Session;

  Impl(asio::io_context& io, IngestContext& ctx, StreamListenerOptions options)
      : io_(io), ctx_(ctx), options_(std::move(options)), acceptor_(io), retry_timer_(io) {}

  Status Listen();
  void Accept();
  void Stop();
  void Forget(Session* s) { sessions_.erase(s); }

  asio::io_context& io_;
  IngestContext& ctx_;
  StreamListenerOptions options_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::unique_ptr<asio::ssl::context> tls_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  bool stopped_ = false;
  std::string bound_;
};

class StreamListener::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& owner, tcp::socket socket)
      : owner_(owner),
        ctx_(owner.ctx_),
        transport_(owner.options_.transport),
        framer_(ctx_.limits().max_frame),
        timer_(owner.io_) {
    peer_ = PeerFromEndpoint(socket.remote_endpoint(ignored_));
    if (owner.tls_) {
      tls_ = std::make_unique<asio::ssl::stream<tcp::socket>>(std::move(socket), *owner.tls_);
      tls_buf_ = std::make_unique<char[]>(kTlsReadBuf);
    } else {
      tcp_ = std::make_unique<tcp::socket>(std::move(socket));
    }
  }
  ~Session() { ctx_.ReleaseConnection(transport_); }

  void Start() {
    Touch();
    ArmIdleTimer();
    Socket().set_option(asio::socket_base::keep_alive(true), ignored_);
    if (tcp_) {
      tcp_->non_blocking(true, ignored_);
      WaitReadable();
      return;
    }
    tls_->async_handshake(
        asio::ssl::stream_base::server,
        [self = shared_from_this()](const asio::error_code& ec) { self->OnHandshake(ec); });
  }

  // Server shutdown: submit what is complete, then close.
  void Shutdown() {
    if (closed_) return;
    framer_.Finish([this](const Framer::Frame& f) { AddFrame(f, ctx_.clock().NowNs()); });
    if (!batch_.empty()) {
      Status s = ctx_.committer().SubmitAndWait(batch_);
      if (!s.ok()) ctx_.CountDropped("shutdown", batch_.count());
    }
    Close();
  }

 private:
  tcp::socket& Socket() { return tcp_ ? *tcp_ : tls_->next_layer(); }

  void Touch() { last_activity_ = std::chrono::steady_clock::now(); }

  void ArmIdleTimer() {
    int64_t idle_ns = ctx_.limits().idle_timeout_ns;
    if (idle_ns <= 0 || closed_) return;
    auto deadline = last_activity_ + std::chrono::nanoseconds(idle_ns);
    timer_.expires_at(deadline);
    timer_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->closed_) return;
      auto idle_for = std::chrono::steady_clock::now() - self->last_activity_;
      if (idle_for >= std::chrono::nanoseconds(self->ctx_.limits().idle_timeout_ns)) {
        spdlog::info("{}: closing idle connection from {}", self->owner_.options_.name,
                     self->peer_.ToString());
        self->eof_ = true;
        self->Finish();
      } else {
        self->ArmIdleTimer();
      }
    });
  }

  void OnHandshake(const asio::error_code& ec) {
    if (ec) {
      ctx_.CountRejected("tls_handshake");
      spdlog::info("{}: TLS handshake with {} failed: {}", owner_.options_.name, peer_.ToString(),
                   ec.message());
      Close();
      return;
    }
    const TlsOptions& tls = *owner_.options_.tls;
    if (!tls.allowed_fingerprints.empty()) {
      std::string fp = PeerCertificateFingerprint(tls_->native_handle());
      if (!FingerprintAllowed(tls.allowed_fingerprints, fp)) {
        ctx_.CountRejected("tls_fingerprint");
        spdlog::warn("{}: client {} certificate fingerprint {} is not in the allowlist",
                     owner_.options_.name, peer_.ToString(), fp.empty() ? "(none)" : fp);
        Close();
        return;
      }
    }
    Touch();
    ReadTls();
  }

  void WaitReadable() {
    tcp_->async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       if (ec) {
                         if (ec != asio::error::operation_aborted) self->eof_ = true;
                         if (!self->closed_) self->Finish();
                         return;
                       }
                       self->ReadTcp();
                     });
  }

  void ReadTcp() {
    if (closed_) return;
    for (int i = 0; i < kReadsPerTurn; ++i) {
      asio::error_code ec;
      size_t n = tcp_->read_some(asio::buffer(tl_read_buf), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) break;
      if (ec) {  // EOF or reset
        eof_ = true;
        break;
      }
      OnBytes(std::string_view(tl_read_buf, n));
    }
    Touch();
    if (eof_) {
      Finish();
      return;
    }
    Submit([this] { WaitReadable(); });
  }

  void ReadTls() {
    tls_->async_read_some(asio::buffer(tls_buf_.get(), kTlsReadBuf),
                          [self = shared_from_this()](const asio::error_code& ec, size_t n) {
                            if (self->closed_) return;
                            if (n > 0) self->OnBytes(std::string_view(self->tls_buf_.get(), n));
                            self->Touch();
                            if (ec) {
                              self->eof_ = true;
                              self->Finish();
                              return;
                            }
                            self->Submit([s = self.get()] { s->ReadTls(); });
                          });
  }

  void OnBytes(std::string_view data) {
    int64_t now = ctx_.clock().NowNs();
    uint64_t errors_before = framer_.framing_errors();
    framer_.Feed(data, [&](const Framer::Frame& f) { AddFrame(f, now); });
    if (framer_.framing_errors() != errors_before) {
      ctx_.For(transport_).framing_errors->Add(framer_.framing_errors() - errors_before);
      spdlog::warn(
          "{}: invalid octet-count framing from {}; treating the rest of the connection "
          "as LF-framed",
          owner_.options_.name, peer_.ToString());
    }
  }

  void AddFrame(const Framer::Frame& f, int64_t now) {
    ctx_.AddFrame(batch_, transport_, peer_, now, f.bytes, f.original_length, f.truncated,
                  f.framing_error);
  }

  // Hands the batch to the committer, then runs `next`; when the queue is full, parks until
  // the committer has room (the socket is not read meanwhile).
  template <typename Next>
  void Submit(Next next) {
    if (batch_.empty() || ctx_.committer().TrySubmit(batch_)) {
      next();
      return;
    }
    // While parked no socket operation holds the session, so the waiter must own it.
    ctx_.committer().NotifyWhenSpace([self = shared_from_this(), &io = owner_.io_, next]() mutable {
      asio::post(io, [self, next]() mutable {
        if (!self->closed_) self->Submit(next);
      });
    });
  }

  // The peer is gone (or idle too long): keep the partial frame, submit, close.
  void Finish() {
    if (closed_ || finishing_) return;
    finishing_ = true;
    uint64_t errors_before = framer_.framing_errors();
    framer_.Finish([&](const Framer::Frame& f) { AddFrame(f, ctx_.clock().NowNs()); });
    ctx_.For(transport_).framing_errors->Add(framer_.framing_errors() - errors_before);
    Submit([this] { Close(); });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    Socket().close(ignored_);
    owner_.Forget(this);
  }

  static bool FingerprintAllowed(const std::vector<std::string>& allowed, const std::string& fp) {
    for (const auto& a : allowed) {
      if (NormalizeFingerprint(a) == fp) return true;
    }
    return false;
  }

  Impl& owner_;
  IngestContext& ctx_;
  Transport transport_;
  PeerAddress peer_;
  Framer framer_;
  store::RecordBatch batch_;
  std::unique_ptr<tcp::socket> tcp_;
  std::unique_ptr<asio::ssl::stream<tcp::socket>> tls_;
  std::unique_ptr<char[]> tls_buf_;
  asio::steady_timer timer_;
  std::chrono::steady_clock::time_point last_activity_;
  asio::error_code ignored_;
  bool eof_ = false;
  bool finishing_ = false;
  bool closed_ = false;
};

Status StreamListener::Impl::Listen() {
  if (options_.transport == Transport::kTls) {
    if (!options_.tls) return Status::InvalidArgument(options_.name + ": TLS options missing");
    auto ctx = CreateServerTlsContext(*options_.tls);
    if (!ctx.ok()) return ctx.status();
    tls_ = std::move(ctx.value());
  }
  auto ep = ResolveEndpoint(options_.address);
  if (!ep.ok()) return Status::InvalidArgument(options_.name + ": " + ep.status().message());
  asio::error_code ec;
  acceptor_.open(ep->protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(*ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError(options_.name + ": cannot listen on " + options_.address + ": " +
                           ec.message());
  }
  tcp::endpoint local = acceptor_.local_endpoint(ec);
  bound_ = EndpointString(local);
  Accept();
  return Status::Ok();
}

void StreamListener::Impl::Accept() {
  acceptor_.async_accept(
      [self = shared_from_this()](const asio::error_code& ec, tcp::socket socket) {
        if (self->stopped_) return;
        if (ec) {
          if (ec == asio::error::operation_aborted) return;
          // Out of file descriptors and the like: wait a little rather than spin.
          spdlog::warn("{}: accept failed: {}", self->options_.name, ec.message());
          self->retry_timer_.expires_after(std::chrono::milliseconds(100));
          self->retry_timer_.async_wait([self](const asio::error_code& e) {
            if (!e && !self->stopped_) self->Accept();
          });
          return;
        }
        if (!self->ctx_.TryAcquireConnection(self->options_.transport)) {
          asio::error_code ignored;
          socket.close(ignored);
        } else {
          auto session = std::make_shared<Session>(*self, std::move(socket));
          self->sessions_[session.get()] = session;
          session->Start();
        }
        self->Accept();
      });
}

void StreamListener::Impl::Stop() {
  stopped_ = true;
  asio::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
  std::vector<std::shared_ptr<Session>> live;
  for (auto& [p, w] : sessions_) {
    if (auto s = w.lock()) live.push_back(s);
  }
  for (auto& s : live) s->Shutdown();
  sessions_.clear();
}

StreamListener::StreamListener(asio::io_context& io, IngestContext& ctx,
                               StreamListenerOptions options)
    : impl_(std::make_shared<Impl>(io, ctx, std::move(options))) {}
StreamListener::~StreamListener() = default;
Status StreamListener::Listen() { return impl_->Listen(); }
std::string StreamListener::bound() const { return impl_->bound_; }
void StreamListener::Stop() { impl_->Stop(); }

}  // namespace kiroku::ingest
