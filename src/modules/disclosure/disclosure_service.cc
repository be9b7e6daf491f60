// Layer: disclosure domain (see disclosure_service.h).
#include "modules/disclosure/disclosure_service.h"

#include <algorithm>
#include <chrono>

#include "access/role.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/disclosure/canonical_json.h"
#include "modules/disclosure/problems.h"

namespace gz::disclosure {
namespace {

using access::Role;

bool Holds(const access::Person& p, Role role, std::string_view village) {
  return std::any_of(p.grants.begin(), p.grants.end(),
                     [&](const access::Grant& g) { return g.role == role && access::ScopeContains(g.scope, village); });
}

Status NotAllowed(std::string_view action) {
  return PermissionDenied(std::string(problems::kNotAllowed)).With("action", std::string(action));
}

access::AuditEvent ItemEvent(const access::Principal& by, std::string action, const Item& item, std::string details = "") {
  access::AuditEvent e = access::EventFor(by, std::move(action));
  e.division = item.village;
  e.object_type = "disclosure_item";
  e.object_id = std::to_string(item.id);
  e.details = std::move(details);
  return e;
}

// The longest publisher role code and a 13-digit time: the largest an entry can get at publishing.
constexpr std::string_view kLongestRole = "village_cadre";
constexpr int64_t kLargestTimeMs = 9'999'999'999'999;

}  // namespace

std::string RecipientsAssociatedData(int64_t item_id) { return "disclosure.recipients:" + std::to_string(item_id); }

DisclosureService::DisclosureService(DisclosureStore& store, const crypto::FieldCipher& cipher, access::AuditSink& audit,
                                     const Clock& clock, VillageDirectory* villages, DisclosureScans* scans)
    : store_(store), cipher_(cipher), audit_(audit), clock_(clock), villages_(villages), scans_(scans) {}

int64_t DisclosureService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

access::Target DisclosureService::TargetOf(const Item& item) {
  access::Target t;
  t.division = item.village;
  return t;
}

Result<Item> DisclosureService::Draft(const access::Principal& by, const DraftInput& in) {
  const int64_t now = NowMs();
  GZ_ASSIGN_OR_RETURN(Item item, Validated(by, in, crypto::NewRowId(now), now));
  std::string details = "{\"kind\":\"" + std::string(KindCode(item.kind)) + "\",\"period\":\"" + item.period + "\"";
  if (item.corrects != 0) details += ",\"corrects\":\"" + std::to_string(item.corrects) + "\"";
  details += "}";
  GZ_RETURN_IF_ERROR(store_.InsertDraft(item, ItemEvent(by, "disclosure.draft", item, details), now));
  return item;
}

Result<Item> DisclosureService::LoadOwnDraft(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Item item, Get(id));
  if (by.anonymous() || by.acting_for || !Holds(by.self, Role::kVillageCadre, item.village)) return NotAllowed("edit");
  if (item.state != State::kDraft) return FailedPrecondition(std::string(problems::kNotADraft));
  if (item.drafted_by != by.self.account_id) return PermissionDenied(std::string(problems::kNotYourDraft));
  return item;
}

Result<Item> DisclosureService::Revise(const access::Principal& by, int64_t id, const DraftInput& input) {
  GZ_ASSIGN_OR_RETURN(Item old, LoadOwnDraft(by, id));
  DraftInput in = input;
  // What the draft is (its village, kind, and the item it corrects) stays: a different one is a new draft.
  if (in.village.empty()) in.village = old.village;
  if (in.village != old.village) return InvalidArgument(std::string(problems::kBadBody)).With("field", "village").With("reason", "fixed");
  if (in.kind.empty()) in.kind = std::string(KindCode(old.kind));
  if (in.kind != KindCode(old.kind)) return InvalidArgument(std::string(problems::kBadBody)).With("field", "kind").With("reason", "fixed");
  if (in.corrects != old.corrects)
    return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "fixed");
  GZ_ASSIGN_OR_RETURN(Item item, Validated(by, in, old.id, old.drafted_at_ms));
  const std::string details = "{\"period\":\"" + item.period + "\"}";
  GZ_RETURN_IF_ERROR(store_.UpdateDraft(item, ItemEvent(by, "disclosure.revise", item, details), NowMs()));
  return item;
}

