#include "normalize/schema.h"

#include <array>

namespace kiroku::normalize {
namespace {

using VT = ValueType;
using F = Field;

constexpr std::array<FieldInfo, kFieldCount> kInfos = {{
    {F::kEventCategory, "event.category", VT::kKeyword, true,
     "ECS category: network, web, iam, authentication, email, malware, database, file, host."},
    {F::kEventAction, "event.action", VT::kKeyword, false,
     "What happened, as a short kebab-case verb: deny, allow, login, modify, delivered, ..."},
    {F::kEventOutcome, "event.outcome", VT::kKeyword, false, "success, failure or unknown."},
    {F::kEventCode, "event.code", VT::kKeyword, false,
     "The vendor's message or event id: 106023, 4720, 1116, ..."},
    {F::kEventReason, "event.reason", VT::kText, false, "Why, in the device's own words."},
    {F::kNetworkDirection, "network.direction", VT::kKeyword, false,
     "inbound, outbound, internal or external: from the log, else from internal_networks."},
    {F::kNetworkTransport, "network.transport", VT::kKeyword, false, "tcp, udp, icmp, ..."},
    {F::kNetworkProtocol, "network.protocol", VT::kKeyword, false,
     "Application protocol, lower case: http, smtp, ldap, ..."},
    {F::kNetworkBytes, "network.bytes", VT::kInteger, false,
     "Bytes in both directions, when the log gives only a total."},
    {F::kSourceIp, "source.ip", VT::kIp, false, "Address the connection or request came from."},
    {F::kSourcePort, "source.port", VT::kInteger, false, "Source port."},
    {F::kSourceBytes, "source.bytes", VT::kInteger, false, "Bytes sent by the source."},
    {F::kSourceNatIp, "source.nat.ip", VT::kIp, false, "Source address after NAT."},
    {F::kSourceDomain, "source.domain", VT::kKeyword, false,
     "Host name of the source, when the log names a host rather than an address."},
    {F::kDestinationIp, "destination.ip", VT::kIp, false, "Address the connection went to."},
    {F::kDestinationPort, "destination.port", VT::kInteger, false, "Destination port."},
    {F::kDestinationBytes, "destination.bytes", VT::kInteger, false,
     "Bytes sent by the destination."},
    {F::kDestinationDomain, "destination.domain", VT::kKeyword, false,
     "Destination host name, when the log names it."},
    {F::kServerAddress, "server.address", VT::kKeyword, false,
     "A server the log names that is not a flow's peer, e.g. the NTP time server."},
    {F::kUserName, "user.name", VT::kKeyword, false,
     "Who acted: proxy, RADIUS, database or Windows user; the LDAP bind DN."},
    {F::kUserDomain, "user.domain", VT::kKeyword, false, "The user's domain."},
    {F::kUserTargetName, "user.target.name", VT::kKeyword, false,
     "The account an operation was done to (created, reset, locked, ...)."},
    {F::kGroupName, "group.name", VT::kKeyword, false, "The group a member was added to."},
    {F::kUrlFull, "url.full", VT::kKeyword, false, "The whole URL of a web request."},
    {F::kUrlDomain, "url.domain", VT::kKeyword, false, "Host name part of the URL."},
    {F::kUrlPath, "url.path", VT::kKeyword, false, "Path part of the URL."},
    {F::kHttpRequestMethod, "http.request.method", VT::kKeyword, false, "GET, POST, CONNECT, ..."},
    {F::kHttpResponseStatusCode, "http.response.status_code", VT::kInteger, false,
     "HTTP status code."},
    {F::kHttpResponseBytes, "http.response.bytes", VT::kInteger, false,
     "Bytes sent to the client."},
    {F::kHttpRequestReferrer, "http.request.referrer", VT::kKeyword, false, "Referer header."},
    {F::kUserAgentOriginal, "user_agent.original", VT::kText, false, "User-Agent header."},
    {F::kEmailFromAddress, "email.from.address", VT::kKeyword, false, "Envelope sender."},
    {F::kEmailToAddress, "email.to.address", VT::kKeyword, true, "Envelope recipients."},
    {F::kEmailMessageId, "email.message_id", VT::kKeyword, false,
     "Message-ID header, without the angle brackets."},
    {F::kEmailAttachmentsFileName, "email.attachments.file.name", VT::kKeyword, true,
     "Attachment file names (logged by header_checks/body_checks rules)."},
    {F::kEmailSubject, "email.subject", VT::kText, false, "Subject header, when logged."},
    {F::kEmailDeliveryStatus, "email.delivery_status", VT::kKeyword, false,
     "Per-recipient delivery status: sent, deferred, bounced, expired, rejected, ..."},
    {F::kEmailQueueId, "email.queue_id", VT::kKeyword, false,
     "MTA queue id; correlates the lines of one mail."},
    {F::kThreatSoftwareName, "threat.software.name", VT::kKeyword, false,
     "Name of the malware detected."},
    {F::kFilePath, "file.path", VT::kKeyword, false, "Full path of the file involved."},
    {F::kFileName, "file.name", VT::kKeyword, false, "File name without the directory."},
    {F::kPackageVersion, "package.version", VT::kKeyword, false,
     "Anti-malware pattern or signature version."},
    {F::kShareName, "kiroku.share.name", VT::kKeyword, false, "SMB share name (not in ECS)."},
    {F::kDbName, "db.name", VT::kKeyword, false, "Database name (not in ECS; as OpenTelemetry)."},
    {F::kDbStatement, "db.statement", VT::kText, false,
     "SQL statement (not in ECS; as OpenTelemetry)."},
    {F::kLdapDn, "kiroku.ldap.dn", VT::kKeyword, false,
     "The directory entry an LDAP operation touched (not in ECS)."},
    {F::kLdapSession, "kiroku.ldap.session", VT::kKeyword, false,
     "slapd connection and operation, \"conn=1000 op=2\" (not in ECS)."},
    {F::kNtpStratum, "kiroku.ntp.stratum", VT::kInteger, false, "Stratum of the time source."},
    {F::kNtpOffsetUs, "kiroku.ntp.offset_us", VT::kInteger, false,
     "Clock offset measured or applied, in microseconds."},
    {F::kNtpState, "kiroku.ntp.state", VT::kKeyword, false,
     "sync (synchronised to a source), lost (lost sync), step (clock stepped), status."},
    {F::kRuleName, "rule.name", VT::kKeyword, false,
     "The firewall rule, ACL or policy that decided."},
    {F::kObserverVendor, "observer.vendor", VT::kKeyword, false, "Vendor of the device."},
    {F::kObserverProduct, "observer.product", VT::kKeyword, false, "Product of the device."},
    {F::kObserverType, "observer.type", VT::kKeyword, false,
     "firewall, proxy, mail, directory, radius, antivirus, database, fileserver, ntp, windows."},
    {F::kKirokuAdmin, "kiroku.admin", VT::kBool, false,
     "The operation ran with administrator privilege (G-II.3)."},
    {F::kKirokuNormalizer, "kiroku.normalizer", VT::kKeyword, false,
     "Which normaliser or user rule produced the fields."},
}};

constexpr bool TableInOrder() {
  for (size_t i = 0; i < kInfos.size(); ++i) {
    if (static_cast<size_t>(kInfos[i].field) != i) return false;
  }
  return true;
}
static_assert(TableInOrder(), "kInfos must list the fields in enum order");

}  // namespace

const FieldInfo& Info(Field f) { return kInfos[static_cast<size_t>(f)]; }

std::span<const FieldInfo> AllFieldInfos() { return kInfos; }

std::optional<Field> FieldByName(std::string_view name) {
  for (const FieldInfo& i : kInfos) {
    if (i.name == name) return i.field;
  }
  return std::nullopt;
}

}  // namespace kiroku::normalize
