#include "cli/investigate_command.h"

#include <iostream>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "engine/engine.h"
#include "engine/time_mode.h"
#include "investigate/activity_report.h"
#include "investigate/context.h"
#include "investigate/ip_report.h"
#include "investigate/mail_report.h"
#include "investigate/timeline.h"
#include "normalize/all/normalizer.h"

namespace kiroku::cli {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct InvestigateArgs {
  std::string data = "kiroku-data";
  std::string since;
  std::string until;
  std::string format = "text";
  std::string time = "corrected";  // engine/time_mode.h
  long long limit = -1;
  std::string value;  // ADDR, NAME or QUERY
  investigate::MailQuery mail;
};

void AddCommon(CLI::App* cmd, InvestigateArgs* args, const std::string& formats) {
  cmd->add_option("--data", args->data, "Data directory")->capture_default_str();
  cmd->add_option("--since", args->since, "From this time (RFC 3339, a date, or 15m/2h/7d ago)");
  cmd->add_option("--until", args->until, "Before this time (same forms)");
  cmd->add_option("--time", args->time,
                  "Time shown, ordered by and windowed: device, received, or corrected (device "
                  "time minus the source's clock offset where the clock watch has one)")
      ->check(CLI::IsMember({"device", "received", "corrected"}))
      ->capture_default_str();
  cmd->add_option("--format", args->format, formats)
      ->check(CLI::IsMember(formats == "table or json" ? std::vector<std::string>{"table", "json"}
                                                       : std::vector<std::string>{"text", "json"}))
      ->capture_default_str();
}

int Fail(std::string_view command, const Status& s) {
  std::cerr << "kiroku " << command << ": " << s.message() << "\n";
  return s.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailed;
}

// Opens the engine and the site's normaliser settings, then runs `body` with the context.
template <typename Body>
int WithContext(std::string_view command, const InvestigateArgs& args, Body&& body) {
  Fs& fs = PosixFs::Default();
  StatusOr<std::unique_ptr<engine::Engine>> engine = engine::Engine::Open(fs, args.data);
  if (!engine.ok()) return Fail(command, engine.status());
  StatusOr<std::unique_ptr<normalize::Normalizer>> normalizer =
      normalize::LoadNormalizer(fs, args.data);
  if (!normalizer.ok()) return Fail(command, normalizer.status());
  StatusOr<engine::TimeSelector> times =
      engine::TimeSelector::Load(fs, args.data, *engine::TimeModeFromName(args.time));
  if (!times.ok()) return Fail(command, times.status());
  investigate::Context ctx;
  ctx.times = &*times;
  ctx.engine = engine->get();
  ctx.config = &(*normalizer)->config();
  ctx.since = args.since;
  ctx.until = args.until;
  ctx.now_ns = RealClock::Instance().NowNs();
  std::ios::sync_with_stdio(false);
  Status s = body(ctx);
  std::cout.flush();
  return s.ok() ? kExitOk : Fail(command, s);
}

// text: 100 timeline rows for a person; json: all.
uint64_t TimelineLimit(const InvestigateArgs& args, bool table) {
  if (args.limit >= 0) return static_cast<uint64_t>(args.limit);
  return table ? 100 : 0;
}

int RunIp(const InvestigateArgs& args) {
  return WithContext("investigate ip", args, [&](const investigate::Context& ctx) -> Status {
    StatusOr<investigate::IpReport> r = investigate::InvestigateIp(ctx, args.value);
    if (!r.ok()) return r.status();
    if (args.format == "json") {
      std::cout << investigate::JsonText(investigate::IpJson(*r)) << "\n";
    } else {
      investigate::WriteIpText(*r, std::cout);
    }
    return Status::Ok();
  });
}

int RunMail(const InvestigateArgs& args) {
  return WithContext("investigate mail", args, [&](const investigate::Context& ctx) -> Status {
    StatusOr<investigate::MailReport> r = investigate::InvestigateMail(ctx, args.mail);
    if (!r.ok()) return r.status();
    if (args.format == "json") {
      std::cout << investigate::JsonText(investigate::MailJson(*r)) << "\n";
    } else {
      investigate::WriteMailText(*r, std::cout);
    }
    return Status::Ok();
  });
}

int RunActivity(const InvestigateArgs& args, bool user) {
  std::string_view name = user ? "investigate user" : "investigate host";
  return WithContext(name, args, [&](const investigate::Context& ctx) -> Status {
    uint64_t limit = TimelineLimit(args, args.format != "json");
    StatusOr<investigate::ActivityReport> r =
        user ? investigate::InvestigateUser(ctx, args.value, limit)
             : investigate::InvestigateHost(ctx, args.value, limit);
    if (!r.ok()) return r.status();
    if (args.format == "json") {
      std::cout << investigate::JsonText(investigate::ActivityJson(*r)) << "\n";
    } else {
      investigate::WriteActivityText(*r, std::cout);
    }
    return Status::Ok();
  });
}

int RunTimeline(const InvestigateArgs& args) {
  return WithContext("timeline", args, [&](const investigate::Context& ctx) -> Status {
    bool table = args.format != "json";
    uint64_t limit = TimelineLimit(args, table);
    std::vector<investigate::EventRow> rows;
    // One more than shown, to say whether the limit cut the view.
    if (Status s = ctx.Find(args.value, &rows, limit == 0 ? 0 : limit + 1); !s.ok()) return s;
    bool cut = limit != 0 && rows.size() > limit;
    if (cut) rows.resize(limit);
    if (table) {
      investigate::WriteTimelineTable(rows, std::cout);
    } else {
      investigate::WriteTimelineJson(rows, std::cout);
    }
    if (cut) {
      std::cerr << "kiroku timeline: showing the first " << limit
                << " events; --limit N shows more, --limit 0 all\n";
    }
    return Status::Ok();
  });
}

}  // namespace

