#include "normalize/windows/internal/snare_text.h"

#include "normalize/text.h"

namespace kiroku::normalize::internal {
namespace {

struct Label {
  std::string_view section;  // "" = in any section
  std::string_view label;
  std::string_view key;  // the EventData name
};

constexpr Label kLabels[] = {
    {"Subject", "Account Name", "SubjectUserName"},
    {"Subject", "Account Domain", "SubjectDomainName"},
    {"New Account", "Account Name", "TargetUserName"},
    {"New Account", "Account Domain", "TargetDomainName"},
    {"Target Account", "Account Name", "TargetUserName"},
    {"Target Account", "Account Domain", "TargetDomainName"},
    {"Account That Was Locked Out", "Account Name", "TargetUserName"},
    {"Account That Was Unlocked", "Account Name", "TargetUserName"},
    {"Member", "Account Name", "MemberName"},
    {"Member", "Security ID", "MemberSid"},
    {"Group", "Group Name", "TargetUserName"},
    {"Group", "Group Domain", "TargetDomainName"},
    {"Group", "Account Name", "TargetUserName"},
    {"Group", "Account Domain", "TargetDomainName"},
    {"Object", "DN", "ObjectDN"},
    {"Attribute", "LDAP Display Name", "AttributeLDAPDisplayName"},
    {"Attribute", "Value", "AttributeValue"},
    {"Operation", "Type", "OperationType"},
    {"Share Information", "Share Name", "ShareName"},
    {"Share Information", "Relative Target Name", "RelativeTargetName"},
    {"New Logon", "Account Name", "TargetUserName"},
    {"New Logon", "Account Domain", "TargetDomainName"},
    {"Account For Which Logon Failed", "Account Name", "TargetUserName"},
    {"Account For Which Logon Failed", "Account Domain", "TargetDomainName"},
    {"Logon Information", "Logon Type", "LogonType"},
    {"", "Logon Type", "LogonType"},  // before Windows 10 it stands outside any section
    {"Failure Information", "Failure Reason", "FailureReason"},
    {"Network Information", "Workstation Name", "WorkstationName"},
    {"Network Information", "Source Network Address", "IpAddress"},
    {"Network Information", "Source Address", "IpAddress"},
    {"Network Information", "Source Port", "IpPort"},
    {"Additional Information", "Caller Computer Name", "CallerComputerName"},
    // Defender's messages have no sections.
    {"", "Name", "Threat Name"},
    {"", "Path", "Path"},
    {"", "Action", "Action Name"},
    {"", "User", "User"},
    {"", "Current security intelligence Version", "Current Signature Version"},
    {"", "Current Signature Version", "Current Signature Version"},
    {"", "Current Engine Version", "Current Engine Version"},
};

void Emit(std::string_view section, std::string_view label, std::string_view value, WinEvent* w) {
  for (const Label& l : kLabels) {
    if (l.label == label && (l.section.empty() || l.section == section)) {
      w->Set(l.key, value);
      return;
    }
  }
}

// The next chunk: text up to a run of two or more blanks.
std::string_view NextChunk(std::string_view text, size_t* pos) {
  size_t p = *pos;
  while (p < text.size() && IsBlank(text[p])) ++p;
  const size_t start = p;
  while (p < text.size()) {
    if (IsBlank(text[p]) && (p + 1 == text.size() || IsBlank(text[p + 1]))) break;
    ++p;
  }
  *pos = p;
  return Trim(text.substr(start, p - start));
}

}  // namespace

void ParseSnareDescription(std::string_view text, WinEvent* w) {
  std::string_view section;
  std::string_view pending;  // a label whose value has not come yet
  size_t pos = 0;
  while (pos < text.size()) {
    std::string_view chunk = NextChunk(text, &pos);
    if (chunk.empty()) continue;
    if (chunk.back() == ':') {
      if (!pending.empty()) section = pending;  // a label right after a label: a section
      pending = Trim(chunk.substr(0, chunk.size() - 1));
      continue;
    }
    std::optional<CutResult> pair = Cut(chunk, ": ");
    if (pair) {
      if (!pending.empty()) section = pending;
      pending = {};
      // "Subject: Security ID: S-1-5-18" means the blanks were collapsed: which label owns
      // which value is no longer certain, so nothing is read from it.
      if (pair->after.find(": ") == std::string_view::npos) {
        Emit(section, Trim(pair->before), Trim(pair->after), w);
      }
      continue;
    }
    if (!pending.empty()) {
      Emit(section, pending, chunk, w);
      pending = {};
    }
  }
}

}  // namespace kiroku::normalize::internal
