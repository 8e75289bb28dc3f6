#include "cli/main.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "cli/import_command.h"
#include "cli/init_command.h"
#include "cli/investigate_command.h"
#include "cli/proof_command.h"
#include "cli/rules_command.h"
#include "cli/search_command.h"
#include "cli/serve.h"
#include "cli/serve_config.h"
#include "cli/sources_command.h"
#include "cli/verify_command.h"

namespace kiroku::cli {

namespace {

constexpr int kExitUsage = 2;

void SetUpServerLog(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("kiroku");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"kiroku: a central log server for investigating targeted attacks"};
  app.set_version_flag("--version", "kiroku 0.1.0");
  app.require_subcommand(1);

  // serve: every option comes from the one table in serve_config.cc.
  CLI::App* serve =
      app.add_subcommand("serve", "Receive syslog (UDP, TCP, TLS, RELP) into the journal");
  std::string config_file;
  serve->add_option("--config", config_file, "TOML config file; its keys are the flag names");
  std::map<std::string, std::string> given;
  for (const auto& o : ServeOptions()) {
    ServeConfig defaults;
    std::string def = o.get(defaults);
    std::string help = std::string(o.help) + (def.empty() ? "" : " [default: " + def + "]");
    if (o.repeatable) {
      serve
          ->add_option_function<std::vector<std::string>>(
              std::string("--") + o.name,
              [&given, name = std::string(o.name)](const std::vector<std::string>& v) {
                std::string joined;
                for (const std::string& item : v) joined += (joined.empty() ? "" : ",") + item;
                given[name] = joined;
              },
              help)
          ->type_name(o.value_name);
      continue;
    }
    serve
        ->add_option_function<std::string>(
            std::string("--") + o.name,
            [&given, name = std::string(o.name)](const std::string& v) { given[name] = v; }, help)
        ->type_name(o.value_name);
  }
  bool print_reference = false;
  serve->add_flag("--print-config-reference", print_reference,
                  "Print the Markdown table of every option (docs/configuration.md) and exit");

  SearchArgs search_args;
  CLI::App* search = AddSearchCommand(app, &search_args);

  InitArgs init_args;
  CLI::App* init = AddInitCommand(app, &init_args);

  VerifyArgs verify_args;
  CLI::App* verify = AddVerifyCommand(app, &verify_args);
  ProofArgs proof_args;
  ProofCommands proof = AddProofCommands(app, &proof_args);

  RulesArgs rules_args;
  CLI::App* rules_test = nullptr;
  AddRulesCommand(app, &rules_args, &rules_test);

  // Commands that register themselves (cli/command.h).
  std::vector<Command> commands;
  for (auto add : {AddSourcesCommands, AddImportCommands, AddInvestigateCommands}) {
    for (Command& c : add(app)) commands.push_back(std::move(c));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  if (*serve) {
    if (print_reference) {
      std::cout << ConfigReferenceMarkdown();
      return 0;
    }
    ServeConfig cfg;
    if (!config_file.empty()) {
      if (Status s = LoadTomlConfig(config_file, &cfg); !s.ok()) {
        std::cerr << "kiroku serve: " << s.message() << "\n";
        return kExitUsage;
      }
    }
    for (const auto& [name, value] : given) {
      if (Status s = ApplyOption(&cfg, name, value); !s.ok()) {
        std::cerr << "kiroku serve: " << s.message() << "\n";
        return kExitUsage;
      }
    }
    if (Status s = Validate(cfg); !s.ok()) {
      std::cerr << "kiroku serve: " << s.message() << "\n";
      return kExitUsage;
    }
    SetUpServerLog(cfg.log_level);
    return RunServe(cfg);
  }
  if (*init) {
    return RunInitCommand(init_args, PosixFs::Default(), RealClock::Instance(), std::cout,
                          std::cerr);
  }
  if (*search) return RunSearchCommand(search_args);
  if (*verify) return RunVerifyCommand(verify_args);
  if (*proof.inclusion) return RunInclusionProof(proof_args);
  if (*proof.consistency) return RunConsistencyProof(proof_args);
  if (*proof.verify_proof) return RunVerifyProof(proof_args);
  if (*rules_test) return RunRulesTest(rules_args, std::cin, std::cout, std::cerr);
  for (const Command& c : commands) {
    if (*c.app) return c.run();
  }
  return kExitUsage;
}

}  // namespace kiroku::cli
