// HttpServer: the operations endpoints (/healthz, /metrics) and, as handlers are registered,
// the HTTP API. Runs cpp-httplib's thread pool beside the ingest threads, never on them.
//
//   HttpServer http({.address = "127.0.0.1:8514"});
//   http.Get("/metrics", [&](const HttpRequest&) { return HttpResponse{200, "text/plain", text};
//   });
//   http.GetStream("/api/search", [&](const HttpRequest& r) { ... .stream = producer ... });
//   Status s = http.Start();
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiroku::api {

struct HttpRequest {
  std::string path;
  std::map<std::string, std::string> params;  // query string
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// A response produced while it is sent (HTTP/1.1 chunked): `stream` is called once and writes
// the body piece by piece; `write` returns false once the client has gone, and the producer
// should then stop. Without `stream` the response is `body`, as HttpResponse.
using StreamWriter = std::function<bool(std::string_view data)>;
struct HttpStreamResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::function<void(const StreamWriter& write)> stream;
};

struct HttpServerOptions {
  std::string address;  // host:port; port 0 picks one
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // REQUIRES: called before Start().
  void Get(const std::string& path, Handler handler);
  void Post(const std::string& path, Handler handler);
  using StreamHandler = std::function<HttpStreamResponse(const HttpRequest&)>;
  void GetStream(const std::string& path, StreamHandler handler);

  Status Start();
  std::string bound() const { return bound_; }
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  HttpServerOptions options_;
  std::string bound_;
};

}  // namespace kiroku::api
