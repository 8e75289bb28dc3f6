// Splits a request target as proxies and web servers log it into the url.* fields: an absolute
// URL ("http://host:8080/a/b?q"), a CONNECT authority ("host:443") or an origin-form path
// ("/a/b?q"). Used by every proxy format so that all of them cut URLs the same way.
//
//   UrlParts u = SplitUrl("http://www.example.com:8080/index.html?x=1");
//   // u.absolute, u.host "www.example.com", u.port "8080", u.path "/index.html"
#pragma once

#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

struct UrlParts {
  bool absolute = false;   // scheme://authority...
  bool authority = false;  // host:port only (CONNECT)
  std::string_view host;   // without brackets or user info
  std::string_view port;   // digits, or empty
  std::string_view path;   // without query and fragment; empty for none
};

// False when `target` is none of the three forms (e.g. contains blanks or is empty).
bool SplitUrl(std::string_view target, UrlParts* out);

// Adds url.full (absolute and authority forms), url.domain, url.path and destination.port (an
// explicit port) for `target`; returns the parts. Returns false and adds nothing when
// SplitUrl fails.
bool AddUrl(std::string_view target, Event* out, UrlParts* parts = nullptr);

}  // namespace kiroku::normalize::internal
