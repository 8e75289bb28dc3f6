#include "normalize/timesync/cisco_ntp.h"

#include "normalize/text.h"
#include "normalize/timesync/internal/ntp_common.h"

namespace kiroku::normalize {
namespace {

using internal::AddNtpState;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The address after `prefix` up to a blank or the end, when it is an IP.
void AddPeer(std::string_view text, std::string_view prefix, Event* out) {
  if (!StartsWith(text, prefix)) return;
  std::string_view peer = text.substr(prefix.size());
  peer = peer.substr(0, peer.find(' '));
  if (IsIpText(peer)) out->Add(Field::kServerAddress, peer);
}

}  // namespace

bool NormalizeCiscoNtp(const Input& in, const Config& /*config*/, Event* out) {
  std::string_view msg = in.message;
  if (!StartsWith(msg, "%NTP-")) return false;
  size_t colon = msg.find(": ");
  if (colon == std::string_view::npos) return false;
  std::string_view code = msg.substr(1, colon - 1);  // "NTP-5-PEERSYNC"
  // NTP-<severity digit>-<MNEMONIC>
  if (code.size() < 7 || code[4] < '0' || code[4] > '7' || code[5] != '-') return false;
  std::string_view mnemonic = code.substr(6);
  std::string_view text = msg.substr(colon + 2);
  internal::AddNtpBase("cisco-ntp", "Cisco IOS", out);
  out->Add(Field::kObserverVendor, "Cisco");
  out->Add(Field::kEventCode, code);
  if (mnemonic == "PEERSYNC") {
    AddNtpState("sync", out);
    AddPeer(text, "NTP synced to peer ", out);
  } else if (mnemonic == "PEERUNREACH") {
    AddNtpState("lost", out);
    AddPeer(text, "Peer ", out);
  } else if (mnemonic == "UNSYNC") {
    AddNtpState("lost", out);
  } else if (mnemonic == "PEERREACH") {
    AddNtpState("status", out);
    AddPeer(text, "Peer ", out);
  } else if (mnemonic == "RESTART" || mnemonic == "STOP") {
    AddNtpState("status", out);
  }
  return true;
}

}  // namespace kiroku::normalize
