// Joins slapd stats lines of one connection (host, conn=N) and operation (op=M):
// - per connection: the client address from ACCEPT, and the DN bound at each point (a BIND whose
//   RESULT says err=0 changes it from that RESULT on);
// - per operation: its verb and DN, and what its RESULT said.
// Enrich then gives every line of the connection source.ip and user.name (the bound DN), the
// operation line its outcome and result text, the RESULT line the operation's action and DN,
// and kiroku.admin to every line of a write or of an administrator's session.
//
// slapd numbers connections from 1000 again after a restart, so a new ACCEPT starts a new
// generation of the same (host, conn) key.

#include <string>
#include <unordered_map>
#include <vector>

#include "normalize/directory/directory.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

struct Op {
  std::string action;
  std::string dn;
  bool admin_bind = false;  // a BIND by a DN the config names as administrator
  bool write = false;
  bool has_result = false;
  std::string outcome;
  std::string reason;
};

struct BoundDn {
  uint64_t from_seq;  // effective for records after this one
  std::string dn;
  bool admin;
};

struct Generation {
  uint64_t start_seq = 0;
  std::string ip;
  std::vector<BoundDn> binds;
  std::unordered_map<int64_t, Op> ops;
};

struct Session {
  std::string_view conn;
  int64_t op = -1;
};

// "conn=1000 op=2" or "conn=1000".
std::optional<Session> ParseSession(std::string_view s) {
  if (!s.starts_with("conn=")) return std::nullopt;
  Session out;
  if (auto c = Cut(s, " op=")) {
    out.conn = c->before.substr(5);
    std::optional<int64_t> op = ParseInt(c->after);
    if (!op) return std::nullopt;
    out.op = *op;
  } else {
    out.conn = s.substr(5);
  }
  return out;
}

bool IsWrite(std::string_view action) {
  return action == "add" || action == "modify" || action == "delete" || action == "rename" ||
         action == "password-change";
}

class DirectoryCorrelator : public Correlator {
 public:
  void Observe(const RecordView& r, const Event& e) override {
    if (e.Get(Field::kKirokuNormalizer) != "slapd") return;
    std::optional<Session> s = ParseSession(e.Get(Field::kLdapSession));
    if (!s) return;
    std::vector<Generation>& gens = conns_[Key(r, s->conn)];
    const std::string_view action = e.Get(Field::kEventAction);
    if (action == "connect" || gens.empty()) {
      gens.emplace_back().start_seq = r.seq.value;
    }
    Generation& g = gens.back();
    if (action == "connect") {
      g.ip = std::string(e.Get(Field::kSourceIp));
      return;
    }
    if (s->op < 0) return;
    Op& op = g.ops[s->op];
    if (action == "result") {
      op.has_result = true;
      op.outcome = std::string(e.Get(Field::kEventOutcome));
      op.reason = std::string(e.Get(Field::kEventReason));
      if (op.action == "bind") {
        // A failed bind leaves the connection anonymous (RFC 4513 section 5.1.1).
        const bool ok = op.outcome == "success";
        g.binds.push_back(BoundDn{r.seq.value, ok ? op.dn : "", ok && op.admin_bind});
      }
      return;
    }
    if (op.action.empty()) {
      op.action = std::string(action);
      op.write = IsWrite(action);
    }
    if (op.dn.empty()) op.dn = std::string(e.Get(Field::kLdapDn));
    if (action == "bind" && e.Get(Field::kKirokuAdmin) == "true") op.admin_bind = true;
  }

  void Enrich(const RecordView& r, Event* e) const override {
    if (e->Get(Field::kKirokuNormalizer) != "slapd") return;
    std::optional<Session> s = ParseSession(e->Get(Field::kLdapSession));
    if (!s) return;
    auto it = conns_.find(Key(r, s->conn));
    if (it == conns_.end()) return;
    const Generation* g = nullptr;
    for (const Generation& candidate : it->second) {
      if (candidate.start_seq <= r.seq.value) g = &candidate;
    }
    if (g == nullptr) return;
    if (!e->Has(Field::kSourceIp) && !g->ip.empty()) e->Add(Field::kSourceIp, g->ip);

    const BoundDn* bound = nullptr;
    for (const BoundDn& b : g->binds) {
      if (b.from_seq < r.seq.value) bound = &b;
    }
    const Op* op = nullptr;
    if (s->op >= 0) {
      auto o = g->ops.find(s->op);
      if (o != g->ops.end()) op = &o->second;
    }
    const bool is_bind = op != nullptr && op->action == "bind";
    if (op != nullptr) {
      if (e->Get(Field::kEventAction) == "result") {
        if (!op->action.empty()) e->Add(Field::kEventAction, op->action);
        if (is_bind) e->AddUnique(Field::kEventCategory, "authentication");
      } else if (op->has_result) {
        e->Add(Field::kEventOutcome, op->outcome);
        if (!e->Has(Field::kEventReason)) e->Add(Field::kEventReason, op->reason);
      }
      if (!e->Has(Field::kLdapDn)) e->Add(Field::kLdapDn, op->dn);
    }
    if (is_bind) {
      // Who tried to bind, whatever the connection was bound as before.
      if (!e->Has(Field::kUserName)) e->Add(Field::kUserName, op->dn);
    } else if (bound != nullptr && !e->Has(Field::kUserName)) {
      e->Add(Field::kUserName, bound->dn);
    }
    const bool admin = (op != nullptr && (op->write || op->admin_bind)) ||
                       (!is_bind && bound != nullptr && bound->admin);
    if (admin && !e->Has(Field::kKirokuAdmin)) e->AddBool(Field::kKirokuAdmin, true);
  }

 private:
  static std::string Key(const RecordView& r, std::string_view conn) {
    std::string key(r.Field(r.header.host));
    key.push_back('\n');
    key.append(conn);
    return key;
  }

  std::unordered_map<std::string, std::vector<Generation>> conns_;
};

}  // namespace

std::unique_ptr<Correlator> NewDirectoryCorrelator() {
  return std::make_unique<DirectoryCorrelator>();
}

}  // namespace kiroku::normalize
