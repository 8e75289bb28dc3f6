#include "api/http_server.h"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <thread>

namespace kiroku::api {

struct HttpServer::Impl {
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

namespace {
httplib::Server::Handler Wrap(HttpServer::Handler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    HttpRequest r;
    r.path = req.path;
    r.body = req.body;
    for (const auto& [k, v] : req.params) r.params[k] = v;
    HttpResponse out = handler(r);
    res.status = out.status;
    res.set_content(out.body, out.content_type.c_str());
  };
}
HttpRequest Convert(const httplib::Request& req) {
  HttpRequest r;
  r.path = req.path;
  r.body = req.body;
  for (const auto& [k, v] : req.params) r.params[k] = v;
  return r;
}
}  // namespace

void HttpServer::GetStream(const std::string& path, StreamHandler handler) {
  impl_->server.Get(
      path, [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        HttpStreamResponse out = handler(Convert(req));
        res.status = out.status;
        if (!out.stream) {
          res.set_content(out.body, out.content_type.c_str());
          return;
        }
        res.set_chunked_content_provider(
            out.content_type, [stream = std::move(out.stream)](size_t, httplib::DataSink& sink) {
              stream([&sink](std::string_view data) {
                return data.empty() || sink.write(data.data(), data.size());
              });
              sink.done();
              return true;
            });
      });
}

void HttpServer::Get(const std::string& path, Handler handler) {
  impl_->server.Get(path, Wrap(std::move(handler)));
}

void HttpServer::Post(const std::string& path, Handler handler) {
  impl_->server.Post(path, Wrap(std::move(handler)));
}

Status HttpServer::Start() {
  const std::string& a = options_.address;
  size_t colon = a.rfind(':');
  if (colon == std::string::npos)
    return Status::InvalidArgument("http: address '" + a + "' is not host:port");
  std::string host = a.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  int port = 0;
  std::string p = a.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
    return Status::InvalidArgument("http: address '" + a + "' has no valid port");
  }
  impl_->server.set_keep_alive_max_count(100);
  int bound_port = port == 0 ? impl_->server.bind_to_any_port(host)
                             : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound_port < 0) return Status::IoError("http: cannot listen on " + a);
  bound_ = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(bound_port);
  impl_->thread = std::thread([this] {
    impl_->server.listen_after_bind();
    impl_->listen_returned = true;
  });
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!impl_->thread.joinable()) return;
  // cpp-httplib's stop() does nothing until listen_after_bind() has begun (is_running()): a
  // stop right after Start() (a SIGTERM as the server comes up) would leave the listener
  // running and this join waiting for ever. So wait for the listener to begin, or to have
  // returned on its own, then stop it.
  while (!impl_->listen_returned.load()) {
    if (impl_->server.is_running()) {
      impl_->server.stop();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->thread.join();
}

}  // namespace kiroku::api
