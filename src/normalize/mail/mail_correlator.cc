#include "normalize/mail/mail_correlator.h"

#include <algorithm>

#include "normalize/mail/mail.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

void SetOnce(std::string* slot, std::string_view value) {
  if (slot->empty() && !value.empty()) slot->assign(value);
}

void AddToList(std::vector<std::string>* list, std::string_view value) {
  if (value.empty()) return;
  for (const std::string& v : *list) {
    if (EqualsIgnoreCase(v, value)) return;
  }
  list->emplace_back(value);
}

void AddIfMissing(Event* e, Field f, const std::string& value) {
  if (!value.empty() && !e->Has(f)) e->Add(f, value);
}

}  // namespace

std::string MailCorrelator::Key(const RecordView& r, std::string_view queue_id) {
  std::string key(r.Field(r.header.host));
  key.push_back('\0');
  key.append(queue_id);
  return key;
}

void MailCorrelator::Observe(const RecordView& r, const Event& e) {
  std::string_view qid = e.Get(Field::kEmailQueueId);
  if (qid.empty()) return;
  Message& m = messages_[Key(r, qid)];
  SetOnce(&m.from, e.Get(Field::kEmailFromAddress));
  SetOnce(&m.message_id, e.Get(Field::kEmailMessageId));
  SetOnce(&m.subject, e.Get(Field::kEmailSubject));
  SetOnce(&m.client_ip, e.Get(Field::kSourceIp));
  SetOnce(&m.user, e.Get(Field::kUserName));
  e.ForEach(Field::kEmailAttachmentsFileName,
            [&](std::string_view v) { AddToList(&m.attachments, v); });
  // A recipient the server refused is not a recipient of the message.
  if (e.Get(Field::kEmailDeliveryStatus) != "rejected") {
    e.ForEach(Field::kEmailToAddress, [&](std::string_view v) { AddToList(&m.recipients, v); });
  }
}

void MailCorrelator::Enrich(const RecordView& r, Event* e) const {
  std::string_view qid = e->Get(Field::kEmailQueueId);
  if (qid.empty()) return;
  auto it = messages_.find(Key(r, qid));
  if (it == messages_.end()) return;
  const Message& m = it->second;
  AddIfMissing(e, Field::kEmailFromAddress, m.from);
  AddIfMissing(e, Field::kEmailMessageId, m.message_id);
  AddIfMissing(e, Field::kEmailSubject, m.subject);
  AddIfMissing(e, Field::kSourceIp, m.client_ip);
  AddIfMissing(e, Field::kUserName, m.user);
  for (const std::string& a : m.attachments) e->AddUnique(Field::kEmailAttachmentsFileName, a);
  if (e->Get(Field::kEmailDeliveryStatus) == "rejected") return;
  for (const std::string& t : m.recipients) e->AddUnique(Field::kEmailToAddress, t);
}

std::unique_ptr<Correlator> NewMailCorrelator() { return std::make_unique<MailCorrelator>(); }

}  // namespace kiroku::normalize
