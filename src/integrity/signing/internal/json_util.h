// Helpers for reading the JSON forms of anchors and heads strictly: every field must be
// present with the right type, or the whole document is kCorruption with the field named.
//
//   JsonReader r(doc, "anchor");
//   uint64_t n = r.U64("epochs");
//   Hash root = r.HashHex("key_tree_root");
//   if (!r.ok()) return r.status();
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/internal/hex.h"

namespace kiroku::integrity::signing::internal {

class JsonReader {
 public:
  JsonReader(const nlohmann::json& doc, std::string what) : doc_(doc), what_(std::move(what)) {
    if (!doc_.is_object()) Fail("", "is not a JSON object");
  }

  bool Has(const char* key) const { return doc_.is_object() && doc_.contains(key); }
  const nlohmann::json* Get(const char* key) {
    if (!ok()) return nullptr;
    auto it = doc_.find(key);
    if (it == doc_.end()) {
      Fail(key, "is missing");
      return nullptr;
    }
    return &*it;
  }
  uint64_t U64(const char* key) {
    const nlohmann::json* v = Get(key);
    if (v == nullptr) return 0;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0)) {
      Fail(key, "is not an unsigned integer");
      return 0;
    }
    return v->get<uint64_t>();
  }
  int64_t I64(const char* key) {
    const nlohmann::json* v = Get(key);
    if (v == nullptr) return 0;
    if (!v->is_number_integer() ||
        (v->is_number_unsigned() &&
         v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
      Fail(key, "is not an integer");
      return 0;
    }
    return v->get<int64_t>();
  }
  bool Bool(const char* key) {
    const nlohmann::json* v = Get(key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      Fail(key, "is not a boolean");
      return false;
    }
    return v->get<bool>();
  }
  std::string String(const char* key) {
    const nlohmann::json* v = Get(key);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      Fail(key, "is not a string");
      return {};
    }
    return v->get<std::string>();
  }
  // Hex of exactly `size` bytes.
  std::string Bytes(const char* key, size_t size) {
    std::string hex = String(key);
    if (!ok()) return {};
    auto raw = FromHex(hex);
    if (!raw || raw->size() != size) {
      Fail(key, "is not " + std::to_string(size) + " bytes of hex");
      return {};
    }
    return *raw;
  }
  Hash HashHex(const char* key) {
    std::string raw = Bytes(key, Hash::kSize);
    return ok() ? Hash::FromBytes(raw) : Hash{};
  }
  std::vector<Hash> HashList(const char* key) {
    const nlohmann::json* v = Get(key);
    std::vector<Hash> out;
    if (v == nullptr) return out;
    if (!v->is_array() || v->size() > 64) {
      Fail(key, "is not an array of at most 64 hashes");
      return out;
    }
    for (const auto& item : *v) {
      std::optional<Hash> h =
          item.is_string() ? Hash::FromHex(item.get<std::string>()) : std::nullopt;
      if (!h) {
        Fail(key, "holds an element that is not a 64-digit hex hash");
        return {};
      }
      out.push_back(*h);
    }
    return out;
  }

  void Fail(const std::string& key, const std::string& why) {
    if (!ok()) return;
    status_ = Status::Corruption(what_ + (key.empty() ? "" : " field \"" + key + "\"") + " " + why);
  }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  const nlohmann::json& doc_;
  std::string what_;
  Status status_;
};

// Parses text as JSON without exceptions escaping.
inline StatusOr<nlohmann::json> ParseJson(std::string_view text, const std::string& what) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::Corruption(what + " is not valid JSON");
  return doc;
}

}  // namespace kiroku::integrity::signing::internal