Status DisclosureService::Discard(const access::Principal& by, int64_t id) {
  GZ_ASSIGN_OR_RETURN(Item item, LoadOwnDraft(by, id));
  const std::string details = "{\"kind\":\"" + std::string(KindCode(item.kind)) + "\",\"period\":\"" + item.period + "\"}";
  return store_.DeleteDraft(item, ItemEvent(by, "disclosure.discard", item, details), NowMs());
}

Result<Item> DisclosureService::Validated(const access::Principal& by, const DraftInput& in, int64_t id,
                                          int64_t drafted_at_ms) const {
  if (by.anonymous() || by.acting_for || !Holds(by.self, Role::kVillageCadre, in.village)) return NotAllowed("draft");
  if (!IsVillageCode(in.village)) return NotFound(std::string(problems::kItemNotFound));
  std::optional<Kind> kind = ParseKind(in.kind);
  if (!kind) return InvalidArgument(std::string(problems::kBadKind));
  std::optional<Period> period = ParsePeriod(in.period);
  if (!period) return InvalidArgument(std::string(problems::kBadPeriod)).With("reason", "format");
  GZ_RETURN_IF_ERROR(CheckPeriodForKind(*kind, *period));
  std::optional<size_t> title_chars = CountTextChars(in.title);
  if (!title_chars) return InvalidArgument(std::string(problems::kBadBody)).With("field", "title").With("reason", "encoding");
  if (*title_chars < 2 || *title_chars > kMaxTitleChars)
    return InvalidArgument(std::string(problems::kBadBody)).With("field", "title").With("reason", "length");
  if (in.attachments.size() > kMaxAttachments)
    return InvalidArgument(std::string(problems::kBadBody)).With("field", "attachments").With("reason", "too-many");
  for (const std::string& h : in.attachments)
    if (!crypto::IsSha256Hex(h))
      return InvalidArgument(std::string(problems::kBadBody)).With("field", "attachments").With("reason", "not-a-sha256");
  if (!in.attachments.empty()) {
    // Only hashes of bytes this server received and stored for the village: never a client's claim.
    bool known = false;
    if (scans_ != nullptr) {
      GZ_ASSIGN_OR_RETURN(known, scans_->AllKnown(in.village, in.attachments));
    }
    if (!known) return InvalidArgument(std::string(problems::kBadBody)).With("field", "attachments").With("reason", "unknown-scan");
  }

  Item item;
  if (in.corrects != 0) {
    GZ_ASSIGN_OR_RETURN(std::optional<Item> corrected, store_.Get(in.corrects));
    if (!corrected || corrected->village != in.village || corrected->state != State::kPublished)
      return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "not-a-published-item-of-the-village");
    if (corrected->kind != *kind) return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "other-kind");
    std::optional<size_t> n = CountTextChars(in.correction_reason);
    if (!n || *n < 2 || *n > kMaxReasonChars)
      return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "reason-required");
    item.corrects = in.corrects;
    item.correction_reason = in.correction_reason;
  } else if (!in.correction_reason.empty()) {
    return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", "nothing-corrected");
  }

  GZ_ASSIGN_OR_RETURN(item.body_json, PublicBody(*kind, in));
  item.id = id;
  item.village = in.village;
  item.kind = *kind;
  item.period = period->Code();
  item.title = in.title;
  item.attachments = in.attachments;
  item.state = State::kDraft;
  item.drafted_by = by.self.account_id;
  item.drafted_at_ms = drafted_at_ms;
  // Refuse now what could never be logged, rather than at publishing.
  Item probe = item;
  probe.published_at_ms = kLargestTimeMs;
  probe.publisher_role = std::string(kLongestRole);
  const size_t size = EntryBytes(probe).size();
  if (size > kMaxEntryBytes)
    return InvalidArgument(std::string(problems::kTooLarge)).With("size", std::to_string(size)).With("max", std::to_string(kMaxEntryBytes));
  const std::string originals = RecipientsJson(in.recipients);
  if (!originals.empty()) item.recipients_sealed = cipher_.Seal(originals, RecipientsAssociatedData(item.id));
  return item;
}

