#include "investigate/mail_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "investigate/query_text.h"

namespace kiroku::investigate {

namespace {

using normalize::Field;

void AddUnique(std::vector<std::string>* list, std::string_view v) {
  for (const std::string& s : *list) {
    if (EqualsIgnoreCase(s, v)) return;
  }
  list->emplace_back(v);
}

Recipient* FindRecipient(Mail* m, std::string_view address) {
  for (Recipient& r : m->recipients) {
    if (EqualsIgnoreCase(r.address, address)) return &r;
  }
  m->recipients.push_back(Recipient{std::string(address), "", ""});
  return &m->recipients.back();
}

void SetIfEmpty(std::string* dst, std::string_view v) {
  if (dst->empty()) *dst = std::string(v);
}

// `needle` in `hay` as a whole address: not preceded by a character an address may hold.
bool ContainsAddress(std::string_view hay, std::string_view needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (!EqualsIgnoreCase(hay.substr(i, needle.size()), needle)) continue;
    char before = i == 0 ? ' ' : hay[i - 1];
    char after = i + needle.size() == hay.size() ? ' ' : hay[i + needle.size()];
    auto part = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == '_' || c == '+' || c == '@';
    };
    if (!part(before) && !part(after)) return true;
  }
  return false;
}

// The recipients a delivery line names in its own text (to=<a>, orig_to=<b>); the first value
// when none is found there (the normaliser puts the line's own recipient first).
std::vector<std::string> OwnRecipients(const EventRow& r, const std::vector<std::string>& to) {
  std::vector<std::string> own;
  for (const std::string& a : to) {
    if (ContainsAddress(r.message, a)) own.push_back(a);
  }
  if (own.empty() && !to.empty()) own.push_back(to.front());
  return own;
}

std::string Key(const Mail& m) { return m.host + '\x1f' + m.queue_id + '\x1f' + m.message_id; }

// Other mails (not in `known`) matching `field:value` for each value.
Status Related(const Context& ctx, std::string_view field, const std::vector<std::string>& values,
               std::set<std::string>* known, std::vector<Mail>* out) {
  for (const std::string& v : values) {
    std::vector<EventRow> rows;
    if (Status s =
            ctx.Find("observer.type:mail AND " + std::string(field) + ":" + Quoted(v), &rows);
        !s.ok()) {
      return s;
    }
    for (Mail& m : GroupMails(rows)) {
      if (known->insert(Key(m)).second) out->push_back(std::move(m));
    }
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const Mail& a, const Mail& b) { return a.first_ns < b.first_ns; });
  return Status::Ok();
}

std::string Joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

void WriteMailLine(const Mail& m, std::ostream& out) {
  std::vector<std::string> rcpts;
  for (const Recipient& r : m.recipients) rcpts.push_back(r.address);
  out << "  " << TimeText(m.first_ns) << "  " << m.host << " "
      << (m.queue_id.empty() ? "-" : m.queue_id) << "  from " << (m.from.empty() ? "-" : m.from)
      << "  to " << (rcpts.empty() ? "-" : Joined(rcpts));
  if (!m.message_id.empty()) out << "  message-id " << m.message_id;
  if (!m.attachments.empty()) out << "  attachments " << Joined(m.attachments);
  out << "\n";
}

nlohmann::ordered_json OneMailJson(const Mail& m) {
  nlohmann::ordered_json rcpts = nlohmann::ordered_json::array();
  for (const Recipient& r : m.recipients) {
    rcpts.push_back({{"address", r.address}, {"status", r.status}, {"reason", r.reason}});
  }
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const MailEventLine& e : m.events) {
    events.push_back({{"time", TimeText(e.time_ns)},
                      {"host", e.host},
                      {"action", e.action},
                      {"status", e.status},
                      {"detail", e.detail}});
  }
  return {{"host", m.host},
          {"queue_id", m.queue_id},
          {"message_id", m.message_id},
          {"from", m.from},
          {"subject", m.subject},
          {"client_ip", m.client_ip},
          {"client_user", m.client_user},
          {"first", TimeText(m.first_ns)},
          {"last", TimeText(m.last_ns)},
          {"recipients", std::move(rcpts)},
          {"attachments", m.attachments},
          {"events", std::move(events)}};
}

nlohmann::ordered_json MailsJson(const std::vector<Mail>& mails) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const Mail& m : mails) a.push_back(OneMailJson(m));
  return a;
}

}  // namespace

