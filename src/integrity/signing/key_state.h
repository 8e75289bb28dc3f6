// KeyState: the server's forward-secure signing keys in DATA/keys/, from `kiroku init` on.
//
// Init makes seed_0, derives every epoch's public key of the horizon, commits them to the
// trust anchor and writes the key files (key_files.h). Open loads them, refusing key files
// that group or others could read, and checks that the anchors chain (rollover.h), that each
// public key file matches its anchor's root and that the secret seed belongs to those keys.
// AdvanceTo ratchets the seed forward and overwrites the secret file in place before the new
// epoch's key is used, so once it returns the server can no longer sign for earlier epochs.
// Rollover extends the horizon with a new anchor signed by the old horizon's last key.
//
// Not thread-safe: one owner (the head signer) calls it.
//
//   auto keys = KeyState::Init(fs, "data/keys", KeyInitParams{}, clock);   // kiroku init
//   std::cout << FormatFingerprint(Fingerprint((*keys)->root_anchor()));
//   auto keys = KeyState::Open(fs, "data/keys");                            // server start
//   KIROKU_RETURN_IF_ERROR((*keys)->AdvanceTo(*schedule.EpochAt(clock.NowNs())));
//   Ed25519Signature sig = (*keys)->Sign(message);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/ed25519.h"
#include "integrity/signing/epoch.h"
#include "integrity/signing/epoch_keys.h"
#include "integrity/signing/rollover.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::integrity::signing {

struct KeyInitParams {
  uint32_t epoch_seconds = kDefaultEpochSeconds;
  uint64_t horizon_epochs = kDefaultHorizonEpochs;
  // Unix seconds at which epoch 0 starts; default: the clock's time rounded down to a whole
  // epoch length.
  std::optional<int64_t> start_s;
};

class KeyState {
 public:
  // Creates the key files in `dir` (made mode 0700). kAlreadyExists if a secret key is there.
  static StatusOr<std::unique_ptr<KeyState>> Init(Fs& fs, const std::string& dir,
                                                  const KeyInitParams& params, const Clock& clock);
  // kPermissionDenied (naming the file, its mode and the chmod that fixes it) if `dir` or the
  // secret file is accessible by group or others; kCorruption if the files do not agree.
  static StatusOr<std::unique_ptr<KeyState>> Open(Fs& fs, const std::string& dir);

  ~KeyState();
  KeyState(const KeyState&) = delete;
  KeyState& operator=(const KeyState&) = delete;

  // The chain of anchors, oldest (the operator's root of trust) first.
  const std::vector<TrustAnchor>& anchors() const { return anchors_; }
  const TrustAnchor& root_anchor() const { return anchors_.front(); }
  const TrustAnchor& newest_anchor() const { return anchors_.back(); }
  // The anchor covering `epoch`, or nullptr.
  const TrustAnchor* AnchorFor(Epoch epoch) const;
  const EpochSchedule& schedule() const { return anchors_.front().schedule; }

  // The epoch whose key this state holds; earlier keys are gone.
  Epoch epoch() const { return epoch_; }
  // Ratchets to `epoch` and durably overwrites the secret file. No-op for the current epoch.
  // kInvalidArgument for an earlier epoch (its key is erased) or one past the newest anchor's
  // horizon (roll over first: ratcheting past the horizon would lose the key that signs the
  // rollover). On error the state is unchanged in memory; retrying is safe.
  Status AdvanceTo(Epoch epoch);

  const Ed25519PublicKey& public_key() const;
  // The current epoch key's inclusion proof in its anchor's key tree (computed once per epoch).
  StatusOr<std::vector<Hash>> KeyProof();
  // Signs with the current epoch's key.
  // REQUIRES: AnchorFor(epoch()) != nullptr (always true after Init/Open/AdvanceTo)
  Ed25519Signature Sign(std::string_view message) const;
  // The public key of any epoch of any anchor.
  std::optional<Ed25519PublicKey> PublicKeyOf(Epoch epoch) const;

  // Appends a horizon of `epochs` epochs after the newest anchor: writes its public key file,
  // its anchor file with the rollover statement, and anchor.json. Returns the new anchor.
  StatusOr<TrustAnchor> Rollover(uint64_t epochs);

 private:
  struct Horizon {
    std::vector<Ed25519PublicKey> keys;
  };
  KeyState(Fs& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}
  Status WriteHorizon(const TrustAnchor& anchor, const std::vector<Ed25519PublicKey>& keys,
                      const std::string& anchor_file_text);
  Status LoadSecret();
  size_t HorizonIndex(Epoch epoch) const;  // anchors_.size() if none

  Fs& fs_;
  const std::string dir_;
  std::unique_ptr<WritableFile> secret_file_;
  Epoch epoch_;
  RatchetSeed seed_;
  std::optional<Ed25519KeyPair> key_;
  std::optional<std::vector<Hash>> key_proof_;  // for epoch_
  std::vector<TrustAnchor> anchors_;
  std::vector<Horizon> horizons_;  // parallel to anchors_
};

// The public keys of epochs [first, first + count) from seed_first. Exposed for measuring.
std::vector<Ed25519PublicKey> DeriveEpochPublicKeys(const RatchetSeed& seed_first, Epoch first,
                                                    uint64_t count);

}  // namespace kiroku::integrity::signing