Result<std::string> DisclosureService::PublisherRole(const access::Principal& by, const Item& item) const {
  if (by.anonymous() || by.acting_for) return NotAllowed("publish");
  if (by.self.account_id == item.drafted_by) return PermissionDenied(std::string(problems::kOwnDraft));
  if (Holds(by.self, Role::kSupervisor, item.village)) return std::string(access::RoleCode(Role::kSupervisor));
  if (!IsFinanceKind(item.kind) && Holds(by.self, Role::kVillageCadre, item.village))
    return std::string(access::RoleCode(Role::kVillageCadre));
  return NotAllowed("publish");
}

Result<Item> DisclosureService::LoadDraftFor(const access::Principal& by, int64_t id, std::string* role) {
  GZ_ASSIGN_OR_RETURN(Item item, Get(id));
  if (item.state != State::kDraft) return FailedPrecondition(std::string(problems::kNotADraft));
  GZ_ASSIGN_OR_RETURN(*role, PublisherRole(by, item));
  return item;
}

Result<Preview> DisclosureService::PreviewFor(const access::Principal& by, int64_t id) {
  std::string role;
  GZ_ASSIGN_OR_RETURN(Item item, LoadDraftFor(by, id, &role));
  item.published_at_ms = NowMs();
  item.publisher_role = role;
  Preview p;
  p.entry = EntryBytes(item);
  p.entry_sha256 = crypto::Sha256Hex(p.entry);
  p.published_at_ms = item.published_at_ms;
  p.publisher_role = role;
  return p;
}

Result<Item> DisclosureService::Publish(const access::Principal& by, int64_t id, std::string_view entry_sha256,
                                        int64_t published_at_ms) {
  std::string role;
  GZ_ASSIGN_OR_RETURN(Item item, LoadDraftFor(by, id, &role));
  const int64_t now = NowMs();
  // The preview's time becomes the publication time: the bytes approved are the bytes logged.
  if (published_at_ms > now + 60'000 || published_at_ms < now - kPreviewValidityMs || published_at_ms < item.drafted_at_ms)
    return FailedPrecondition(std::string(problems::kPreviewStale));
  item.published_at_ms = published_at_ms;
  item.publisher_role = role;
  item.published_by = by.self.account_id;
  item.entry = EntryBytes(item);
  if (crypto::Sha256Hex(item.entry) != entry_sha256) return FailedPrecondition(std::string(problems::kPreviewStale));
  if (item.entry.size() > kMaxEntryBytes)
    return InvalidArgument(std::string(problems::kTooLarge))
        .With("size", std::to_string(item.entry.size()))
        .With("max", std::to_string(kMaxEntryBytes));
  item.state = State::kPublished;
  std::string details = "{\"kind\":\"" + std::string(KindCode(item.kind)) + "\",\"period\":\"" + item.period +
                        "\",\"entry_sha256\":\"" + std::string(entry_sha256) + "\",\"publisher_role\":\"" + role + "\"}";
  GZ_ASSIGN_OR_RETURN(item.log_index, store_.Publish(item, ItemEvent(by, "disclosure.publish", item, details), now));
  return item;
}

Result<Item> DisclosureService::Get(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Item> item, store_.Get(id));
  if (!item) return NotFound(std::string(problems::kItemNotFound));
  return *item;
}

Result<std::vector<int64_t>> DisclosureService::CorrectedBy(int64_t id) { return store_.CorrectedBy(id); }

