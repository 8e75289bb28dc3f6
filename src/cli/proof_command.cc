#include "cli/proof_command.h"

#include <iostream>
#include <optional>

#include "common/fs.h"
#include "verify/proof_builder.h"
#include "verify/proof_check.h"

namespace kiroku::cli {
namespace {

int Print(const StatusOr<std::string>& json, const char* what) {
  if (!json.ok()) {
    std::cerr << "kiroku proof " << what << ": " << json.status().message() << "\n";
    return json.status().code() == Status::Code::kCorruption ? 1 : 2;
  }
  std::cout << *json;
  return 0;
}

}  // namespace

ProofCommands AddProofCommands(CLI::App& app, ProofArgs* args) {
  ProofCommands c;
  CLI::App* proof = app.add_subcommand("proof", "Print a Merkle proof as JSON");
  proof->require_subcommand(1);
  c.inclusion = proof->add_subcommand("inclusion", "Prove a record is in a signed tree");
  c.inclusion->add_option("SEQ", args->seq, "Sequence number of the record")->required();
  c.inclusion->add_option("--data", args->data, "Data directory")->capture_default_str();
  c.inclusion->add_option("--size", args->size,
                          "Tree size of the signed head to prove against [default: the smallest "
                          "head covering SEQ]");
  c.consistency = proof->add_subcommand(
      "consistency", "Prove the tree of one signed head is a prefix of another's");
  c.consistency->add_option("OLD_SIZE", args->old_size, "Tree size of the older head")->required();
  c.consistency->add_option("NEW_SIZE", args->new_size, "Tree size of the newer head")->required();
  c.consistency->add_option("--data", args->data, "Data directory")->capture_default_str();
  c.verify_proof = app.add_subcommand(
      "verify-proof", "Check a proof with nothing but the trust anchor (exit 0 valid, 1 not)");
  c.verify_proof->add_option("FILE", args->file, "Proof JSON ('-' for stdin)")->required();
  c.verify_proof->add_option("--anchor", args->anchor, "Trust anchor file")->required();
  return c;
}

int RunInclusionProof(const ProofArgs& args) {
  std::optional<uint64_t> size;
  if (args.size != 0) size = args.size;
  return Print(verify::MakeInclusionProof(PosixFs::Default(), args.data, args.seq, size),
               "inclusion");
}

int RunConsistencyProof(const ProofArgs& args) {
  return Print(
      verify::MakeConsistencyProof(PosixFs::Default(), args.data, args.old_size, args.new_size),
      "consistency");
}

int RunVerifyProof(const ProofArgs& args) {
  PosixFs& fs = PosixFs::Default();
  StatusOr<std::string> proof =
      args.file == "-"
          ? StatusOr<std::string>(std::string(std::istreambuf_iterator<char>(std::cin), {}))
          : fs.ReadFile(args.file);
  if (!proof.ok()) {
    std::cerr << "kiroku verify-proof: " << proof.status().message() << "\n";
    return 2;
  }
  StatusOr<std::string> anchor = fs.ReadFile(args.anchor);
  if (!anchor.ok()) {
    std::cerr << "kiroku verify-proof: " << anchor.status().message() << "\n";
    return 2;
  }
  StatusOr<verify::ProofVerdict> v = verify::CheckProof(*proof, *anchor);
  if (!v.ok()) {
    std::cerr << "kiroku verify-proof: unreadable: " << v.status().message() << "\n";
    return 2;
  }
  if (!v->valid) {
    std::cout << "INVALID: " << v->reason << "\n";
    return 1;
  }
  std::cout << "VALID: " << v->summary << "\n";
  return 0;
}

}  // namespace kiroku::cli
