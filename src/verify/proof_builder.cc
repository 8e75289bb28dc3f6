#include "verify/proof_builder.h"

#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "integrity/leaf.h"
#include "integrity/proof_verify.h"
#include "integrity/signing/head_reader.h"
#include "integrity/signing/trust_anchor.h"
#include "integrity/tile_store.h"
#include "integrity/tree_reader.h"
#include "verify/anchor_chain.h"
#include "verify/audit_inbox.h"
#include "verify/internal/base64.h"
#include "verify/journal_leaves.h"

namespace kiroku::verify {
namespace {

namespace sig = integrity::signing;
using nlohmann::ordered_json;

// A private copy of DATA/merkle/ (whole entries only), removed when destroyed.
class TileSnapshot {
 public:
  static StatusOr<std::unique_ptr<TileSnapshot>> Take(Fs& fs, const std::string& merkle_dir) {
    char tmpl[] = "/tmp/kiroku-proof-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return Status::IoErrorFromErrno("mkdtemp", errno);
    auto snap = std::unique_ptr<TileSnapshot>(new TileSnapshot(tmpl));
    PosixFs& local = PosixFs::Default();
    for (int h = integrity::kStoredHeightStep; h <= integrity::TileStore::kMaxStoredHeight;
         h += integrity::kStoredHeightStep) {
      const std::string name = integrity::TileStore::FileName(h);
      auto bytes = fs.ReadFile(JoinPath(merkle_dir, name));
      if (!bytes.ok()) break;
      bytes->resize(bytes->size() - bytes->size() % integrity::Hash::kSize);
      auto f = local.OpenAppendable(JoinPath(snap->dir_, name));
      if (!f.ok()) return f.status();
      KIROKU_RETURN_IF_ERROR((*f)->Append(*bytes));
      KIROKU_RETURN_IF_ERROR((*f)->Close());
      snap->files_.push_back(name);
    }
    auto store = integrity::TileStore::Open(local, snap->dir_);
    if (!store.ok()) return store.status();
    snap->store_ = std::move(*store);
    return snap;
  }
  ~TileSnapshot() {
    store_.reset();
    PosixFs& local = PosixFs::Default();
    auto names = local.ListDir(dir_);
    if (names.ok()) {
      for (const std::string& n : *names) (void)local.Remove(JoinPath(dir_, n));
    }
    (void)local.Remove(dir_);
  }
  const integrity::TileStore& store() const { return *store_; }

