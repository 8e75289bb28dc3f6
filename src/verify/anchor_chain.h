// The trust anchors a verifier accepts: the operator's root anchor, then every rollover in the
// data directory that the anchors before it vouch for (integrity/signing/rollover.h).
//
// The root anchor is whatever file the verifier is given (the operator's copy, kept away from
// the server); rollover files in DATA/keys/ extend it only when their statements verify, so a
// planted anchor file cannot add keys. A rollover that does not verify is left out and noted:
// heads of its epochs then fail as signed with the wrong key.
//
//   StatusOr<AnchorChain> chain = LoadAnchorChain(fs, "/media/usb/anchor.json", "data/keys");
//   const TrustAnchor* a = chain->For(head.epoch);
#pragma once

#include <string>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "integrity/signing/epoch.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::verify {

struct AnchorChain {
  std::vector<integrity::signing::TrustAnchor> anchors;  // root first
  std::vector<std::string> notes;  // rollover files that were not accepted, and why

  const integrity::signing::TrustAnchor& root() const { return anchors.front(); }
  // The anchor covering `epoch`, or nullptr.
  const integrity::signing::TrustAnchor* For(integrity::signing::Epoch epoch) const;
};

// kNotFound / kCorruption if the root anchor file cannot be read or parsed. A missing keys
// directory is no error (no rollovers).
StatusOr<AnchorChain> LoadAnchorChain(Fs& fs, const std::string& anchor_path,
                                      const std::string& keys_dir);

// The data directory's own root anchor file: the oldest anchor-<epoch>.json in `keys_dir`, or
// anchor.json when there is none. Only for when the operator's copy is not at hand.
std::string DataDirAnchorPath(Fs& fs, const std::string& keys_dir);

// The rollover files of `keys_dir` that extend `chain` up to the anchor covering `epoch`, as
// their JSON text (a proof carries them so that it checks against the root anchor alone).
std::vector<std::string> RolloverTextsUpTo(Fs& fs, const std::string& keys_dir,
                                           const AnchorChain& chain,
                                           integrity::signing::Epoch epoch);

}  // namespace kiroku::verify
