#include "api/search_api.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <vector>

#include "engine/search.h"
#include "query/format_json.h"

namespace kiroku::api {
namespace {

// An ostream buffer that hands full 64 KiB pieces to the connection and fails (badbit) once
// the client has gone, so the search stops.
class WriterBuf final : public std::streambuf {
 public:
  explicit WriterBuf(const StreamWriter& write) : write_(write), buf_(1 << 16) {
    setp(buf_.data(), buf_.data() + buf_.size());
  }
  ~WriterBuf() override { Drain(); }

 protected:
  int_type overflow(int_type ch) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return Drain() ? 0 : -1; }

 private:
  bool Drain() {
    if (!ok_) return false;
    size_t n = static_cast<size_t>(pptr() - pbase());
    if (n > 0) ok_ = write_(std::string_view(pbase(), n));
    setp(buf_.data(), buf_.data() + buf_.size());
    return ok_;
  }

  const StreamWriter& write_;
  std::vector<char> buf_;
  bool ok_ = true;
};

HttpStreamResponse Error(int status, const std::string& message) {
  std::string body = "{\"error\":";
  query::AppendJsonString(message, &body);
  body.append("}\n");
  return {status, "application/json", body, nullptr};
}

std::string_view ContentType(query::OutputFormat f) {
  switch (f) {
    case query::OutputFormat::kJson:
      return "application/x-ndjson";
    case query::OutputFormat::kCsv:
      return "text/csv; charset=utf-8";
    case query::OutputFormat::kTable:
      break;
  }
  return "text/plain; charset=utf-8";
}

}  // namespace

HttpStreamResponse HandleSearch(const HttpRequest& req, const std::string& data_dir, Fs& fs,
                                const Clock& clock) {
  auto param = [&](const char* k) {
    auto it = req.params.find(k);
    return it == req.params.end() ? std::string() : it->second;
  };
  engine::SearchSpec spec;
  query::SearchRequest& sr = spec.request;
  sr.data_dir = data_dir;
  sr.query = param("q");
  sr.since = param("since");
  sr.until = param("until");
  std::string format = param("format").empty() ? "json" : param("format");
  std::optional<query::OutputFormat> f = query::OutputFormatFromName(format);
  if (!f) return Error(400, "format: expected table, json or csv");
  sr.format = *f;
  std::string count = param("count");
  if (!count.empty() && count != "true" && count != "false" && count != "1" && count != "0") {
    return Error(400, "count: expected true or false");
  }
  sr.count = count == "true" || count == "1";
  if (std::string limit = param("limit"); !limit.empty()) {
    uint64_t n = 0;
    for (char c : limit) {
      if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10) {
        return Error(400, "limit: expected a whole number");
      }
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    sr.limit = n;
  }
  spec.stats = param("stats");
  spec.fields = param("fields");
  if (std::string time = param("time"); !time.empty()) {
    std::optional<engine::TimeMode> mode = engine::TimeModeFromName(time);
    if (!mode) return Error(400, "time: expected device, received or corrected");
    spec.time = *mode;
  }

  StatusOr<engine::PreparedSearch> prepared = engine::PreparedSearch::Prepare(spec, fs, clock);
  if (!prepared.ok()) {
    int code = prepared.status().code() == Status::Code::kInvalidArgument ? 400 : 500;
    return Error(code, prepared.status().message());
  }
  auto search = std::make_shared<engine::PreparedSearch>(std::move(*prepared));
  HttpStreamResponse res;
  res.content_type = ContentType(sr.format);
  res.stream = [search](const StreamWriter& write) {
    WriterBuf buf(write);
    std::ostream out(&buf);
    std::ostringstream err;
    Status s = search->Execute(out, err);
    out.flush();
    // Warnings (damage stepped over, a limit note) go to the server's log: the body is the
    // same bytes as the CLI's stdout.
    if (!s.ok()) spdlog::warn("/api/search: {}", s.message());
    std::string e = err.str();
    if (e.find("warning") != std::string::npos) spdlog::warn("/api/search: {}", e);
  };
  return res;
}

void RegisterSearchApi(HttpServer& http, const std::string& data_dir) {
  http.GetStream("/api/search", [data_dir](const HttpRequest& req) {
    return HandleSearch(req, data_dir, PosixFs::Default(), RealClock::Instance());
  });
}

}  // namespace kiroku::api
