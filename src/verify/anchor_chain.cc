#include "verify/anchor_chain.h"

#include <algorithm>

#include "integrity/signing/key_files.h"
#include "integrity/signing/rollover.h"

namespace kiroku::verify {

namespace sig = integrity::signing;

const sig::TrustAnchor* AnchorChain::For(sig::Epoch epoch) const {
  for (const sig::TrustAnchor& a : anchors) {
    if (a.Covers(epoch)) return &a;
  }
  return nullptr;
}

namespace {

// Anchor files in `dir` by first epoch, oldest first; empty if the directory is unreadable.
std::vector<sig::Epoch> AnchorFiles(Fs& fs, const std::string& dir) {
  std::vector<sig::Epoch> firsts;
  auto names = fs.ListDir(dir);
  if (!names.ok()) return firsts;
  for (const std::string& name : *names) {
    if (auto e = sig::ParseAnchorFileName(name)) firsts.push_back(*e);
  }
  std::sort(firsts.begin(), firsts.end());
  return firsts;
}

}  // namespace

StatusOr<AnchorChain> LoadAnchorChain(Fs& fs, const std::string& anchor_path,
                                      const std::string& keys_dir) {
  StatusOr<std::string> text = fs.ReadFile(anchor_path);
  if (!text.ok()) return text.status();
  AnchorChain chain;
  StatusOr<sig::TrustAnchor> root = sig::TrustAnchorFromJson(*text);
  if (!root.ok()) {
    // The operator may have kept a rollover file: its anchor is the one they trust.
    auto rolled = sig::RolloverFromJson(*text);
    if (!rolled.ok()) {
      return Status::Corruption(anchor_path + ": not a trust anchor: " + root.status().message());
    }
    root = rolled->first;
  }
  chain.anchors.push_back(*root);
  for (sig::Epoch first : AnchorFiles(fs, keys_dir)) {
    if (first < chain.anchors.back().end_epoch()) continue;
    const std::string path = JoinPath(keys_dir, sig::AnchorFileName(first));
    if (first != chain.anchors.back().end_epoch()) {
      chain.notes.push_back(path + ": does not follow the anchor ending at epoch " +
                            std::to_string(chain.anchors.back().end_epoch().value));
      break;
    }
    StatusOr<std::string> r = fs.ReadFile(path);
    if (!r.ok()) {
      chain.notes.push_back(path + ": " + r.status().message());
      break;
    }
    auto rolled = sig::RolloverFromJson(*r);
    if (!rolled.ok()) {
      chain.notes.push_back(path + ": " + rolled.status().message());
      break;
    }
    Status v = sig::VerifyRollover(chain.anchors.back(), rolled->first, rolled->second);
    if (!v.ok()) {
      chain.notes.push_back(path + ": rollover does not verify: " + v.message());
      break;
    }
    chain.anchors.push_back(rolled->first);
  }
  return chain;
}

std::string DataDirAnchorPath(Fs& fs, const std::string& keys_dir) {
  std::vector<sig::Epoch> firsts = AnchorFiles(fs, keys_dir);
  if (firsts.empty()) return JoinPath(keys_dir, sig::kCurrentAnchorFileName);
  return JoinPath(keys_dir, sig::AnchorFileName(firsts.front()));
}

std::vector<std::string> RolloverTextsUpTo(Fs& fs, const std::string& keys_dir,
                                           const AnchorChain& chain, sig::Epoch epoch) {
  std::vector<std::string> out;
  for (size_t i = 1; i < chain.anchors.size(); ++i) {
    if (chain.anchors[i - 1].Covers(epoch)) break;
    auto text = fs.ReadFile(JoinPath(keys_dir, sig::AnchorFileName(chain.anchors[i].first_epoch)));
    if (text.ok()) out.push_back(*text);
  }
  return out;
}

}  // namespace kiroku::verify
