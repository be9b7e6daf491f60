// DisclosureService: drafting, checking and publishing village-affairs disclosures (村务公开),
// corrections, questions (质询), the calendar and the township's list of missing items.
//
// Layer: disclosure domain (service). The routes authorize first (function level by the
// dispatcher, object level with access::Gate::Require on the item's village); the service then
// applies what the policy table cannot express:
//   - maker-checker: the publisher is never the drafter (nobody publishes their own draft), and
//     the kinds about money (IsFinanceKind) are published only by a member of the village
//     supervision committee; other kinds by a supervisor or a village cadre;
//   - published items are immutable (the store and the database refuse changes); a correction
//     is a new item naming the corrected one and why;
//   - recipients of lists are masked (residents' masking) before anything is public; the
//     originals are sealed and every read of them is audited (fail closed).
// Thread-safe (the store and the audit sink must be).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "access/policy.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/disclosure/calendar.h"
#include "modules/disclosure/disclosure_store.h"
#include "modules/disclosure/item.h"
#include "modules/disclosure/question.h"
#include "modules/disclosure/scans.h"

namespace gz::disclosure {

// The villages below a township or county (implemented over divisions at the composition root).
class VillageDirectory {
 public:
  virtual ~VillageDirectory() = default;
  virtual Result<std::vector<std::string>> VillagesIn(const std::string& scope) = 0;
};

// What the publisher approves: exactly the bytes that will be public and logged.
struct Preview {
  std::string entry;
  std::string entry_sha256;  // lower-case hex
  int64_t published_at_ms = 0;
  std::string publisher_role;
};

inline constexpr int64_t kPreviewValidityMs = 3'600'000;
inline constexpr size_t kMaxPurposeBytes = 500;

class DisclosureService {
 public:
  // All must outlive the service. `villages` may be null (Missing then answers for villages only);
  // `scans` may be null (then no draft can name an attachment).
  DisclosureService(DisclosureStore& store, const crypto::FieldCipher& cipher, access::AuditSink& audit,
                    const Clock& clock, VillageDirectory* villages = nullptr, DisclosureScans* scans = nullptr);

  // A new draft (a new item, or a correction of a published one). Errors: "disclosure/bad-kind",
  // "disclosure/bad-period", "disclosure/bad-body" {field, reason}, "disclosure/bad-correction"
  // {reason}, "disclosure/too-large" {size, max} (the entry would not fit the log). Attachments
  // must be scans uploaded to the same village ("disclosure/bad-body" {field: attachments,
  // reason: unknown-scan}).
  Result<Item> Draft(const access::Principal& by, const DraftInput& input);

  // Replaces the content of a draft (period, title, body, recipients, scans, correction reason);
  // what it is — its village, kind and the item it corrects — stays. Only its drafter, while it is
  // a draft. A preview taken before no longer publishes (its entry_sha256 no longer matches).
  // Errors of Draft, and kPermissionDenied "disclosure/not-your-draft", kFailedPrecondition
  // "disclosure/not-a-draft", "disclosure/bad-body" {field: village|kind, reason: fixed}.
  Result<Item> Revise(const access::Principal& by, int64_t id, const DraftInput& input);
  // Deletes a draft nobody published, audited ("disclosure.discard"); nothing of it was public.
  // Only its drafter; the errors of Revise.
  Status Discard(const access::Principal& by, int64_t id);

  // The bytes `by` would publish now. kPermissionDenied "disclosure/own-draft",
  // "disclosure/not-allowed" {action: publish}; kFailedPrecondition "disclosure/not-a-draft".
  Result<Preview> PreviewFor(const access::Principal& by, int64_t id);
  // Publishes what the preview showed: `entry_sha256` and `published_at_ms` are the preview's.
  // Errors of PreviewFor, and kFailedPrecondition "disclosure/preview-stale" when the draft
  // changed or the preview is over an hour old; the log's own errors are passed on.
  Result<Item> Publish(const access::Principal& by, int64_t id, std::string_view entry_sha256,
                       int64_t published_at_ms);

  // kNotFound "disclosure/item-not-found".
  Result<Item> Get(int64_t id);
  static access::Target TargetOf(const Item& item);
  Result<std::vector<int64_t>> CorrectedBy(int64_t id);
  Result<std::vector<Item>> List(const ItemQuery& query);
  // The recipients as entered, after an audited "disclosure.read_personal" (fail closed).
  Result<std::vector<Recipient>> Originals(const access::Principal& reader, const Item& item, std::string_view purpose);

  // ---- questions ----
  // A villager of the item's village about a published item. kPermissionDenied
  // "disclosure/cannot-ask"; kInvalidArgument "disclosure/bad-question".
  Result<Question> Ask(const access::Principal& by, const Item& item, const std::string& text);
  Result<Question> GetQuestion(int64_t id);
  Result<std::vector<Question>> Questions(int64_t item_id);
  // kFailedPrecondition "disclosure/already-answered"; "disclosure/bad-body" {field: answer}.
  Result<Question> Answer(const access::Principal& by, const Question& q, const std::string& text);

  // ---- calendar ----
  Result<std::vector<CalendarSlot>> Calendar(const std::string& village, int year);
  Status SetCadence(const access::Principal& by, const std::string& village, Cadence cadence);
  Result<Cadence> CadenceOf(const std::string& village);
  // Missing items (deadline passed, nothing published) of the villages in `scopes`, this year
  // and last year, for the township's oversight list; with `include_late`, also the items that
  // were published after their deadline (Art. 31: the township hears complaints about both).
  Result<std::vector<CalendarSlot>> Missing(const std::vector<std::string>& scopes, bool include_late = false);

  int64_t NowMs() const;
  DisclosureStore& store() { return store_; }

 private:
  Result<std::string> PublisherRole(const access::Principal& by, const Item& item) const;
  // `in` checked and turned into a draft row with the given id and drafting time (sealed recipients).
  Result<Item> Validated(const access::Principal& by, const DraftInput& in, int64_t id, int64_t drafted_at_ms) const;
  Result<Item> LoadOwnDraft(const access::Principal& by, int64_t id);
  Result<Item> LoadDraftFor(const access::Principal& by, int64_t id, std::string* role);

  DisclosureStore& store_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& audit_;
  const Clock& clock_;
  VillageDirectory* villages_;
  DisclosureScans* scans_;
};

std::string RecipientsAssociatedData(int64_t item_id);

}  // namespace gz::disclosure
