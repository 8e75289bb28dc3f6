// Where the server's signing keys live in the data directory, and how `kiroku init` and
// `kiroku serve` get hold of them.
//
// `kiroku init` creates them explicitly (with a chosen epoch and horizon); `kiroku serve` opens
// them, or creates them with the defaults when the data directory has none yet. Serve never
// re-creates keys next to heads that older keys signed: that would silently replace the trust
// anchor, so it refuses instead.
//
//   bool created = false;
//   auto keys = OpenOrInitKeys(fs, "kiroku-data", clock, &created);
//   std::string fp = AnchorFingerprintText(**keys);   // "kiroku-anchor:1f0c-..."
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "common/status.h"
#include "integrity/signing/key_state.h"

namespace kiroku::evidence {

std::string KeysDir(const std::string& data_dir);     // DATA/keys
std::string AnchorPath(const std::string& data_dir);  // DATA/keys/anchor.json
std::string HeadsDir(const std::string& data_dir);    // DATA/heads

// True if DATA/keys exists and holds any file.
bool KeysPresent(Fs& fs, const std::string& data_dir);

// Opens the keys, or (when there are none and no heads either) creates them with the default
// epoch and horizon; *created says which. Errors from KeyState::Open pass through unchanged
// (kPermissionDenied names the file and the chmod that fixes it).
StatusOr<std::unique_ptr<integrity::signing::KeyState>> OpenOrInitKeys(Fs& fs,
                                                                       const std::string& data_dir,
                                                                       const Clock& clock,
                                                                       bool* created);

// FormatFingerprint(Fingerprint(root anchor)).
std::string AnchorFingerprintText(const integrity::signing::KeyState& keys);

}  // namespace kiroku::evidence
