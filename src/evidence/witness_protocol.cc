#include "evidence/witness_protocol.h"

#include <nlohmann/json.hpp>

namespace kiroku::evidence {

using integrity::signing::TreeHead;

std::string HeadJsonLine(const TreeHead& head) {
  return nlohmann::ordered_json::parse(integrity::signing::TreeHeadToJson(head)).dump();
}

std::string EncodeSubmission(const WitnessSubmission& s) {
  nlohmann::ordered_json j;
  j["log"] = s.log;
  j["head"] = nlohmann::ordered_json::parse(integrity::signing::TreeHeadToJson(s.head));
  nlohmann::ordered_json proof = nlohmann::ordered_json::array();
  for (const integrity::Hash& h : s.proof) proof.push_back(h.Hex());
  j["consistency"] = {{"old_size", s.old_size}, {"proof", proof}};
  return j.dump();
}

StatusOr<WitnessSubmission> DecodeSubmission(std::string_view body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("body is not a JSON object");
  }
  WitnessSubmission s;
  if (auto it = j.find("log"); it != j.end()) {
    if (!it->is_string()) return Status::InvalidArgument("log: expected a string");
    s.log = it->get<std::string>();
  }
  auto head = j.find("head");
  if (head == j.end() || !head->is_object()) {
    return Status::InvalidArgument("head: expected a tree head object");
  }
  StatusOr<TreeHead> h = integrity::signing::TreeHeadFromJson(head->dump());
  if (!h.ok()) return Status::InvalidArgument("head: " + h.status().message());
  s.head = std::move(*h);
  auto c = j.find("consistency");
  if (c != j.end()) {
    if (!c->is_object()) return Status::InvalidArgument("consistency: expected an object");
    auto old = c->find("old_size");
    if (old == c->end() || !old->is_number_unsigned()) {
      return Status::InvalidArgument("consistency.old_size: expected a whole number");
    }
    s.old_size = old->get<uint64_t>();
    auto proof = c->find("proof");
    if (proof != c->end()) {
      if (!proof->is_array()) return Status::InvalidArgument("consistency.proof: expected a list");
      for (const auto& p : *proof) {
        std::optional<integrity::Hash> hash =
            p.is_string() ? integrity::Hash::FromHex(p.get<std::string>()) : std::nullopt;
        if (!hash) return Status::InvalidArgument("consistency.proof: expected 64 hex digits");
        s.proof.push_back(*hash);
      }
    }
  }
  return s;
}

}  // namespace kiroku::evidence
