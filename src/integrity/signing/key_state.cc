#include "integrity/signing/key_state.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "integrity/signing/key_files.h"
#include "integrity/signing/key_tree.h"

namespace kiroku::integrity::signing {
namespace {

std::string OctalMode(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return buf;
}

// Key material readable by anyone but the server's user would let them sign as the server.
Status CheckPrivate(Fs& fs, const std::string& path, uint32_t wanted, const char* what) {
  auto mode = fs.FileMode(path);
  if (!mode.ok()) return mode.status();
  if ((*mode & 077) != 0) {
    return Status::PermissionDenied(std::string(what) + " " + path + " has mode " +
                                    OctalMode(*mode) +
                                    ", which lets group or others access it; fix with: chmod " +
                                    OctalMode(wanted).substr(1) + " " + path);
  }
  return Status::Ok();
}

// The secret file's bytes, wiped when done with.
struct SecretBytes {
  std::string bytes;
  ~SecretBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

}  // namespace

// The ratchet is sequential but cheap (one hash a step); building each key pair is the expensive
// part (~50 µs of scalar multiplication), so the seeds are laid out first and the key pairs are
// built on every core: 10 years of hourly keys take half the time on two cores.
std::vector<Ed25519PublicKey> DeriveEpochPublicKeys(const RatchetSeed& seed_first, Epoch first,
                                                    uint64_t count) {
  std::vector<RatchetSeed> seeds;
  seeds.reserve(count);
  if (count > 0) seeds.push_back(seed_first);
  for (uint64_t i = 1; i < count; ++i) seeds.push_back(seeds.back().Next());
  std::vector<Ed25519PublicKey> keys(count);
  auto work = [&](uint64_t begin, uint64_t end) {
    for (uint64_t i = begin; i < end; ++i) {
      keys[i] = EpochKeyPair(seeds[i], Epoch{first.value + i}).public_key();
    }
  };
  const uint64_t threads =
      count < 1024 ? 1 : std::clamp<uint64_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::thread> pool;
  const uint64_t per = (count + threads - 1) / threads;
  for (uint64_t t = 1; t < threads; ++t) {
    pool.emplace_back(work, std::min(count, t * per), std::min(count, (t + 1) * per));
  }
  work(0, std::min(count, per));
  for (std::thread& th : pool) th.join();
  return keys;
}

KeyState::~KeyState() = default;

StatusOr<std::unique_ptr<KeyState>> KeyState::Init(Fs& fs, const std::string& dir,
                                                   const KeyInitParams& params,
                                                   const Clock& clock) {
  if (params.epoch_seconds == 0 || params.horizon_epochs == 0) {
    return Status::InvalidArgument("epoch length and horizon must be positive");
  }
  const std::string secret_path = JoinPath(dir, kSecretFileName);
  if (fs.FileSize(secret_path).ok()) {
    return Status::AlreadyExists("signing keys already exist in " + dir +
                                 "; refusing to replace them");
  }
  KIROKU_RETURN_IF_ERROR(fs.CreateDirs(dir));
  KIROKU_RETURN_IF_ERROR(fs.SetFileMode(dir, kKeyDirMode));

  TrustAnchor anchor;
  anchor.first_epoch = Epoch{0};
  anchor.epoch_count = params.horizon_epochs;
  anchor.schedule.length_s = params.epoch_seconds;
  if (params.start_s) {
    anchor.schedule.start_s = *params.start_s;
  } else {
    const int64_t now_s = clock.NowNs() / 1'000'000'000;
    anchor.schedule.start_s = now_s - now_s % params.epoch_seconds;
  }
  auto seed = RatchetSeed::Random();
  if (!seed.ok()) return seed.status();
  std::vector<Ed25519PublicKey> keys =
      DeriveEpochPublicKeys(*seed, anchor.first_epoch, anchor.epoch_count);
  anchor.key_tree_root = KeyTreeRoot(anchor.first_epoch, keys);

  std::unique_ptr<KeyState> state(new KeyState(fs, dir));
  KIROKU_RETURN_IF_ERROR(state->WriteHorizon(anchor, keys, TrustAnchorToJson(anchor)));
  // The secret comes last: its presence is what "keys exist" means.
  {
    auto file = fs.CreateExclusive(secret_path, kSecretFileMode);
    if (!file.ok()) return file.status();
    SecretBytes bytes{EncodeSecretFile({anchor.first_epoch, *seed})};
    KIROKU_RETURN_IF_ERROR((*file)->Append(bytes.bytes));
    KIROKU_RETURN_IF_ERROR((*file)->Sync());
    KIROKU_RETURN_IF_ERROR((*file)->Close());
    KIROKU_RETURN_IF_ERROR(fs.SyncDir(dir));
  }
  return Open(fs, dir);
}

Status KeyState::WriteHorizon(const TrustAnchor& anchor, const std::vector<Ed25519PublicKey>& keys,
                              const std::string& anchor_file_text) {
  KIROKU_RETURN_IF_ERROR(fs_.WriteFileAtomic(JoinPath(dir_, PublicKeyFileName(anchor.first_epoch)),
                                             EncodePublicKeyFile({anchor.first_epoch, keys})));
  KIROKU_RETURN_IF_ERROR(
      fs_.WriteFileAtomic(JoinPath(dir_, AnchorFileName(anchor.first_epoch)), anchor_file_text));
  return fs_.WriteFileAtomic(JoinPath(dir_, kCurrentAnchorFileName), TrustAnchorToJson(anchor));
}

StatusOr<std::unique_ptr<KeyState>> KeyState::Open(Fs& fs, const std::string& dir) {
  KIROKU_RETURN_IF_ERROR(CheckPrivate(fs, dir, kKeyDirMode, "key directory"));
  const std::string secret_path = JoinPath(dir, kSecretFileName);
  KIROKU_RETURN_IF_ERROR(CheckPrivate(fs, secret_path, kSecretFileMode, "secret key file"));

  std::unique_ptr<KeyState> state(new KeyState(fs, dir));
  // Anchors in epoch order; each after the first must be a verified rollover of its
  // predecessor, so a planted anchor file cannot add keys.
  auto names = fs.ListDir(dir);
  if (!names.ok()) return names.status();
  std::vector<Epoch> firsts;
  for (const std::string& name : *names) {
    if (auto e = ParseAnchorFileName(name)) firsts.push_back(*e);
  }
  std::sort(firsts.begin(), firsts.end());
  if (firsts.empty()) return Status::NotFound("no trust anchor in " + dir);
  for (Epoch first : firsts) {
    const std::string path = JoinPath(dir, AnchorFileName(first));
    auto text = fs.ReadFile(path);
    if (!text.ok()) return text.status();
    TrustAnchor anchor;
    if (state->anchors_.empty()) {
      auto a = TrustAnchorFromJson(*text);
      if (!a.ok()) return Status::Corruption(path + ": " + a.status().message());
      if (a->previous_fingerprint != Hash{}) {
        return Status::Corruption(path + ": the first anchor names a predecessor");
      }
      anchor = *a;
    } else {
      auto r = RolloverFromJson(*text);
      if (!r.ok()) return Status::Corruption(path + ": " + r.status().message());
      Status v = VerifyRollover(state->anchors_.back(), r->first, r->second);
      if (!v.ok()) return Status::Corruption(path + ": " + v.message());
      anchor = r->first;
    }
    if (anchor.first_epoch != first) {
      return Status::Corruption(path + ": file name and first epoch differ");
    }
    const std::string pub_path = JoinPath(dir, PublicKeyFileName(first));
    auto pub_bytes = fs.ReadFile(pub_path);
    if (!pub_bytes.ok()) return pub_bytes.status();
    auto pub = DecodePublicKeyFile(*pub_bytes);
    if (!pub.ok()) return Status::Corruption(pub_path + ": " + pub.status().message());
    if (pub->first != first || pub->keys.size() != anchor.epoch_count ||
        KeyTreeRoot(first, pub->keys) != anchor.key_tree_root) {
      return Status::Corruption(pub_path + ": keys do not match the anchor's key tree root");
    }
    state->anchors_.push_back(anchor);
    state->horizons_.push_back({std::move(pub->keys)});
  }
  KIROKU_RETURN_IF_ERROR(state->LoadSecret());
  return state;
}

Status KeyState::LoadSecret() {
  const std::string path = JoinPath(dir_, kSecretFileName);
  SecretBytes bytes;
  {
    auto read = fs_.ReadFile(path);
    if (!read.ok()) return read.status();
    bytes.bytes = std::move(*read);
  }
  auto secret = DecodeSecretFile(bytes.bytes);
  if (!secret.ok()) return Status::Corruption(path + ": " + secret.status().message());
  Ed25519KeyPair key = EpochKeyPair(secret->seed, secret->epoch);
  std::optional<Ed25519PublicKey> expected = PublicKeyOf(secret->epoch);
  if (!expected) {
    return Status::Corruption(path + ": holds epoch " + std::to_string(secret->epoch.value) +
                              ", which no trust anchor covers (the horizon has passed)");
  }
  if (*expected != key.public_key()) {
    return Status::Corruption(path + ": the secret seed does not belong to these trust anchors");
  }
  auto file = fs_.OpenAppendable(path);
  if (!file.ok()) return file.status();
  secret_file_ = std::move(*file);
  epoch_ = secret->epoch;
  seed_ = secret->seed;
  key_.emplace(std::move(key));
  return Status::Ok();
}

size_t KeyState::HorizonIndex(Epoch epoch) const {
  for (size_t i = 0; i < anchors_.size(); ++i) {
    if (anchors_[i].Covers(epoch)) return i;
  }
  return anchors_.size();
}

const TrustAnchor* KeyState::AnchorFor(Epoch epoch) const {
  size_t i = HorizonIndex(epoch);
  return i < anchors_.size() ? &anchors_[i] : nullptr;
}

std::optional<Ed25519PublicKey> KeyState::PublicKeyOf(Epoch epoch) const {
  size_t i = HorizonIndex(epoch);
  if (i == anchors_.size()) return std::nullopt;
  return horizons_[i].keys[epoch.value - anchors_[i].first_epoch.value];
}

Status KeyState::AdvanceTo(Epoch epoch) {
  if (epoch == epoch_) return Status::Ok();
  if (epoch < epoch_) {
    return Status::InvalidArgument("cannot sign for epoch " + std::to_string(epoch.value) +
                                   ": its key was erased when epoch " +
                                   std::to_string(epoch_.value) + " began");
  }
  if (epoch >= newest_anchor().end_epoch()) {
    return Status::InvalidArgument(
        "epoch " + std::to_string(epoch.value) + " is past the key horizon (ends before epoch " +
        std::to_string(newest_anchor().end_epoch().value) + "); run the key rollover first");
  }
  RatchetSeed next = seed_.Advance(epoch.value - epoch_.value);
  SecretBytes bytes{EncodeSecretFile({epoch, next})};
  // In place and synced before the new key is used: the old seed must not survive anywhere
  // we control (docs/formats/keys.md says what SSDs and copy-on-write filesystems may keep).
  KIROKU_RETURN_IF_ERROR(secret_file_->WriteAt(0, bytes.bytes));
  KIROKU_RETURN_IF_ERROR(secret_file_->Sync());
  seed_ = next;
  epoch_ = epoch;
  key_.emplace(EpochKeyPair(seed_, epoch_));
  key_proof_.reset();
  return Status::Ok();
}

const Ed25519PublicKey& KeyState::public_key() const { return key_->public_key(); }

StatusOr<std::vector<Hash>> KeyState::KeyProof() {
  if (!key_proof_) {
    size_t i = HorizonIndex(epoch_);
    if (i == anchors_.size()) return Status::NotFound("no anchor covers the current epoch");
    key_proof_ = KeyTreeProof(anchors_[i].first_epoch, horizons_[i].keys, epoch_);
  }
  return *key_proof_;
}

Ed25519Signature KeyState::Sign(std::string_view message) const { return key_->Sign(message); }

StatusOr<TrustAnchor> KeyState::Rollover(uint64_t epochs) {
  if (epochs == 0) return Status::InvalidArgument("a rollover needs at least one epoch");
  const TrustAnchor& old = newest_anchor();
  const Epoch last{old.end_epoch().value - 1};
  // epoch_ <= last always holds: AdvanceTo never passes the newest horizon.
  RatchetSeed seed_last = seed_.Advance(last.value - epoch_.value);
  Ed25519KeyPair signer = EpochKeyPair(seed_last, last);

  TrustAnchor next;
  next.first_epoch = old.end_epoch();
  next.epoch_count = epochs;
  next.schedule = old.schedule;
  next.previous_fingerprint = Fingerprint(old);
  std::vector<Ed25519PublicKey> keys =
      DeriveEpochPublicKeys(seed_last.Next(), next.first_epoch, epochs);
  next.key_tree_root = KeyTreeRoot(next.first_epoch, keys);

  RolloverStatement statement;
  statement.signer_epoch = last;
  statement.signer_key = signer.public_key();
  statement.signer_key_proof = KeyTreeProof(old.first_epoch, horizons_.back().keys, last);
  statement.signature = signer.Sign(RolloverSigningInput(next));
  KIROKU_RETURN_IF_ERROR(VerifyRollover(old, next, statement));  // never publish a bad one

  KIROKU_RETURN_IF_ERROR(WriteHorizon(next, keys, RolloverToJson(next, statement)));
  anchors_.push_back(next);
  horizons_.push_back({std::move(keys)});
  return next;
}

}  // namespace kiroku::integrity::signing
