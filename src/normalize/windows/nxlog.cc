// NXLog im_msvistalog records converted with to_json(): one flat JSON object whose keys are
// the event's System fields (EventID, Hostname, Channel, SourceName, EventType, Message, ...)
// and its EventData names (SubjectUserName, TargetUserName, ObjectDN, "Threat Name", ...).
// Sent as the whole message after a syslog header (om_tcp/om_udp with to_syslog_bsd()) or as a
// bare line. Only a message that names "EventID" is parsed at all.

#include <nlohmann/json.hpp>

#include "normalize/text.h"
#include "normalize/windows/internal/win_event.h"
#include "normalize/windows/windows.h"

namespace kiroku::normalize {
namespace {

// EventID is a number in NXLog's JSON; some pipelines turn it into a string.
int64_t EventIdOf(const nlohmann::json& v) {
  if (v.is_number_unsigned() || v.is_number_integer()) {
    int64_t id = v.get<int64_t>();
    return id >= 0 && id <= 0xFFFF ? id : -1;
  }
  if (v.is_string()) {
    std::optional<int64_t> id = ParseInt(v.get_ref<const std::string&>());
    return id && *id >= 0 && *id <= 0xFFFF ? *id : -1;
  }
  return -1;
}

}  // namespace

bool NormalizeNxlogJson(const Input& in, const Config& /*config*/, Event* out) {
  std::string_view m = Trim(in.message);
  if (m.empty() || m.back() != '}' || m.find("\"EventID\"") == std::string_view::npos) {
    return false;
  }
  const size_t open = m.find('{');
  if (open == std::string_view::npos) return false;
  m.remove_prefix(open);
  nlohmann::json j = nlohmann::json::parse(m.begin(), m.end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  auto id = j.find("EventID");
  if (id == j.end()) return false;

  internal::WinEvent w;
  w.format = "nxlog";
  w.id = EventIdOf(*id);
  if (w.id < 0) return false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_string()) continue;
    const std::string& v = it.value().get_ref<const std::string&>();
    const std::string& k = it.key();
    if (k == "Channel") {
      w.channel = v;
    } else if (k == "SourceName") {
      w.provider = v;
    } else if (k == "Message") {
      w.message = v;
    } else if (k == "EventType") {
      if (v == "AUDIT_SUCCESS") w.audit = "success";
      if (v == "AUDIT_FAILURE") w.audit = "failure";
    } else {
      w.Set(k, v);
    }
  }
  internal::MapWinEvent(w, out);
  return true;
}

}  // namespace kiroku::normalize
