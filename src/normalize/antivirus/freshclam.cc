#include "normalize/antivirus/freshclam.h"

#include "normalize/antivirus/internal/clamav_common.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "daily.cld", "main.cvd", "bytecode.cvd": the databases freshclam maintains.
bool IsDatabaseName(std::string_view s) {
  if (s.size() < 5) return false;
  std::string_view ext = s.substr(s.size() - 4);
  if (ext != ".cvd" && ext != ".cld") return false;
  for (char c : s.substr(0, s.size() - 4)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

// The N of "(version: N, sigs: ...)".
std::string_view VersionOf(std::string_view s) {
  auto v = Between(s, "(version: ", ",");
  if (!v || !IsIntegerText(*v) || (*v)[0] == '-') return {};
  return *v;
}

enum class Kind { kNone, kStarted, kUpdated, kUpToDate, kSummary, kFailed, kNotified };

struct Parsed {
  Kind kind = Kind::kNone;
  std::string_view database;
  std::string_view version;
  std::string_view server;
  std::string_view ip;
};

Parsed Parse(std::string_view msg, bool error) {
  Parsed p;
  if (StartsWith(msg, "ClamAV update process started at ")) {
    p.kind = Kind::kStarted;
    return p;
  }
  if (StartsWith(msg, "Database updated (")) {
    // "Database updated (8700000 signatures) from database.clamav.net (IP: 104.16.219.84)"
    auto from = Cut(msg, ") from ");
    if (!from) return p;
    p.kind = Kind::kSummary;
    std::string_view rest = from->after;
    size_t sp = rest.find(' ');
    p.server = rest.substr(0, sp);
    if (auto ip = Between(rest, "(IP: ", ")"); ip && IsIpText(*ip)) p.ip = *ip;
    return p;
  }
  if (StartsWith(msg, "Can't download ") || StartsWith(msg, "Update failed") ||
      StartsWith(msg, "Database update process failed") ||
      StartsWith(msg, "Incremental update failed") ||
      (error && StartsWith(msg, "Unexpected error when attempting to update"))) {
    p.kind = Kind::kFailed;
    if (StartsWith(msg, "Can't download ")) {
      std::string_view db = msg.substr(15);
      db = db.substr(0, db.find(' '));
      if (IsDatabaseName(db)) p.database = db;
    }
    return p;
  }
  if (msg == "Clamd successfully notified about the update.") {
    p.kind = Kind::kNotified;
    return p;
  }
  size_t sp = msg.find(' ');
  if (sp == std::string_view::npos || !IsDatabaseName(msg.substr(0, sp))) return p;
  std::string_view rest = msg.substr(sp + 1);
  if (StartsWith(rest, "updated (version: ")) {
    p.kind = Kind::kUpdated;
  } else if (StartsWith(rest, "database is up-to-date (version: ") ||
             StartsWith(rest, "database is up to date (version: ")) {
    p.kind = Kind::kUpToDate;
  } else {
    return p;
  }
  p.database = msg.substr(0, sp);
  p.version = VersionOf(rest);
  return p;
}

}  // namespace

bool NormalizeFreshclam(const Input& in, const Config& /*config*/, Event* out) {
  bool named = in.app == "freshclam";
  if (!named && !in.app.empty()) return false;
  std::string_view msg = in.message;
  internal::SkipLogTime(&msg);
  bool error = false, warning = false;
  msg = internal::StripLevel(msg, &error, &warning);
  Parsed p = Parse(msg, error);
  if (p.kind == Kind::kNone && !named) return false;
  internal::AddClamavBase("freshclam", out);
  switch (p.kind) {
    case Kind::kNone:
      return true;
    case Kind::kStarted:
      out->Add(Field::kEventAction, "signature-update-started");
      break;
    case Kind::kUpdated:
    case Kind::kSummary:
      out->Add(Field::kEventAction, "signature-updated");
      out->Add(Field::kEventOutcome, "success");
      break;
    case Kind::kUpToDate:
      out->Add(Field::kEventAction, "signature-up-to-date");
      out->Add(Field::kEventOutcome, "success");
      break;
    case Kind::kFailed:
      out->Add(Field::kEventAction, "signature-update-failed");
      out->Add(Field::kEventOutcome, "failure");
      out->Add(Field::kEventReason, msg);
      break;
    case Kind::kNotified:
      out->Add(Field::kEventAction, "clamd-notified");
      out->Add(Field::kEventOutcome, "success");
      break;
  }
  out->Add(Field::kFileName, p.database);
  out->Add(Field::kPackageVersion, p.version);
  out->Add(Field::kServerAddress, p.server);
  out->Add(Field::kDestinationIp, p.ip);
  return true;
}

}  // namespace kiroku::normalize
