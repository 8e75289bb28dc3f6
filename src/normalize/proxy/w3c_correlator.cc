#include "normalize/proxy/w3c_correlator.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/proxy/w3c.h"

namespace kiroku::normalize {
namespace {

struct Directive {
  uint64_t seq;
  std::string text;
};

struct Source {
  std::vector<Directive> fields;    // in seq order
  std::vector<Directive> software;  // in seq order
};

// The last directive before `seq`, or nullptr.
const Directive* InForce(const std::vector<Directive>& list, uint64_t seq) {
  auto it = std::lower_bound(list.begin(), list.end(), seq,
                             [](const Directive& d, uint64_t s) { return d.seq < s; });
  if (it == list.begin()) return nullptr;
  return &*(it - 1);
}

std::string SourceKey(const RecordView& r) {
  std::string_view host = r.Field(r.header.host);
  if (!host.empty()) return "h:" + std::string(host);
  return "p:" + r.peer.AddressString();
}

class W3cCorrelator : public Correlator {
 public:
  void Observe(const RecordView& r, const Event& e) override {
    (void)e;
    std::string_view msg = r.Field(r.header.msg);
    if (msg.empty() || msg.front() != '#') return;
    if (auto f = W3cFieldsDirective(msg)) {
      Add(&sources_[SourceKey(r)].fields, r.seq.value, *f);
    } else if (auto s = W3cSoftwareDirective(msg)) {
      Add(&sources_[SourceKey(r)].software, r.seq.value, *s);
    }
  }

  void Enrich(const RecordView& r, Event* e) const override {
    std::string_view msg = r.Field(r.header.msg);
    if (!IsW3cDataLine(msg)) return;
    // Only replace what the W3C reader itself produced: another family's reading stays.
    if (!e->empty() && e->Get(Field::kKirokuNormalizer) != "w3c") return;
    auto it = sources_.find(SourceKey(r));
    if (it == sources_.end()) return;
    const Directive* fields = InForce(it->second.fields, r.seq.value);
    if (fields == nullptr) return;
    const Directive* software = InForce(it->second.software, r.seq.value);
    // The direction needs the site config, which only the first reading had: keep it when the
    // header gives the same two addresses.
    std::string direction(e->Get(Field::kNetworkDirection));
    std::string src(e->Get(Field::kSourceIp));
    std::string dst(e->Get(Field::kDestinationIp));
    e->Clear();
    ParseW3cLine(msg, fields->text, software != nullptr ? software->text : "", nullptr, e);
    if (!direction.empty() && e->Get(Field::kSourceIp) == src &&
        e->Get(Field::kDestinationIp) == dst) {
      e->Add(Field::kNetworkDirection, direction);
    }
  }

 private:
  static void Add(std::vector<Directive>* list, uint64_t seq, std::string_view text) {
    if (!list->empty() && list->back().seq >= seq) return;    // fed out of order: keep the first
    if (!list->empty() && list->back().text == text) return;  // a repeat changes nothing
    list->push_back(Directive{seq, std::string(text)});
  }

  std::map<std::string, Source> sources_;
};

}  // namespace

std::unique_ptr<Correlator> NewW3cCorrelator() { return std::make_unique<W3cCorrelator>(); }

}  // namespace kiroku::normalize
