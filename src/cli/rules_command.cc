#include "cli/rules_command.h"

#include <iostream>

#include "common/clock.h"
#include "common/fs.h"
#include "normalize/all/normalizer.h"
#include "normalize/all/user_rules.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace kiroku::cli {

CLI::App* AddRulesCommand(CLI::App& app, RulesArgs* args, CLI::App** test) {
  CLI::App* rules = app.add_subcommand("rules", "Work with user normalisation rules");
  rules->require_subcommand(1);
  *test = rules->add_subcommand("test", "Check a rules file and show the fields of sample lines");
  (*test)->add_option("FILE", args->file, "Rules file (TOML, docs/rules.md)")->required();
  (*test)
      ->add_option("SAMPLE", args->samples,
                   "Sample lines as sent (syslog header optional); - reads lines from stdin")
      ->required();
  return rules;
}

int RunRulesTest(const RulesArgs& args, std::istream& in, std::ostream& out, std::ostream& err) {
  StatusOr<std::string> text = PosixFs::Default().ReadFile(args.file);
  if (!text.ok()) {
    err << "kiroku rules test: " << text.status().ToString() << "\n";
    return 2;
  }
  StatusOr<normalize::UserRules> rules = normalize::UserRules::Parse(*text, args.file);
  if (!rules.ok()) {
    err << "kiroku rules test: " << rules.status().message() << "\n";
    return 2;
  }
  out << args.file << ": " << rules->rules().size() << " rule(s) ok\n";
  normalize::Normalizer builtin;

  std::vector<std::string> samples;
  for (const std::string& s : args.samples) {
    if (s != "-") {
      samples.push_back(s);
      continue;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) samples.push_back(line);
    }
  }
  syslog::ZoneRules zones;
  int unmatched = 0;
  for (const std::string& sample : samples) {
    RecordView r;
    r.seq = SeqNo{1};
    r.receive_time_ns = RealClock::Instance().NowNs();
    r.transport = Transport::kImport;
    r.raw = sample;
    r.original_length = static_cast<uint32_t>(sample.size());
    r.header = syslog::ParseSyslog(sample, r.receive_time_ns, zones, r.peer);
    normalize::Event event;
    const normalize::UserRule* hit = rules->Apply(normalize::Input::From(r), &event);
    out << "\n" << sample << "\n";
    if (!hit) {
      ++unmatched;
      bool builtin_hit = builtin.Normalize(r, &event);
      out << "  no rule matched";
      if (builtin_hit)
        out << " (the built-in normaliser " << event.Get(normalize::Field::kKirokuNormalizer)
            << " would take it)";
      out << "\n";
      continue;
    }
    out << "  rule " << hit->name << ":\n";
    for (const normalize::Event::Entry& e : event.entries()) {
      out << "    " << normalize::Info(e.field).name << " = " << event.Value(e) << "\n";
    }
    if (event.rejected() > 0) {
      out << "  warning: " << event.rejected()
          << " value(s) dropped: they did not fit their field's type (an IP field, a number)\n";
    }
  }
  return unmatched == 0 ? 0 : 1;
}

}  // namespace kiroku::cli