std::vector<Mail> GroupMails(const std::vector<EventRow>& rows) {
  std::vector<Mail> mails;
  std::map<std::string, size_t> index;
  for (const EventRow& r : rows) {
    std::string queue(r.Get(Field::kEmailQueueId));
    // Lines without a queue id (a NOQUEUE reject) are each a mail of their own.
    std::string key = r.host + '\x1f' + (queue.empty() ? "#" + std::to_string(r.seq) : queue);
    auto [it, fresh] = index.try_emplace(key, mails.size());
    if (fresh) {
      mails.emplace_back();
      mails.back().host = r.host;
      mails.back().queue_id = queue;
      mails.back().first_ns = r.time_ns;
    }
    Mail& m = mails[it->second];
    m.first_ns = std::min(m.first_ns, r.time_ns);
    m.last_ns = std::max(m.last_ns, r.time_ns);
    SetIfEmpty(&m.message_id, r.Get(Field::kEmailMessageId));
    SetIfEmpty(&m.from, r.Get(Field::kEmailFromAddress));
    SetIfEmpty(&m.subject, r.Get(Field::kEmailSubject));
    SetIfEmpty(&m.client_ip, r.Get(Field::kSourceIp));
    SetIfEmpty(&m.client_user, r.Get(Field::kUserName));
    r.event.ForEach(Field::kEmailAttachmentsFileName,
                    [&](std::string_view a) { AddUnique(&m.attachments, a); });
    std::string_view status = r.Get(Field::kEmailDeliveryStatus);
    std::vector<std::string> to = r.All(Field::kEmailToAddress);
    for (const std::string& a : to) FindRecipient(&m, a);
    // The correlator gives every line of a mail all its recipients; a status belongs only to
    // the recipients the line itself names.
    if (!status.empty()) to = OwnRecipients(r, to);
    for (const std::string& a : to) {
      if (status.empty()) break;
      Recipient* rc = FindRecipient(&m, a);
      rc->status = std::string(status);
      rc->reason = std::string(r.Get(Field::kEventReason));
    }
    MailEventLine e;
    e.time_ns = r.time_ns;
    e.host = r.host;
    e.action = std::string(r.Get(Field::kEventAction));
    e.status = std::string(status.empty() ? r.Get(Field::kEventOutcome) : status);
    if (!status.empty()) {
      for (const std::string& a : to) e.detail += (e.detail.empty() ? "" : ",") + a;
    }
    if (r.Has(Field::kEventReason)) {
      e.detail += (e.detail.empty() ? "" : " ") + std::string(r.Get(Field::kEventReason));
    }
    m.events.push_back(std::move(e));
  }
  return mails;
}

StatusOr<MailReport> InvestigateMail(const Context& ctx, const MailQuery& q) {
  int given = !q.message_id.empty() + !q.attachment.empty() + !q.sender.empty();
  if (given != 1) {
    return Status::InvalidArgument("give exactly one of --message-id, --attachment or --sender");
  }
  MailReport report;
  std::string query;
  if (!q.message_id.empty()) {
    std::string id = q.message_id;
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    report.selector = "message-id";
    report.value = id;
    query = "email.message_id:" + Quoted(id);
  } else if (!q.attachment.empty()) {
    report.selector = "attachment";
    report.value = q.attachment;
    query = "email.attachments.file.name:" + Quoted(q.attachment);
  } else {
    report.selector = "sender";
    report.value = q.sender;
    query = "email.from.address:" + Quoted(q.sender);
  }
  std::vector<EventRow> rows;
  if (Status s = ctx.Find("observer.type:mail AND (" + query + ")", &rows); !s.ok()) return s;
  report.mails = GroupMails(rows);

  std::set<std::string> known;
  std::vector<std::string> senders;
  std::vector<std::string> attachments;
  for (const Mail& m : report.mails) {
    known.insert(Key(m));
    if (!m.from.empty()) AddUnique(&senders, m.from);
    for (const std::string& a : m.attachments) AddUnique(&attachments, a);
  }
  if (Status s = Related(ctx, "email.from.address", senders, &known, &report.same_sender);
      !s.ok()) {
    return s;
  }
  if (Status s =
          Related(ctx, "email.attachments.file.name", attachments, &known, &report.same_attachment);
      !s.ok()) {
    return s;
  }
  return report;
}

void WriteMailText(const MailReport& report, std::ostream& out) {
  out << "Mails with " << report.selector << " " << report.value << ": " << report.mails.size()
      << "\n";
  for (const Mail& m : report.mails) {
    out << "\n" << (m.queue_id.empty() ? "(no queue id)" : m.queue_id) << " on " << m.host << "\n";
    out << "  message-id   " << (m.message_id.empty() ? "-" : m.message_id) << "\n";
    out << "  from         " << (m.from.empty() ? "-" : m.from) << "\n";
    if (!m.subject.empty()) out << "  subject      " << m.subject << "\n";
    if (!m.client_ip.empty() || !m.client_user.empty()) {
      out << "  client       " << (m.client_ip.empty() ? "-" : m.client_ip);
      if (!m.client_user.empty()) out << " user " << m.client_user;
      out << "\n";
    }
    out << "  first, last  " << TimeText(m.first_ns) << ", " << TimeText(m.last_ns) << "\n";
    out << "  attachments  " << (m.attachments.empty() ? "-" : Joined(m.attachments)) << "\n";
    out << "  recipients   " << m.recipients.size() << "\n";
    for (const Recipient& r : m.recipients) {
      out << "    " << r.address << "  " << (r.status.empty() ? "-" : r.status);
      if (!r.reason.empty()) out << "  (" << r.reason << ")";
      out << "\n";
    }
    out << "  events\n";
    for (const MailEventLine& e : m.events) {
      out << "    " << TimeText(e.time_ns) << "  " << e.host << "  "
          << (e.action.empty() ? "-" : e.action) << "  " << (e.status.empty() ? "-" : e.status);
      if (!e.detail.empty()) out << "  " << e.detail;
      out << "\n";
    }
  }
  out << "\nOther mails from the same sender: " << report.same_sender.size() << "\n";
  for (const Mail& m : report.same_sender) WriteMailLine(m, out);
  out << "\nOther mails with the same attachment name: " << report.same_attachment.size() << "\n";
  for (const Mail& m : report.same_attachment) WriteMailLine(m, out);
}

nlohmann::ordered_json MailJson(const MailReport& report) {
  return {{"selector", report.selector},
          {"value", report.value},
          {"mails", MailsJson(report.mails)},
          {"same_sender", MailsJson(report.same_sender)},
          {"same_attachment", MailsJson(report.same_attachment)}};
}

}  // namespace kiroku::investigate