Result<std::vector<Item>> DisclosureService::List(const ItemQuery& query) { return store_.List(query); }

Result<std::vector<Recipient>> DisclosureService::Originals(const access::Principal& reader, const Item& item,
                                                            std::string_view purpose) {
  if (purpose.empty() || purpose.size() > kMaxPurposeBytes || !CountTextChars(purpose))
    return InvalidArgument(std::string(problems::kBadPurpose)).With("max", std::to_string(kMaxPurposeBytes));
  std::vector<Recipient> out;
  if (item.recipients_sealed.empty()) return out;
  // Open first (a tampered row is refused without claiming a read), audit before returning.
  GZ_ASSIGN_OR_RETURN(std::string json, cipher_.Open(item.recipients_sealed, RecipientsAssociatedData(item.id)));
  access::AuditEvent e = ItemEvent(reader, "disclosure.read_personal", item);
  e.purpose = std::string(purpose);
  GZ_RETURN_IF_ERROR(audit_.Append(e));
  // The sealed text is our own canonical JSON: [{"amount_fen":N,"id_number":"..","name":"..","note":"..","phone":".."}].
  size_t pos = 0;
  auto read_string = [&](std::string_view key, std::string* value) -> bool {
    const std::string marker = "\"" + std::string(key) + "\":\"";
    size_t at = json.find(marker, pos);
    if (at == std::string::npos) return false;
    size_t i = at + marker.size();
    std::string v;
    while (i < json.size() && json[i] != '"') {
      if (json[i] == '\\' && i + 1 < json.size()) {
        char n = json[i + 1];
        if (n == 'u' && i + 5 < json.size()) {
          v.push_back(static_cast<char>(std::stoi(json.substr(i + 2, 4), nullptr, 16)));
          i += 6;
          continue;
        }
        v.push_back(n);
        i += 2;
        continue;
      }
      v.push_back(json[i++]);
    }
    *value = std::move(v);
    pos = i + 1;
    return true;
  };
  while (true) {
    size_t at = json.find("{\"amount_fen\":", pos);
    if (at == std::string::npos) break;
    Recipient r;
    r.amount_fen = std::stoll(json.substr(at + 14, json.find(',', at) - at - 14));
    pos = at + 14;
    if (!read_string("id_number", &r.id_number) || !read_string("name", &r.name) || !read_string("note", &r.note) ||
        !read_string("phone", &r.phone))
      return Internal("disclosure: sealed recipients are not in the expected form");
    out.push_back(std::move(r));
  }
  return out;
}

// ---- questions ----

Result<Question> DisclosureService::Ask(const access::Principal& by, const Item& item, const std::string& text) {
  const access::Person& subject = by.subject();
  if (by.anonymous() || item.state != State::kPublished || subject.village != item.village ||
      !Holds(subject, Role::kVillager, item.village))
    return PermissionDenied(std::string(problems::kCannotAsk));
  std::optional<size_t> n = CountTextChars(text);
  if (!n || *n < kMinQuestionChars || *n > kMaxQuestionChars)
    return InvalidArgument(std::string(problems::kBadQuestion))
        .With("min", std::to_string(kMinQuestionChars))
        .With("max", std::to_string(kMaxQuestionChars));
  const int64_t now = NowMs();
  Question q;
  q.id = crypto::NewRowId(now);
  q.item_id = item.id;
  q.village = item.village;
  q.asked_by = subject.account_id;
  q.text = text;
  q.asked_at_ms = now;
  access::AuditEvent e = ItemEvent(by, "disclosure.ask", item, "{\"question\":\"" + std::to_string(q.id) + "\"}");
  GZ_RETURN_IF_ERROR(store_.InsertQuestion(q, e, now));
  return q;
}

Result<Question> DisclosureService::GetQuestion(int64_t id) {
  GZ_ASSIGN_OR_RETURN(std::optional<Question> q, store_.GetQuestion(id));
  if (!q) return NotFound(std::string(problems::kQuestionNotFound));
  return *q;
}

