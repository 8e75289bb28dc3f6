#include "cli/init_command.h"

#include <ostream>

#include "cli/serve_config.h"
#include "evidence/key_setup.h"
#include "integrity/signing/key_files.h"
#include "integrity/signing/key_state.h"
#include "integrity/signing/trust_anchor.h"

namespace kiroku::cli {

namespace {

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr int64_t kYearNs = int64_t{365} * 86400 * kSecondNs;

// ParseDuration plus "y" (365 days), for horizons.
StatusOr<int64_t> ParseLongDuration(const std::string& text) {
  if (!text.empty() && text.back() == 'y') {
    StatusOr<int64_t> years = ParseDuration(text.substr(0, text.size() - 1), kYearNs);
    if (years.ok()) return years;
  }
  return ParseDuration(text);
}

int RunRollover(const InitArgs& args, int64_t horizon_ns, Fs& fs, std::ostream& out,
                std::ostream& err) {
  if (!evidence::KeysPresent(fs, args.data)) {
    err << "kiroku init --rollover: no keys in " << evidence::KeysDir(args.data)
        << " to extend; run kiroku init first\n";
    return 1;
  }
  auto keys = integrity::signing::KeyState::Open(fs, evidence::KeysDir(args.data));
  if (!keys.ok()) {
    err << "kiroku init --rollover: " << keys.status().ToString() << "\n";
    return keys.status().code() == Status::Code::kPermissionDenied ? 2 : 1;
  }
  const int64_t epoch_ns = int64_t{(*keys)->schedule().length_s} * kSecondNs;
  if (horizon_ns < epoch_ns) {
    err << "kiroku init --rollover: --horizon '" << args.horizon << "' is shorter than an epoch\n";
    return 2;
  }
  StatusOr<integrity::signing::TrustAnchor> next =
      (*keys)->Rollover(static_cast<uint64_t>(horizon_ns / epoch_ns));
  if (!next.ok()) {
    err << "kiroku init --rollover: " << next.status().ToString() << "\n";
    return 1;
  }
  const std::string file =
      JoinPath(evidence::KeysDir(args.data), integrity::signing::AnchorFileName(next->first_epoch));
  if (!args.anchor_out.empty()) {
    StatusOr<std::string> text = fs.ReadFile(file);
    Status s = text.ok() ? fs.WriteFileAtomic(args.anchor_out, *text) : text.status();
    if (!s.ok()) {
      err << "kiroku init --rollover: anchor extended, but --anchor-out: " << s.ToString() << "\n";
      return 1;
    }
  }
  out << "new anchor (rollover) fingerprint: "
      << integrity::signing::FormatFingerprint(integrity::signing::Fingerprint(*next)) << "\n";
  out << "covers epochs " << next->first_epoch.value << " to "
      << next->first_epoch.value + next->epoch_count - 1 << "\n";
  out << "anchor file: " << file << "\n";
  out << "Keep it next to the original anchor; verifiers follow the rollover from the "
         "original. Restart the server to load it.\n";
  return 0;
}

}  // namespace

CLI::App* AddInitCommand(CLI::App& app, InitArgs* args) {
  CLI::App* init = app.add_subcommand(
      "init", "Create the signing keys and the trust anchor (prints its fingerprint)");
  init->add_option("--data", args->data, "Data directory")->capture_default_str();
  init->add_option("--epoch", args->epoch,
                   "Lifetime of one signing key; each epoch's key is erased when it ends")
      ->capture_default_str();
  init->add_option("--horizon", args->horizon,
                   "How far ahead the anchor commits to keys (roll over before it ends; y = "
                   "365 days)")
      ->capture_default_str();
  init->add_option("--anchor-out", args->anchor_out,
                   "Also write the trust anchor to FILE (somewhere the server cannot write)");
  init->add_flag("--rollover", args->rollover,
                 "Extend existing keys by --horizon: a new anchor signed by the old horizon's "
                 "last key (restart the server afterwards)");
  return init;
}

int RunInitCommand(const InitArgs& args, Fs& fs, const Clock& clock, std::ostream& out,
                   std::ostream& err) {
  StatusOr<int64_t> epoch = ParseDuration(args.epoch);
  if (!epoch.ok() || *epoch < kSecondNs || *epoch % kSecondNs != 0 ||
      *epoch / kSecondNs > UINT32_MAX) {
    err << "kiroku init: --epoch '" << args.epoch
        << "': expected a whole number of seconds, at least 1s (e.g. 1h)\n";
    return 2;
  }
  StatusOr<int64_t> horizon = ParseLongDuration(args.horizon);
  if (!horizon.ok() || *horizon < *epoch) {
    err << "kiroku init: --horizon '" << args.horizon
        << "': expected a duration of at least one epoch (e.g. 10y)\n";
    return 2;
  }
  const std::string keys_dir = evidence::KeysDir(args.data);
  if (args.rollover) return RunRollover(args, *horizon, fs, out, err);
  if (evidence::KeysPresent(fs, args.data)) {
    err << "kiroku init: keys already exist in " << keys_dir
        << "; nothing was changed (an existing trust anchor is never replaced)\n";
    return 1;
  }
  if (Status s = fs.CreateDirs(args.data); !s.ok()) {
    err << "kiroku init: " << s.ToString() << "\n";
    return 1;
  }
  integrity::signing::KeyInitParams params;
  params.epoch_seconds = static_cast<uint32_t>(*epoch / kSecondNs);
  params.horizon_epochs = static_cast<uint64_t>(*horizon / *epoch);
  auto keys = integrity::signing::KeyState::Init(fs, keys_dir, params, clock);
  if (!keys.ok()) {
    if (keys.status().code() == Status::Code::kAlreadyExists) {
      err << "kiroku init: keys already exist in " << keys_dir << "; nothing was changed\n";
    } else {
      err << "kiroku init: " << keys.status().ToString() << "\n";
    }
    return 1;
  }
  const integrity::signing::TrustAnchor& anchor = (*keys)->root_anchor();
  if (!args.anchor_out.empty()) {
    if (Status s =
            fs.WriteFileAtomic(args.anchor_out, integrity::signing::TrustAnchorToJson(anchor));
        !s.ok()) {
      err << "kiroku init: keys created, but --anchor-out: " << s.ToString() << "\n";
      return 1;
    }
  }
  out << "trust anchor fingerprint: " << evidence::AnchorFingerprintText(**keys) << "\n";
  out << "anchor file: " << evidence::AnchorPath(args.data) << "\n";
  if (!args.anchor_out.empty()) out << "anchor copy: " << args.anchor_out << "\n";
  out << "epochs: " << params.horizon_epochs << " of " << params.epoch_seconds << " s from "
      << anchor.schedule.start_s << " (Unix time)\n";
  out << "Copy the anchor file somewhere the server cannot write and keep the fingerprint: "
         "`kiroku verify --anchor FILE` checks the log against it.\n";
  return 0;
}

}  // namespace kiroku::cli
