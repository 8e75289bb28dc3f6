#include "verify/finding.h"

namespace kiroku::verify {

std::string_view KindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kModified:
      return "modified";
    case FindingKind::kMissing:
      return "missing";
    case FindingKind::kInserted:
      return "inserted";
    case FindingKind::kReordered:
      return "reordered";
    case FindingKind::kTruncated:
      return "truncated";
    case FindingKind::kForgedHead:
      return "forged head";
    case FindingKind::kWrongKey:
      return "wrong key";
    case FindingKind::kHeadsDeleted:
      return "heads deleted";
    case FindingKind::kHeadsOutOfOrder:
      return "heads out of order";
    case FindingKind::kResigned:
      return "re-signed with a later key";
    case FindingKind::kRolledBack:
      return "rolled back";
    case FindingKind::kForked:
      return "forked";
    case FindingKind::kTilesDamaged:
      return "tiles damaged";
    case FindingKind::kAnchorFromDataDir:
      return "anchor from the data directory";
    case FindingKind::kNoHeads:
      return "no signed heads";
    case FindingKind::kCutFile:
      return "cut file";
    case FindingKind::kUnsigned:
      return "not yet signed";
    case FindingKind::kCrashTail:
      return "signed after crash recovery";
    case FindingKind::kInProgress:
      return "write in progress";
  }
  return "unknown";
}

Severity SeverityOf(FindingKind kind) {
  switch (kind) {
    case FindingKind::kTilesDamaged:
    case FindingKind::kAnchorFromDataDir:
    case FindingKind::kNoHeads:
      return Severity::kWarning;
    case FindingKind::kCutFile:
    case FindingKind::kUnsigned:
    case FindingKind::kCrashTail:
    case FindingKind::kInProgress:
      return Severity::kInfo;
    default:
      return Severity::kTampered;
  }
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kTampered:
      return "tampered";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "unknown";
}

std::string SeqRange::ToString() const {
  if (first == last) return std::to_string(first);
  return std::to_string(first) + ".." + std::to_string(last);
}

bool Report::Tampered() const {
  for (const Finding& f : findings_) {
    if (SeverityOf(f.kind) == Severity::kTampered) return true;
  }
  return false;
}

std::string_view Report::Result() const {
  if (!error_.empty()) return "error";
  return Tampered() ? "tampered" : "intact";
}

int Report::ExitCode() const {
  if (!error_.empty()) return 2;
  return Tampered() ? 1 : 0;
}

}  // namespace kiroku::verify
