#include "evidence/key_setup.h"

#include "integrity/signing/head_reader.h"
#include "integrity/signing/key_files.h"

namespace kiroku::evidence {

using integrity::signing::KeyState;

std::string KeysDir(const std::string& data_dir) { return JoinPath(data_dir, "keys"); }
std::string AnchorPath(const std::string& data_dir) {
  return JoinPath(KeysDir(data_dir), integrity::signing::kCurrentAnchorFileName);
}
std::string HeadsDir(const std::string& data_dir) { return JoinPath(data_dir, "heads"); }

bool KeysPresent(Fs& fs, const std::string& data_dir) {
  StatusOr<std::vector<std::string>> names = fs.ListDir(KeysDir(data_dir));
  return names.ok() && !names->empty();
}

StatusOr<std::unique_ptr<KeyState>> OpenOrInitKeys(Fs& fs, const std::string& data_dir,
                                                   const Clock& clock, bool* created) {
  *created = false;
  if (KeysPresent(fs, data_dir)) return KeyState::Open(fs, KeysDir(data_dir));
  StatusOr<std::vector<integrity::signing::Epoch>> head_files =
      integrity::signing::ListHeadFiles(fs, HeadsDir(data_dir));
  if (head_files.ok() && !head_files->empty()) {
    return Status::NotFound(
        "the data directory has signed tree heads in " + HeadsDir(data_dir) + " but no keys in " +
        KeysDir(data_dir) +
        ": refusing to create new keys, which would replace the trust anchor those heads were "
        "signed under. Restore the keys directory from backup");
  }
  KIROKU_RETURN_IF_ERROR(fs.CreateDirs(data_dir));
  auto keys = KeyState::Init(fs, KeysDir(data_dir), integrity::signing::KeyInitParams{}, clock);
  if (keys.ok()) *created = true;
  return keys;
}

std::string AnchorFingerprintText(const KeyState& keys) {
  return integrity::signing::FormatFingerprint(integrity::signing::Fingerprint(keys.root_anchor()));
}

}  // namespace kiroku::evidence
