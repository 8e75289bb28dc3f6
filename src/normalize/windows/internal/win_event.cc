#include "normalize/windows/internal/win_event.h"

#include <span>

#include "normalize/text.h"

namespace kiroku::normalize::internal {
namespace {

constexpr std::string_view kSecurityProvider = "Microsoft-Windows-Security-Auditing";
constexpr std::string_view kDefenderChannel = "Microsoft-Windows-Windows Defender/Operational";
constexpr std::string_view kTimeProvider = "Microsoft-Windows-Time-Service";

struct IdAction {
  int64_t id;
  std::string_view action;
};

// Account management (G-II.3): every one of them is a write by an administrator.
constexpr IdAction kAccountEvents[] = {
    {4720, "user-created"},         {4722, "user-enabled"},         {4723, "password-change"},
    {4724, "password-reset"},       {4725, "user-disabled"},        {4726, "user-deleted"},
    {4728, "group-member-added"},   {4729, "group-member-removed"}, {4732, "group-member-added"},
    {4733, "group-member-removed"}, {4738, "user-modified"},        {4740, "user-locked"},
    {4756, "group-member-added"},   {4757, "group-member-removed"}, {4767, "user-unlocked"},
};

constexpr IdAction kDefenderEvents[] = {
    {1000, "scan-started"},      {1001, "scan-finished"},           {1116, "malware-detected"},
    {1117, "malware-action"},    {1118, "malware-action"},          {1119, "malware-action"},
    {2000, "signature-updated"}, {2001, "signature-update-failed"}, {2002, "engine-updated"},
};

std::string_view Lookup(std::span<const IdAction> table, int64_t id) {
  for (const IdAction& e : table) {
    if (e.id == id) return e.action;
  }
  return {};
}

bool IsSecurity(const WinEvent& w) {
  return EqualsIgnoreCase(w.provider, kSecurityProvider) ||
         (w.provider.empty() && EqualsIgnoreCase(w.channel, "Security"));
}

bool IsDefender(const WinEvent& w) {
  return EqualsIgnoreCase(w.channel, kDefenderChannel) ||
         EqualsIgnoreCase(w.provider, "Microsoft-Windows-Windows Defender");
}

bool IsTimeService(const WinEvent& w) {
  return EqualsIgnoreCase(w.provider, kTimeProvider) || EqualsIgnoreCase(w.provider, "W32Time");
}

void AddOutcomeFromAudit(const WinEvent& w, Event* out) {
  if (!w.audit.empty()) out->Add(Field::kEventOutcome, w.audit);
}

// "DOMAIN\user" → user.name and user.domain; a bare name → user.name.
void AddQualifiedUser(std::string_view user, Event* out) {
  if (auto c = Cut(user, '\\')) {
    out->Add(Field::kUserDomain, c->before);
    out->Add(Field::kUserName, c->after);
  } else {
    out->Add(Field::kUserName, user);
  }
}

// Windows writes IPv4 peers of dual-stack sockets as "::ffff:10.0.0.5".
std::string_view PlainIp(std::string_view ip) {
  if (StartsWithIgnoreCase(ip, "::ffff:") && ip.find('.') != std::string_view::npos) {
    ip.remove_prefix(7);
  }
  return ip;
}

void MapAccount(const WinEvent& w, std::string_view action, Event* out) {
  out->Add(Field::kObserverType, "directory");
  out->AddUnique(Field::kEventCategory, "iam");
  out->Add(Field::kEventAction, action);
  AddOutcomeFromAudit(w, out);
  out->Add(Field::kUserName, w.Get("SubjectUserName"));
  out->Add(Field::kUserDomain, w.Get("SubjectDomainName"));
  const bool group = action.starts_with("group-member");
  if (group) {
    // EventData of the group events: TargetUserName is the group, MemberName the member's DN
    // (local groups often log only MemberSid).
    std::string_view member = w.Get("MemberName");
    out->Add(Field::kUserTargetName, member.empty() ? w.Get("MemberSid") : member);
    out->Add(Field::kGroupName, w.Get("TargetUserName"));
  } else {
    out->Add(Field::kUserTargetName, w.Get("TargetUserName"));
  }
  if (w.id == 4740) {
    // The caller computer is a NetBIOS name, never an address. NXLog carries it in
    // TargetDomainName (the EventData name); Snare's text labels it.
    std::string_view caller = w.Get("CallerComputerName");
    if (caller.empty()) caller = w.Get("TargetDomainName");
    out->Add(Field::kSourceDomain, caller);
  }
  out->AddBool(Field::kKirokuAdmin, true);
}

void MapDirectoryChange(const WinEvent& w, Event* out) {
  out->Add(Field::kObserverType, "directory");
  out->AddUnique(Field::kEventCategory, "iam");
  out->Add(Field::kEventAction, "modify");
  AddOutcomeFromAudit(w, out);
  out->Add(Field::kUserName, w.Get("SubjectUserName"));
  out->Add(Field::kUserDomain, w.Get("SubjectDomainName"));
  out->Add(Field::kLdapDn, w.Get("ObjectDN"));
  std::string_view op = w.Get("OperationType");
  std::string_view verb;
  if (op == "%%14674" || EqualsIgnoreCase(op, "Value Added")) verb = "Value Added";
  if (op == "%%14675" || EqualsIgnoreCase(op, "Value Deleted")) verb = "Value Deleted";
  std::string_view attr = w.Get("AttributeLDAPDisplayName");
  if (!attr.empty()) {
    std::string reason;
    if (!verb.empty()) {
      reason.append(verb).append(": ");
    }
    reason.append(attr);
    std::string_view value = w.Get("AttributeValue");
    if (!value.empty()) reason.append(" = ").append(value);
    out->Add(Field::kEventReason, reason);
  }
  out->AddBool(Field::kKirokuAdmin, true);
}

// 4624 / 4625 (G-II.3: who logged on where, from which address). The account is the "New
// Logon" (4624) or "Account For Which Logon Failed" (4625), not the Subject (the service that
// asked).
void MapLogon(const WinEvent& w, Event* out) {
  const bool ok = w.id == 4624;
  out->Add(Field::kObserverType, "directory");
  out->AddUnique(Field::kEventCategory, "authentication");
  out->Add(Field::kEventAction, ok ? "logon" : "logon-failed");
  out->Add(Field::kEventOutcome, ok ? "success" : "failure");
  out->Add(Field::kUserName, w.Get("TargetUserName"));
  out->Add(Field::kUserDomain, w.Get("TargetDomainName"));
  std::string_view ip = PlainIp(w.Get("IpAddress"));
  if (IsIpText(ip)) out->Add(Field::kSourceIp, ip);
  std::string_view port = w.Get("IpPort");
  if (IsIntegerText(port) && port != "0") out->Add(Field::kSourcePort, port);
  out->Add(Field::kSourceDomain, w.Get("WorkstationName"));
  if (!ok) out->Add(Field::kEventReason, w.Get("FailureReason"));
}

void MapShare(const WinEvent& w, Event* out) {
  out->Add(Field::kObserverType, "fileserver");
  out->AddUnique(Field::kEventCategory, "file");
  out->Add(Field::kEventAction, w.id == 5140 ? "share-access" : "share-object-access");
  AddOutcomeFromAudit(w, out);
  out->Add(Field::kUserName, w.Get("SubjectUserName"));
  out->Add(Field::kUserDomain, w.Get("SubjectDomainName"));
  std::string_view share = w.Get("ShareName");
  if (share.starts_with("\\\\*\\")) share.remove_prefix(4);
  out->Add(Field::kShareName, share);
  std::string_view ip = PlainIp(w.Get("IpAddress"));
  if (IsIpText(ip)) out->Add(Field::kSourceIp, ip);
  std::string_view port = w.Get("IpPort");
  if (IsIntegerText(port)) out->Add(Field::kSourcePort, port);
  if (w.id == 5145) out->Add(Field::kFilePath, w.Get("RelativeTargetName"));
  out->Add(Field::kNetworkProtocol, "smb");
}

// Defender writes resources as "file:_C:\x.exe", "containerfile:_C:\a.zip",
// "webfile:_C:\x.exe|https://...", several joined by "; ".
std::string_view DefenderPath(std::string_view p) {
  if (auto c = Cut(p, ';')) p = c->before;
  for (std::string_view prefix : {"file:_", "containerfile:_", "webfile:_"}) {
    if (StartsWithIgnoreCase(p, prefix)) {
      p.remove_prefix(prefix.size());
      if (auto c = Cut(p, '|')) p = c->before;
      return p;
    }
  }
  // Anything else (process:_pid:..., regkey:_...) is not a file.
  const bool drive = p.size() >= 3 && p[1] == ':' && p[2] == '\\';
  return drive || p.starts_with("\\\\") ? p : std::string_view();
}

void MapDefender(const WinEvent& w, std::string_view action, Event* out) {
  out->Add(Field::kObserverType, "antivirus");
  out->AddUnique(Field::kEventCategory, "malware");
  out->Add(Field::kEventAction, action);
  switch (w.id) {
    case 1001:
    case 1117:
    case 2000:
    case 2002:
      out->Add(Field::kEventOutcome, "success");
      break;
    case 1118:
    case 1119:
    case 2001:
      out->Add(Field::kEventOutcome, "failure");
      break;
    default:
      break;
  }
  out->Add(Field::kThreatSoftwareName, w.Get("Threat Name"));
  out->Add(Field::kFilePath, DefenderPath(w.Get("Path")));
  std::string_view user = w.Get("Detection User");
  if (user.empty()) user = w.Get("User");
  AddQualifiedUser(user, out);
  if (w.id >= 1117 && w.id <= 1119) out->Add(Field::kEventReason, w.Get("Action Name"));
  if (w.id == 2000) out->Add(Field::kPackageVersion, w.Get("Current Signature Version"));
  if (w.id == 2002) out->Add(Field::kPackageVersion, w.Get("Current Engine Version"));
}

bool MapTime(const WinEvent& w, Event* out) {
  std::string_view state;
  std::string_view server;
  const std::string_view m = w.message;
  switch (w.id) {
    case 35:
      state = "sync";
      if (auto c = Cut(m, "with the time source ")) server = W32TimeSource(c->after);
      break;
    case 37:
      state = "sync";
      if (auto c = Cut(m, "valid time data from ")) server = W32TimeSource(c->after);
      break;
    case 129:
    case 142:
      state = "lost";
      break;
    case 134:
      state = "lost";
      if (auto b = Between(m, "error on '", "'")) server = W32TimeSource(*b);
      break;
    default:
      return false;
  }
  out->Add(Field::kObserverType, "ntp");
  out->AddUnique(Field::kEventCategory, "host");
  out->Add(Field::kEventAction, "time-sync");
  out->Add(Field::kNtpState, state);
  out->Add(Field::kServerAddress, server);
  return true;
}

}  // namespace

std::string_view WinEvent::Get(std::string_view key) const {
  for (size_t i = 0; i < count; ++i) {
    if (values[i].key == key) {
      std::string_view v = Trim(values[i].value);
      if (!v.empty() && v != "-") return v;
    }
  }
  return {};
}

std::string_view W32TimeSource(std::string_view text) {
  text = Trim(text);
  size_t end = text.find_first_of(" ,'(");
  if (end != std::string_view::npos) text = text.substr(0, end);
  while (!text.empty() && text.back() == '.') text.remove_suffix(1);
  return text;
}

void MapWinEvent(const WinEvent& w, Event* out) {
  out->Add(Field::kKirokuNormalizer, w.format);
  out->Add(Field::kObserverVendor, "Microsoft");
  out->Add(Field::kObserverProduct, "Windows");
  out->AddInt(Field::kEventCode, w.id);
  if (IsSecurity(w)) {
    std::string_view action = Lookup(kAccountEvents, w.id);
    if (!action.empty()) {
      MapAccount(w, action, out);
    } else if (w.id == 4624 || w.id == 4625) {
      MapLogon(w, out);
    } else if (w.id == 5136) {
      MapDirectoryChange(w, out);
    } else if (w.id == 5140 || w.id == 5145) {
      MapShare(w, out);
    }
  } else if (IsDefender(w)) {
    std::string_view action = Lookup(kDefenderEvents, w.id);
    if (!action.empty()) MapDefender(w, action, out);
  } else if (IsTimeService(w)) {
    MapTime(w, out);
  }
}

}  // namespace kiroku::normalize::internal
