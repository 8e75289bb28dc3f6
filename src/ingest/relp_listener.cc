#include "ingest/relp_listener.h"

extern "C" {
#include <librelp.h>
}
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "ingest/internal/endpoint.h"

namespace kiroku::ingest {

class RelpListener::Impl {
 public:
  Impl(IngestContext& ctx, RelpListenerOptions options) : ctx_(ctx), options_(std::move(options)) {}
  ~Impl() { Stop(); }

  Status Start();
  void Stop();

  static relpRetVal OnMessage(void* usr, unsigned char* hostname, unsigned char* ip,
                              unsigned char* msg, size_t len);
  static void OnGenericError(char* objinfo, char* errmsg, relpRetVal code);
  static void OnError(void* usr, char* objinfo, char* errmsg, relpRetVal code);

  IngestContext& ctx_;
  RelpListenerOptions options_;
  relpEngine_t* engine_ = nullptr;
  std::thread thread_;
  std::string bound_;
  int shutdown_immediately_ = 0;
  // librelp truncates an oversize frame and tells only its error callback, just before handing
  // us the frame on the same thread; remember the announced size for that next frame.
  uint64_t pending_oversize_ = 0;
  std::atomic<bool> stopping_{false};
};

namespace {
// librelp's error callback has no user pointer; there is one RELP listener per process.
void* g_instance = nullptr;

void WakeSignal(int) {}

// librelp 1.11 calls its debug printer unconditionally and has no default for it.
void NoDebugPrint(char*, ...) {}

// librelp cannot bind port 0 and report the port it got, so an ephemeral port is chosen here.
StatusOr<uint16_t> PickFreePort(const std::string& host) {
  asio::io_context io;
  asio::error_code ec;
  asio::ip::tcp::acceptor a(io);
  auto ep = ResolveEndpoint(host.find(':') != std::string::npos ? "[" + host + "]:0" : host + ":0");
  if (!ep.ok()) return ep.status();
  a.open(ep->protocol(), ec);
  if (!ec) a.bind(*ep, ec);
  if (ec) return Status::IoError("relp: cannot find a free port: " + ec.message());
  return a.local_endpoint().port();
}
}  // namespace

relpRetVal RelpListener::Impl::OnMessage(void* usr, unsigned char* hostname, unsigned char* ip,
                                         unsigned char* msg, size_t len) {
  auto* self = static_cast<Impl*>(usr);
  PeerAddress peer;
  asio::error_code ec;
  auto addr = asio::ip::make_address(reinterpret_cast<const char*>(ip), ec);
  if (!ec) peer = PeerFromAddress(addr, 0);  // librelp 1.11 does not tell the peer's port
  uint64_t original = len;
  bool truncated = false;
  if (self->pending_oversize_ > len) {
    original = self->pending_oversize_;
    truncated = true;
  }
  self->pending_oversize_ = 0;
  store::RecordBatch batch;
  self->ctx_.AddFrame(batch, Transport::kRelp, peer, self->ctx_.clock().NowNs(),
                      std::string_view(reinterpret_cast<const char*>(msg), len), original,
                      truncated, false);
  Status s = self->ctx_.committer().SubmitAndWait(batch);
  if (!s.ok()) {
    // librelp would acknowledge whatever we return, so do not return: the record is not durable.
    // This happens only while the server shuts down with the journal unwritable; the process
    // exits without this thread.
    spdlog::error("relp: message from {} not durable ({}); withholding the acknowledgement",
                  reinterpret_cast<const char*>(ip), s.ToString());
    std::mutex m;
    std::unique_lock lock(m);
    std::condition_variable().wait(lock, [] { return false; });
  }
  return RELP_RET_OK;
}

void RelpListener::Impl::OnGenericError(char* objinfo, char* errmsg, relpRetVal code) {
  if (g_instance && code == RELP_RET_DATA_TOO_LONG) {
    // "frame too long, size %zu, configured max %zu - frame will be truncated ..."
    const char* p = std::strstr(errmsg, "size ");
    if (p) static_cast<Impl*>(g_instance)->pending_oversize_ = std::strtoull(p + 5, nullptr, 10);
    return;
  }
  spdlog::warn("relp: {}: {}", objinfo ? objinfo : "", errmsg ? errmsg : "");
}

void RelpListener::Impl::OnError(void*, char* objinfo, char* errmsg, relpRetVal) {
  spdlog::info("relp: {}: {}", objinfo ? objinfo : "", errmsg ? errmsg : "");
}

Status RelpListener::Impl::Start() {
  std::string host;
  uint16_t port = 0;
  KIROKU_RETURN_IF_ERROR(SplitHostPort(options_.address, &host, &port));
  if (port == 0) {
    auto p = PickFreePort(host);
    if (!p.ok()) return p.status();
    port = *p;
  }
  g_instance = this;
  if (relpEngineConstruct(&engine_) != RELP_RET_OK) return Status::IoError("relp: no engine");
  relpEngineSetDbgprint(engine_, &NoDebugPrint);
  relpEngineSetDnsLookupMode(engine_, 0);  // a reverse lookup per session would stall the loop
  relpEngineSetShutdownImmdtPtr(engine_, &shutdown_immediately_);
  relpEngineSetSyslogRcv2(engine_, &Impl::OnMessage);
  relpEngineSetOnGenericErr(engine_, &Impl::OnGenericError);
  relpEngineSetOnErr(engine_, &Impl::OnError);
  relpEngineSetEnableCmd(engine_, reinterpret_cast<unsigned char*>(const_cast<char*>("syslog")),
                         eRelpCmdState_Required);
  relpSrv_t* srv = nullptr;
  if (relpEngineListnerConstruct(engine_, &srv) != RELP_RET_OK) {
    return Status::IoError("relp: cannot create listener");
  }
  std::string port_str = std::to_string(port);
  relpSrvSetLstnPort(srv, reinterpret_cast<unsigned char*>(port_str.data()));
  relpSrvSetLstnAddr(srv, reinterpret_cast<unsigned char*>(host.data()));
  relpSrvSetUsrPtr(srv, this);
  relpSrvSetMaxDataSize(srv, ctx_.limits().max_frame);
  relpSrvSetOversizeMode(srv, RELP_OVERSIZE_TRUNCATE);
  if (relpEngineListnerConstructFinalize(engine_, srv) != RELP_RET_OK) {
    return Status::IoError("relp: cannot listen on " + options_.address);
  }
  bound_ = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port_str;

  struct sigaction sa {};
  sa.sa_handler = WakeSignal;  // no SA_RESTART: interrupts librelp's epoll_wait on Stop()
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, nullptr);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "relp");
    relpEngineRun(engine_);
  });
  return Status::Ok();
}

void RelpListener::Impl::Stop() {
  if (!engine_ || stopping_.exchange(true)) return;
  relpEngineSetStop(engine_);
  if (thread_.joinable()) {
    pthread_kill(thread_.native_handle(), SIGUSR2);
    thread_.join();
  }
  relpEngineDestruct(&engine_);
  engine_ = nullptr;
  g_instance = nullptr;
}

RelpListener::RelpListener(IngestContext& ctx, RelpListenerOptions options)
    : impl_(std::make_unique<Impl>(ctx, std::move(options))) {}
RelpListener::~RelpListener() = default;
Status RelpListener::Start() { return impl_->Start(); }
std::string RelpListener::bound() const { return impl_->bound_; }
void RelpListener::Stop() { impl_->Stop(); }

}  // namespace kiroku::ingest
