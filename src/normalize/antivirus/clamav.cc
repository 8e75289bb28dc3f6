#include "normalize/antivirus/clamav.h"

#include "normalize/antivirus/internal/clamav_common.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::AddClamavBase;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool IsUnsigned(std::string_view s) { return IsIntegerText(s) && s[0] != '-'; }

// Paths in bare lines: absolute, relative with "./", or a Windows drive.
bool LooksLikePath(std::string_view p) {
  if (StartsWith(p, "/") || StartsWith(p, "./") || StartsWith(p, "../")) return true;
  return p.size() >= 3 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
         p[1] == ':' && (p[2] == '\\' || p[2] == '/');
}

// clamd names streams, not files: "instream(127.0.0.1@41234)", "fd[12]".
bool IsStreamName(std::string_view p) { return StartsWith(p, "instream(") || StartsWith(p, "fd["); }

void AddPath(std::string_view path, Event* out) {
  if (IsStreamName(path)) return;
  out->Add(Field::kFilePath, path);
  size_t slash = path.find_last_of("/\\");
  if (slash != std::string_view::npos) out->Add(Field::kFileName, path.substr(slash + 1));
}

// "PATH: NAME[(md5:size)] FOUND"
bool ParseFound(std::string_view msg, bool bare, Event* out) {
  if (!EndsWith(msg, " FOUND")) return false;
  std::string_view head = msg.substr(0, msg.size() - 6);
  size_t colon = head.rfind(": ");
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view path = head.substr(0, colon);
  std::string_view name = head.substr(colon + 2);
  if (name.size() > 1 && name.back() == ')') {
    size_t open = name.rfind('(');
    if (open == std::string_view::npos || name.find(':', open) == std::string_view::npos) {
      return false;
    }
    name = name.substr(0, open);
  }
  if (name.empty() || name.find_first_of(" ()") != std::string_view::npos) return false;
  if (bare && !LooksLikePath(path)) return false;
  AddClamavBase("clamav", out);
  out->Add(Field::kEventAction, "malware-detected");
  out->Add(Field::kThreatSoftwareName, name);
  AddPath(path, out);
  return true;
}

// One line of clamscan's summary block; only the shapes clamscan prints.
bool IsSummaryLine(std::string_view msg) {
  if (msg == "----------- SCAN SUMMARY -----------") return true;
  for (std::string_view key : {"Known viruses: ", "Scanned directories: ", "Scanned files: ",
                               "Infected files: ", "Total errors: "}) {
    if (StartsWith(msg, key)) return IsUnsigned(msg.substr(key.size()));
  }
  if (StartsWith(msg, "Engine version: ")) {
    std::string_view v = msg.substr(16);
    if (v.empty()) return false;
    for (char c : v) {
      if (!((c >= '0' && c <= '9') || c == '.' || (c >= 'a' && c <= 'z') || c == '-')) {
        return false;
      }
    }
    return v[0] >= '0' && v[0] <= '9';
  }
  for (std::string_view key : {"Data scanned: ", "Data read: "}) {
    if (!StartsWith(msg, key)) continue;
    std::string_view v = msg.substr(key.size());
    size_t sp = v.find(' ');
    if (sp == std::string_view::npos || sp == 0 || v[0] < '0' || v[0] > '9') return false;
    std::string_view unit = v.substr(sp + 1);
    unit = unit.substr(0, unit.find(' '));
    return unit == "B" || unit == "KB" || unit == "MB" || unit == "GB";
  }
  if (StartsWith(msg, "Time: ")) {
    size_t sec = msg.find(" sec (");
    return sec != std::string_view::npos && msg.back() == ')' && msg[6] >= '0' && msg[6] <= '9';
  }
  for (std::string_view key : {"Start Date: ", "End Date: "}) {
    if (!StartsWith(msg, key)) continue;
    std::string_view d = msg.substr(key.size());
    return d.size() == 19 && d[4] == ':' && d[7] == ':' && d[10] == ' ' && d[13] == ':' &&
           d[16] == ':';
  }
  return false;
}

// "PATH: REASON ERROR": clamd could not scan that file.
bool IsScanError(std::string_view msg) {
  if (!EndsWith(msg, " ERROR")) return false;
  size_t colon = msg.find(": ");
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view path = msg.substr(0, colon);
  return LooksLikePath(path) || IsStreamName(path);
}

// clamd's own status lines.
void ParseClamdStatus(std::string_view msg, Event* out) {
  bool error = false, warning = false;
  msg = internal::StripLevel(msg, &error, &warning);
  if (msg == "SelfCheck: Database status OK.") {
    out->Add(Field::kEventAction, "self-check");
    out->Add(Field::kEventOutcome, "success");
  } else if (StartsWith(msg, "SelfCheck: Database modification detected")) {
    out->Add(Field::kEventAction, "self-check");
  } else if (StartsWith(msg, "Database correctly reloaded (")) {
    out->Add(Field::kEventAction, "signature-reloaded");
    out->Add(Field::kEventOutcome, "success");
  } else if (!error && !warning && IsScanError(msg)) {
    size_t colon = msg.find(": ");
    std::string_view path = msg.substr(0, colon);
    out->Add(Field::kEventAction, "scan-error");
    out->Add(Field::kEventOutcome, "failure");
    out->Add(Field::kEventReason, msg.substr(colon + 2, msg.size() - colon - 8));
    AddPath(path, out);
  }
}

}  // namespace

bool NormalizeClamav(const Input& in, const Config& /*config*/, Event* out) {
  bool named = in.app == "clamd" || in.app == "clamscan" || in.app == "clamdscan";
  if (!named && !in.app.empty()) return false;
  std::string_view msg = in.message;
  bool stamped = internal::SkipLogTime(&msg);
  if (ParseFound(msg, /*bare=*/!named, out)) return true;
  // A clean result ("PATH: OK") says nothing worth a record of its own.
  if (EndsWith(msg, ": OK")) return false;
  if (IsSummaryLine(msg)) {
    AddClamavBase("clamav", out);
    out->Add(Field::kEventAction, "scan-summary");
    return true;
  }
  if (!named && !stamped) return false;
  if (!named) {
    // A stamped log line that is not a detection: clamd's or freshclam's? Only clamd's own.
    if (msg != "SelfCheck: Database status OK." &&
        !StartsWith(msg, "SelfCheck: Database modification detected") &&
        !StartsWith(msg, "Database correctly reloaded (") && !IsScanError(msg)) {
      return false;
    }
  }
  AddClamavBase("clamav", out);
  ParseClamdStatus(msg, out);
  return true;
}

}  // namespace kiroku::normalize