std::vector<Command> AddInvestigateCommands(CLI::App& app) {
  auto args = std::make_shared<InvestigateArgs>();
  std::vector<Command> commands;

  CLI::App* inv = app.add_subcommand(
      "investigate", "Answer an investigator's question: ip, mail, user, host (read-only)");
  inv->require_subcommand(1);

  CLI::App* ip = inv->add_subcommand(
      "ip",
      "Internal hosts that talked to an address through the proxy or firewall, and their users");
  AddCommon(ip, args.get(), "text or json");
  ip->add_option("ADDR", args->value, "Address, CIDR or host name")->required();
  commands.push_back({ip, [args] { return RunIp(*args); }});

  CLI::App* mail = inv->add_subcommand(
      "mail", "A mail's events, recipients, delivery, attachments, and related mails");
  AddCommon(mail, args.get(), "text or json");
  auto* by_id = mail->add_option("--message-id", args->mail.message_id, "Message-ID (<> optional)");
  auto* by_att = mail->add_option("--attachment", args->mail.attachment, "Attachment file name");
  auto* by_from = mail->add_option("--sender", args->mail.sender, "Envelope sender address");
  by_id->excludes(by_att)->excludes(by_from);
  by_att->excludes(by_from);
  commands.push_back({mail, [args] { return RunMail(*args); }});

  for (bool user : {true, false}) {
    CLI::App* cmd = inv->add_subcommand(
        user ? "user" : "host",
        user ? "A user's logons, admin operations, malware, proxy and firewall activity"
             : "A host's logons, admin operations, malware, proxy and firewall activity");
    AddCommon(cmd, args.get(), "text or json");
    cmd->add_option("--limit", args->limit,
                    "Timeline rows (default: 100 for text, all for json; 0 = all)");
    cmd->add_option("NAME", args->value,
                    user ? "User name (or an LDAP DN)" : "Host name or address")
        ->required();
    commands.push_back({cmd, [args, user] { return RunActivity(*args, user); }});
  }

  CLI::App* timeline = app.add_subcommand(
      "timeline", "Events matching QUERY from every device, in one time-ordered view");
  auto targs = std::make_shared<InvestigateArgs>();
  targs->format = "table";
  AddCommon(timeline, targs.get(), "table or json");
  timeline->add_option("--limit", targs->limit,
                       "At most N events (default: 100 for table, all for json; 0 = all)");
  timeline->add_option("QUERY", targs->value, "Query (docs/query.md); empty matches everything");
  commands.push_back({timeline, [targs] { return RunTimeline(*targs); }});
  return commands;
}

}  // namespace kiroku::cli