 private:
  explicit TileSnapshot(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::vector<std::string> files_;
  std::unique_ptr<integrity::TileStore> store_;
};

struct Context {
  AnchorChain anchors;
  std::string keys_dir;
  std::vector<sig::TreeHead> heads;
};

StatusOr<Context> Load(Fs& fs, const std::string& data_dir) {
  Context c;
  c.keys_dir = JoinPath(data_dir, "keys");
  auto chain = LoadAnchorChain(fs, DataDirAnchorPath(fs, c.keys_dir), c.keys_dir);
  if (!chain.ok()) return chain.status();
  c.anchors = std::move(*chain);
  Status s = sig::ForEachHead(fs, JoinPath(data_dir, "heads"), [&](const sig::TreeHead& h) {
    c.heads.push_back(h);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (c.heads.empty()) return Status::NotFound("the data directory holds no signed tree head yet");
  return c;
}

const sig::TreeHead* HeadOfSize(const Context& c, uint64_t size) {
  const sig::TreeHead* found = nullptr;
  for (const sig::TreeHead& h : c.heads) {
    if (h.tree_size == size) found = &h;  // the newest head of that size
  }
  return found;
}

std::string SizesList(const Context& c) {
  std::vector<uint64_t> sizes;
  for (const sig::TreeHead& h : c.heads) {
    if (sizes.empty() || sizes.back() != h.tree_size) sizes.push_back(h.tree_size);
  }
  std::string out;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i == 20 && sizes.size() > 40) {
      out += ", ... (" + std::to_string(sizes.size() - 40) + " more)";
      i = sizes.size() - 20;
    }
    out += (out.empty() ? "" : ", ") + std::to_string(sizes[i]);
  }
  return out;
}

ordered_json HeadJson(const Context& c, Fs& fs, const sig::TreeHead& h) {
  ordered_json j = ordered_json::parse(sig::TreeHeadToJson(h));
  std::vector<std::string> rollovers = RolloverTextsUpTo(fs, c.keys_dir, c.anchors, h.epoch);
  if (!rollovers.empty()) {
    ordered_json arr = ordered_json::array();
    for (const std::string& r : rollovers) arr.push_back(ordered_json::parse(r));
    j["anchor_rollovers"] = std::move(arr);
  }
  return j;
}

ordered_json HashArray(const std::vector<integrity::Hash>& path) {
  ordered_json arr = ordered_json::array();
  for (const integrity::Hash& h : path) arr.push_back(h.Hex());
  return arr;
}

}  // namespace

StatusOr<std::string> MakeInclusionProof(Fs& fs, const std::string& data_dir, uint64_t seq,
                                         std::optional<uint64_t> size) {
  if (seq == 0) return Status::InvalidArgument("sequence numbers start at 1");
  auto c = Load(fs, data_dir);
  if (!c.ok()) return c.status();
  const sig::TreeHead* head = nullptr;
  if (size) {
    head = HeadOfSize(*c, *size);
    if (head == nullptr) {
      return Status::NotFound("no signed head has tree size " + std::to_string(*size) +
                              "; head sizes: " + SizesList(*c));
    }
    if (*size < seq) {
      return Status::InvalidArgument("tree size " + std::to_string(*size) + " does not cover seq " +
                                     std::to_string(seq));
    }
  } else {
    for (const sig::TreeHead& h : c->heads) {
      if (h.tree_size >= seq && (head == nullptr || h.tree_size < head->tree_size)) head = &h;
    }
    if (head == nullptr) {
      return Status::NotFound("no signed head covers seq " + std::to_string(seq) +
                              " yet (head sizes: " + SizesList(*c) + ")");
    }
  }
  const std::string journal = JoinPath(data_dir, "journal");
  auto record = ReadRecord(fs, journal, seq);
  if (!record.ok()) return record.status();
  std::string encoding;
  integrity::Hash leaf = integrity::LeafHashOf(record->view, &encoding);
  auto tiles = TileSnapshot::Take(fs, JoinPath(data_dir, "merkle"));
  if (!tiles.ok()) return tiles.status();
  integrity::TreeReader reader((*tiles)->store(), JournalLeafSource(fs, journal));
  auto path = reader.InclusionProof(seq - 1, head->tree_size);
  if (!path.ok()) return path.status();
  if (!integrity::VerifyInclusion(seq - 1, head->tree_size, leaf, *path, head->root_hash)) {
    return Status::Corruption(
        "record " + std::to_string(seq) + " does not prove against the signed head of tree size " +
        std::to_string(head->tree_size) + ": the data directory was changed (run kiroku verify)");
  }
  const RecordView& r = record->view;
  ordered_json j;
  j["type"] = kInclusionProofType;
  j["version"] = kProofVersion;
  j["anchor_fingerprint"] = sig::FormatFingerprint(sig::Fingerprint(c->anchors.root()));
  ordered_json rec;
  rec["seq"] = r.seq.value;
  rec["receive_time_ns"] = r.receive_time_ns;
  rec["receive_time"] = Rfc3339(r.receive_time_ns);
  rec["peer"] = r.peer.ToString();
  rec["transport"] = std::string(TransportName(r.transport));
  rec["flags"] = r.flags & integrity::kLeafEvidenceFlags;
  rec["original_length"] = r.original_length;
  rec["raw_base64"] = internal::Base64Encode(r.raw);
  j["record"] = std::move(rec);
  j["leaf_encoding_base64"] = internal::Base64Encode(encoding);
  j["leaf_hash"] = leaf.Hex();
  j["leaf_index"] = seq - 1;
  j["tree_size"] = head->tree_size;
  j["inclusion_path"] = HashArray(*path);
  j["head"] = HeadJson(*c, fs, *head);
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

StatusOr<std::string> MakeConsistencyProof(Fs& fs, const std::string& data_dir, uint64_t old_size,
                                           uint64_t new_size) {
  if (old_size == 0 || old_size > new_size) {
    return Status::InvalidArgument("need 0 < OLD_SIZE <= NEW_SIZE");
  }
  auto c = Load(fs, data_dir);
  if (!c.ok()) return c.status();
  const sig::TreeHead* old_head = HeadOfSize(*c, old_size);
  const sig::TreeHead* new_head = HeadOfSize(*c, new_size);
  if (old_head == nullptr || new_head == nullptr) {
    return Status::NotFound("no signed head has tree size " +
                            std::to_string(old_head == nullptr ? old_size : new_size) +
                            "; head sizes: " + SizesList(*c));
  }
  auto tiles = TileSnapshot::Take(fs, JoinPath(data_dir, "merkle"));
  if (!tiles.ok()) return tiles.status();
  integrity::TreeReader reader((*tiles)->store(),
                               JournalLeafSource(fs, JoinPath(data_dir, "journal")));
  auto path = reader.ConsistencyProof(old_size, new_size);
  if (!path.ok()) return path.status();
  if (!integrity::VerifyConsistency(old_size, new_size, old_head->root_hash, new_head->root_hash,
                                    *path)) {
    return Status::Corruption("the heads of tree sizes " + std::to_string(old_size) + " and " +
                              std::to_string(new_size) +
                              " are not consistent with the stored tree (run kiroku verify)");
  }
  ordered_json j;
  j["type"] = kConsistencyProofType;
  j["version"] = kProofVersion;
  j["anchor_fingerprint"] = sig::FormatFingerprint(sig::Fingerprint(c->anchors.root()));
  j["old_size"] = old_size;
  j["new_size"] = new_size;
  j["consistency_path"] = HashArray(*path);
  j["old_head"] = HeadJson(*c, fs, *old_head);
  j["new_head"] = HeadJson(*c, fs, *new_head);
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace kiroku::verify
