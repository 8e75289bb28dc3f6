// `kiroku proof inclusion SEQ`, `kiroku proof consistency OLD_SIZE NEW_SIZE` (JSON proofs on
// stdout, verify/proof_builder.h) and `kiroku verify-proof FILE --anchor FILE` (exit 0 valid,
// 1 invalid, 2 unreadable; verify/proof_check.h).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace kiroku::cli {

struct ProofArgs {
  std::string data = "kiroku-data";
  uint64_t seq = 0;
  uint64_t size = 0;  // 0: the smallest head covering seq
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::string file;
  std::string anchor;
};

struct ProofCommands {
  CLI::App* inclusion = nullptr;
  CLI::App* consistency = nullptr;
  CLI::App* verify_proof = nullptr;
};

ProofCommands AddProofCommands(CLI::App& app, ProofArgs* args);
int RunInclusionProof(const ProofArgs& args);
int RunConsistencyProof(const ProofArgs& args);
int RunVerifyProof(const ProofArgs& args);

}  // namespace kiroku::cli
