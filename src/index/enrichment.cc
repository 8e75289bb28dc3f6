// The bytes of a record's `extra` (docs/decisions/index.md, "Enrichment"):
//
//   extra   = ""                          (* nothing added *)
//           | 0x01 { op } ;               (* version 1 *)
//   op      = 0x01 name value             (* Event::Add(name, value): sets a single-valued
//                                            field, appends to a list *)
//           | 0x02 name ;                 (* Event::Remove(name): drop every value *)
//   name    = varint length, bytes ;      (* the ECS field name, e.g. "email.from.address" *)
//   value   = varint length, bytes ;
//   varint  = LEB128, at most 5 bytes, value < 2^32 ;
//
// Names, not enum numbers, so a newer kiroku reads old extras; an op on a name this build does
// not know is skipped.
#include "index/enrichment.h"

#include <bitset>
#include <vector>

namespace kiroku::index {
namespace {

constexpr char kVersion = 0x01;
constexpr char kOpAdd = 0x01;
constexpr char kOpRemove = 0x02;

void PutVarint(uint32_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutBytes(std::string_view s, std::string* out) {
  PutVarint(static_cast<uint32_t>(s.size()), out);
  out->append(s);
}

bool GetVarint(std::string_view* in, uint32_t* v) {
  uint64_t r = 0;
  for (int i = 0; i < 5; ++i) {
    if (in->empty()) return false;
    auto b = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    r |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (r > UINT32_MAX) return false;
      *v = static_cast<uint32_t>(r);
      return true;
    }
  }
  return false;
}

bool GetBytes(std::string_view* in, std::string_view* s) {
  uint32_t n = 0;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  *s = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

std::vector<std::string_view> ValuesOf(const normalize::Event& e, normalize::Field f) {
  std::vector<std::string_view> v;
  e.ForEach(f, [&](std::string_view s) { v.push_back(s); });
  return v;
}

// Whether the two events hold the same values in the same order: what almost every record
// looks like after correlation, answered without visiting each field.
bool SameEntries(const normalize::Event& a, const normalize::Event& b) {
  const auto& ea = a.entries();
  const auto& eb = b.entries();
  if (ea.size() != eb.size()) return false;
  for (size_t i = 0; i < ea.size(); ++i) {
    if (ea[i].field != eb[i].field || a.Value(ea[i]) != b.Value(eb[i])) return false;
  }
  return true;
}

}  // namespace

std::string EncodeEnrichment(const normalize::Event& plain, const normalize::Event& correlated) {
  std::string out;
  if (SameEntries(plain, correlated)) return out;
  // Only the fields either event has can differ; they are visited in AllFieldInfos() order, so
  // the bytes are the same as a walk over every field would write.
  std::bitset<normalize::kFieldCount> present;
  for (const auto& e : plain.entries()) present.set(static_cast<size_t>(e.field));
  for (const auto& e : correlated.entries()) present.set(static_cast<size_t>(e.field));
  for (const normalize::FieldInfo& info : normalize::AllFieldInfos()) {
    if (!present.test(static_cast<size_t>(info.field))) continue;
    std::vector<std::string_view> p = ValuesOf(plain, info.field);
    std::vector<std::string_view> c = ValuesOf(correlated, info.field);
    if (p == c) continue;
    if (out.empty()) out.push_back(kVersion);
    size_t from = 0;
    const bool appends =
        info.list && p.size() < c.size() && std::equal(p.begin(), p.end(), c.begin());
    if (appends) {
      from = p.size();
    } else if (info.list || c.empty()) {
      out.push_back(kOpRemove);
      PutBytes(info.name, &out);
    }
    for (size_t i = from; i < c.size(); ++i) {
      out.push_back(kOpAdd);
      PutBytes(info.name, &out);
      PutBytes(c[i], &out);
    }
  }
  return out;
}

Status ApplyEnrichment(std::string_view extra, normalize::Event* event) {
  if (extra.empty()) return Status::Ok();
  if (extra.front() != kVersion) {
    return Status::Corruption("enrichment: unknown version " +
                              std::to_string(static_cast<unsigned char>(extra.front())));
  }
  std::string_view in = extra.substr(1);
  while (!in.empty()) {
    const char op = in.front();
    in.remove_prefix(1);
    std::string_view name, value;
    if (op != kOpAdd && op != kOpRemove) {
      return Status::Corruption("enrichment: unknown op " +
                                std::to_string(static_cast<unsigned char>(op)));
    }
    if (!GetBytes(&in, &name) || (op == kOpAdd && !GetBytes(&in, &value))) {
      return Status::Corruption("enrichment: truncated");
    }
    std::optional<normalize::Field> f = normalize::FieldByName(name);
    if (!f) continue;  // a field this build does not know
    if (op == kOpRemove) {
      event->Remove(*f);
    } else {
      event->Add(*f, value);
    }
  }
  return Status::Ok();
}

}  // namespace kiroku::index
