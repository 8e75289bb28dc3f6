#include "verify/witness_heads.h"

#include <nlohmann/json.hpp>

namespace kiroku::verify {

WitnessHeads ParseWitnessHeads(std::string_view jsonl) {
  WitnessHeads out;
  size_t line_no = 0, first_line = 0;
  std::string pending;  // lines of one value that spans several (pretty-printed JSON)
  auto take = [&](const nlohmann::json& parsed) {
    nlohmann::json doc = parsed;
    if (doc.contains("head") && doc["head"].is_object()) doc = doc["head"];
    auto head = integrity::signing::TreeHeadFromJson(doc.dump());
    if (!head.ok()) {
      out.problems.push_back("line " + std::to_string(first_line) + ": " + head.status().message());
      return;
    }
    out.heads.push_back(*head);
  };
  while (!jsonl.empty()) {
    size_t nl = jsonl.find('\n');
    std::string_view line = jsonl.substr(0, nl);
    jsonl = nl == std::string_view::npos ? std::string_view() : jsonl.substr(nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() && pending.empty()) continue;
    if (pending.empty()) first_line = line_no;
    pending.append(line).push_back('\n');
    nlohmann::json doc = nlohmann::json::parse(pending, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_discarded()) {
      pending.clear();
      if (doc.is_object()) {
        take(doc);
      } else {
        out.problems.push_back("line " + std::to_string(first_line) + ": not a JSON object");
      }
      continue;
    }
    if (line_no - first_line >= 200) {  // no head is this long: give up on this one
      out.problems.push_back("line " + std::to_string(first_line) + ": not a JSON object");
      pending.clear();
    }
  }
  if (!pending.empty()) {
    out.problems.push_back("line " + std::to_string(first_line) + ": not a JSON object");
  }
  return out;
}

}  // namespace kiroku::verify
