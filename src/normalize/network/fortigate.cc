#include "normalize/network/fortigate.h"

#include "normalize/network/internal/flow.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

bool OneOf(std::string_view v, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (EqualsIgnoreCase(v, w)) return true;
  }
  return false;
}

}  // namespace

bool NormalizeFortigate(const Input& in, const Config& config, Event* out) {
  std::string_view m = Trim(in.message);
  // Every FortiOS log starts with date= (or logver= when relayed by FortiAnalyzer) and carries
  // a logid and the device id.
  if (!m.starts_with("date=") && !m.starts_with("logver=")) return false;
  if (m.find("logid=") == std::string_view::npos || m.find("devid=") == std::string_view::npos) {
    return false;
  }

  std::string_view type, subtype, logid, action, status, srcip, dstip, srcport, dstport, proto,
      user, policyname, policyid, sentbyte, rcvdbyte, virus, filename, hostname, url, msg, transip;
  KeyValueScanner kv(m, ' ', '=');
  for (std::string_view k, v; kv.Next(&k, &v);) {
    if (k == "type")
      type = v;
    else if (k == "subtype")
      subtype = v;
    else if (k == "logid")
      logid = v;
    else if (k == "action")
      action = v;
    else if (k == "status")
      status = v;
    else if (k == "srcip")
      srcip = v;
    else if (k == "dstip")
      dstip = v;
    else if (k == "srcport")
      srcport = v;
    else if (k == "dstport")
      dstport = v;
    else if (k == "proto")
      proto = v;
    else if (k == "user" || (k == "srcuser" && user.empty()) || (k == "unauthuser" && user.empty()))
      user = v;
    else if (k == "policyname")
      policyname = v;
    else if (k == "policyid")
      policyid = v;
    else if (k == "sentbyte")
      sentbyte = v;
    else if (k == "rcvdbyte")
      rcvdbyte = v;
    else if (k == "virus")
      virus = v;
    else if (k == "filename")
      filename = v;
    else if (k == "hostname")
      hostname = v;
    else if (k == "url")
      url = v;
    else if (k == "msg")
      msg = v;
    else if (k == "transip")
      transip = v;
  }
  if (type.empty() || logid.empty()) return false;

  internal::SetObserver(out, "fortigate", "Fortinet", "FortiGate");
  out->Add(Field::kEventCode, logid);

  bool traffic = type == "traffic";
  bool utm = type == "utm";
  if (utm && subtype == "virus") {
    out->Add(Field::kEventCategory, "malware");
    out->Add(Field::kThreatSoftwareName, virus);
    out->Add(Field::kFileName, filename);
  } else if (utm && subtype == "webfilter") {
    out->Add(Field::kEventCategory, "web");
  } else if (utm && subtype == "ips") {
    out->Add(Field::kEventCategory, "intrusion_detection");
  } else if (type == "event" && (FindIgnoreCase(action, "login") != std::string_view::npos ||
                                 FindIgnoreCase(action, "logout") != std::string_view::npos)) {
    out->Add(Field::kEventCategory, "authentication");
  } else if (type == "event") {
    out->Add(Field::kEventCategory, "host");
  }
  // traffic, utm and the other flow types (anomaly, dns, ...) are network events.
  if (type != "event") out->Add(Field::kEventCategory, "network");

  // Traffic actions: accept/deny decide; close, timeout, server-rst, client-rst, ip-conn end a
  // session the policy accepted.
  if (OneOf(action, {"accept", "pass", "passthrough", "allow", "permit"})) {
    out->Add(Field::kEventAction, "allow");
    out->Add(Field::kEventOutcome, "success");
  } else if (OneOf(action, {"deny", "block", "blocked", "dropped", "drop", "reject"})) {
    out->Add(Field::kEventAction, "deny");
    out->Add(Field::kEventOutcome, "failure");
  } else if (traffic && OneOf(action, {"close", "timeout", "server-rst", "client-rst"})) {
    internal::AddAction(out, action);
    out->Add(Field::kEventOutcome, "success");
  } else {
    internal::AddAction(out, action);
    if (OneOf(status, {"success", "succeeded"})) out->Add(Field::kEventOutcome, "success");
    if (OneOf(status, {"failed", "failure"})) out->Add(Field::kEventOutcome, "failure");
  }

  internal::AddEndpoint(out, true, srcip, srcport);
  internal::AddEndpoint(out, false, dstip, dstport);
  internal::AddTransport(out, proto);
  if (IsIpText(transip) && transip != srcip) out->Add(Field::kSourceNatIp, transip);
  internal::AddUser(out, user);
  out->Add(Field::kRuleName, policyname.empty() ? policyid : policyname);
  if (IsIntegerText(sentbyte)) out->Add(Field::kSourceBytes, sentbyte);
  if (IsIntegerText(rcvdbyte)) out->Add(Field::kDestinationBytes, rcvdbyte);
  if (utm && !url.empty()) {
    if (url.starts_with("http://") || url.starts_with("https://")) {
      out->Add(Field::kUrlFull, url);
    } else if (url[0] == '/') {
      out->Add(Field::kUrlPath, url);
    }
  }
  if (utm) out->Add(Field::kUrlDomain, hostname);
  if (!traffic) out->Add(Field::kEventReason, msg);
  if (IsIpText(srcip) && IsIpText(dstip)) {
    out->Add(Field::kNetworkDirection, config.Direction(srcip, dstip));
  }
  return true;
}

}  // namespace kiroku::normalize