Result<std::vector<Question>> DisclosureService::Questions(int64_t item_id) { return store_.Questions(item_id); }

Result<Question> DisclosureService::Answer(const access::Principal& by, const Question& q, const std::string& text) {
  if (by.anonymous() || by.acting_for || !Holds(by.self, Role::kVillageCadre, q.village)) return NotAllowed("answer");
  if (q.answered_at_ms != 0 || q.appeal_id != 0) return FailedPrecondition(std::string(problems::kAlreadyAnswered));
  std::optional<size_t> n = CountTextChars(text);
  if (!n || *n < 2 || *n > kMaxAnswerChars)
    return InvalidArgument(std::string(problems::kBadBody)).With("field", "answer").With("reason", "length");
  const int64_t now = NowMs();
  access::AuditEvent e = access::EventFor(by, "disclosure.answer");
  e.division = q.village;
  e.object_type = "disclosure_question";
  e.object_id = std::to_string(q.id);
  GZ_RETURN_IF_ERROR(store_.Answer(q.id, text, by.self.account_id, now, e));
  Question out = q;
  out.answer = text;
  out.answered_by = by.self.account_id;
  out.answered_at_ms = now;
  return out;
}

// ---- calendar ----

Result<std::vector<CalendarSlot>> DisclosureService::Calendar(const std::string& village, int year) {
  GZ_ASSIGN_OR_RETURN(Cadence cadence, store_.GetCadence(village));
  ItemQuery q;
  q.village = village;
  q.state = State::kPublished;
  q.period_prefix = std::to_string(year);
  q.limit = 500;
  std::vector<Item> published;
  // Every published item of the year, page by page (a village publishes tens a year).
  while (true) {
    GZ_ASSIGN_OR_RETURN(std::vector<Item> page, store_.List(q));
    for (Item& i : page) published.push_back(std::move(i));
    if (page.size() < static_cast<size_t>(q.limit)) break;
    q.before_id = published.back().id;
  }
  return BuildCalendar(village, year, cadence, published, NowMs());
}

Status DisclosureService::SetCadence(const access::Principal& by, const std::string& village, Cadence cadence) {
  if (by.anonymous() || by.acting_for || !Holds(by.self, Role::kVillageCadre, village)) return NotAllowed("set_cadence");
  access::AuditEvent e = access::EventFor(by, "disclosure.set_cadence");
  e.division = village;
  e.object_type = "village";
  e.object_id = village;
  e.details = "{\"cadence\":\"" + std::string(CadenceCode(cadence)) + "\"}";
  return store_.SetCadence(village, cadence, by.self.account_id, e, NowMs());
}

Result<Cadence> DisclosureService::CadenceOf(const std::string& village) { return store_.GetCadence(village); }

Result<std::vector<CalendarSlot>> DisclosureService::Missing(const std::vector<std::string>& scopes, bool include_late) {
  std::vector<std::string> villages;
  for (const std::string& scope : scopes) {
    if (IsVillageCode(scope)) {
      villages.push_back(scope);
    } else if (villages_ != nullptr) {
      GZ_ASSIGN_OR_RETURN(std::vector<std::string> below, villages_->VillagesIn(scope));
      villages.insert(villages.end(), below.begin(), below.end());
    }
  }
  std::sort(villages.begin(), villages.end());
  villages.erase(std::unique(villages.begin(), villages.end()), villages.end());
  const int64_t now = NowMs();
  // The year in Beijing time.
  const int year = std::stoi(UtcTimeText(now + 8 * 3'600'000).substr(0, 4));
  std::vector<CalendarSlot> out;
  for (const std::string& v : villages) {
    for (int y : {year - 1, year}) {
      GZ_ASSIGN_OR_RETURN(std::vector<CalendarSlot> slots, Calendar(v, y));
      for (CalendarSlot& s : slots)
        if (s.status == SlotStatus::kMissing || (include_late && s.status == SlotStatus::kPublishedLate))
          out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace gz::disclosure
