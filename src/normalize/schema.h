// The normalised schema: every field a device normaliser can add to a record, with its ECS name
// and type. One table (schema.cc) is the truth for the normalisers, the query language
// (query/fields.cc adds a row per field) and docs/schema.md.
//
// Fields are derived data: they are recomputed from the raw bytes whenever a record is read or
// sealed, never stored in the evidence and never hashed.
//
//   const FieldInfo& f = Info(Field::kSourceIp);   // {"source.ip", ValueType::kIp, ...}
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace kiroku::normalize {

enum class ValueType : uint8_t {
  kKeyword,  // one whole value, compared case-insensitively
  kText,     // free text, tokenized for search
  kInteger,  // decimal int64
  kIp,       // IPv4 or IPv6 address
  kBool,     // "true" / "false"
};

// Order here = order in docs/schema.md and in JSON output. Append-only is not required: the
// enum is never stored on disk (segments store field names).
enum class Field : uint8_t {
  // event
  kEventCategory,  // firewall: network; proxy: web; directory/radius: iam (+authentication);
                   // mail: email; antivirus: malware; db: database; file: file; ntp: host
  kEventAction,    // short verb, kebab-case: "deny", "allow", "login", "modify", "delivered", ...
  kEventOutcome,   // success | failure | unknown
  kEventCode,      // the vendor's message/event id: "106023", "4720", "1116", "313001"
  kEventReason,    // why, in the device's words: "Deny tcp src ...", "reject: RCPT from ..."
  // network
  kNetworkDirection,  // inbound | outbound | internal | external
  kNetworkTransport,  // tcp | udp | icmp | ... (lower case)
  kNetworkProtocol,   // application protocol, lower case: http, smtp, ldap, dns, ...
  kNetworkBytes,      // total bytes both ways when the log gives only a total
  // endpoints
  kSourceIp,
  kSourcePort,
  kSourceBytes,
  kSourceNatIp,
  kSourceDomain,  // host name of the source when the log names no address (Windows 4740 caller)
  kDestinationIp,
  kDestinationPort,
  kDestinationBytes,
  kDestinationDomain,
  kServerAddress,  // a server named by the log that is not the peer of a flow: the NTP server
  // who
  kUserName,  // who acted: the bind DN, the proxy/RADIUS/DB user, the Windows subject
  kUserDomain,
  kUserTargetName,  // whom it was done to: the account created, reset, locked, ...
  kGroupName,       // the group a member was added to
  // web
  kUrlFull,
  kUrlDomain,
  kUrlPath,
  kHttpRequestMethod,
  kHttpResponseStatusCode,
  kHttpResponseBytes,
  kHttpRequestReferrer,
  kUserAgentOriginal,
  // mail
  kEmailFromAddress,
  kEmailToAddress,            // list
  kEmailMessageId,            // without the angle brackets
  kEmailAttachmentsFileName,  // list
  kEmailSubject,
  kEmailDeliveryStatus,  // per recipient line: sent | deferred | bounced | expired | rejected | ...
  kEmailQueueId,         // Postfix/Sendmail/Exim queue id: the correlation key
  // malware, files
  kThreatSoftwareName,  // the malware name
  kFilePath,
  kFileName,
  kPackageVersion,  // anti-malware pattern/signature version
  kShareName,       // SMB share (Samba full_audit, Windows 5140/5145)
  // database
  kDbName,
  kDbStatement,
  // directory (LDAP)
  kLdapDn,       // the entry an LDAP operation touched
  kLdapSession,  // "conn=1000 op=2": correlation key for slapd stats lines
  // time sync
  kNtpStratum,
  kNtpOffsetUs,  // offset measured or applied, microseconds, signed (device clock minus source)
  kNtpState,     // sync | lost | step | status
  // rule / observer
  kRuleName,  // the firewall rule, ACL or policy that decided
  kObserverVendor,
  kObserverProduct,
  kObserverType,      // firewall | proxy | mail | directory | radius | antivirus | database |
                      // fileserver | ntp | windows
  kKirokuAdmin,       // the operation ran with administrator privilege (G-II.3)
  kKirokuNormalizer,  // which normaliser or user rule produced the fields: "netfilter", "asa", ...
  kCount_,            // not a field
};

inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount_);

struct FieldInfo {
  Field field;
  std::string_view name;  // ECS name, e.g. "source.ip"; kiroku's own under "kiroku."
  ValueType type;
  bool list;  // may hold several values (email.to.address, event.category, ...)
  std::string_view description;
};

const FieldInfo& Info(Field f);
std::span<const FieldInfo> AllFieldInfos();
std::optional<Field> FieldByName(std::string_view name);

}  // namespace kiroku::normalize
