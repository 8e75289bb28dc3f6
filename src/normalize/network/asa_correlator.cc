#include "normalize/network/asa_correlator.h"

#include <array>
#include <string>
#include <unordered_map>

#include "normalize/network/internal/asa_connection.h"

namespace kiroku::normalize {
namespace {

constexpr std::array<Field, 8> kCarried = {
    Field::kSourceIp,    Field::kSourcePort,       Field::kDestinationIp, Field::kDestinationPort,
    Field::kSourceNatIp, Field::kNetworkDirection, Field::kUserName,      Field::kUserDomain,
};

struct Endpoints {
  std::array<std::string, kCarried.size()> values;
};

bool IsAsa(const Event& e) { return e.Get(Field::kKirokuNormalizer) == "asa"; }

class AsaCorrelator : public Correlator {
 public:
  void Observe(const RecordView& r, const Event& e) override {
    if (!IsAsa(e) || !e.Has(Field::kSourceIp)) return;
    Input in = Input::From(r);
    std::optional<internal::AsaConnection> c = internal::ReadAsaConnection(in.message);
    if (!c || !c->built) return;
    Endpoints& ep = open_[Key(in.host, c->key)];
    for (size_t i = 0; i < kCarried.size(); ++i) ep.values[i] = std::string(e.Get(kCarried[i]));
  }

  void Enrich(const RecordView& r, Event* e) const override {
    if (!IsAsa(*e) || e->Has(Field::kSourceIp)) return;
    Input in = Input::From(r);
    std::optional<internal::AsaConnection> c = internal::ReadAsaConnection(in.message);
    if (!c || c->built) return;
    auto it = open_.find(Key(in.host, c->key));
    if (it == open_.end()) return;
    const Endpoints& ep = it->second;
    // The id may have been reused by a later connection: both addresses must agree.
    const std::string& src = ep.values[0];
    const std::string& dst = ep.values[2];
    bool same =
        (c->first_ip == src && c->second_ip == dst) || (c->first_ip == dst && c->second_ip == src);
    if (!same) return;
    for (size_t i = 0; i < kCarried.size(); ++i) e->Add(kCarried[i], ep.values[i]);
  }

 private:
  static std::string Key(std::string_view host, std::string_view conn) {
    std::string k(host);
    k.push_back('\0');
    k.append(conn);
    return k;
  }

  std::unordered_map<std::string, Endpoints> open_;
};

}  // namespace

std::unique_ptr<Correlator> NewAsaCorrelator() { return std::make_unique<AsaCorrelator>(); }

}  // namespace kiroku::normalize
