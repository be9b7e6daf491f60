// DisclosureStore: the port through which the disclosure domain reaches its data.
//
// Layer: disclosure domain (port). Implemented with SQL in sql/sql_disclosure_store.h, which also
// appends each published item to the transparency log in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/disclosure/item.h"
#include "modules/disclosure/question.h"

namespace gz::disclosure {

struct ItemQuery {
  std::string village;       // required
  std::optional<State> state;
  std::optional<Kind> kind;
  std::string period_prefix;  // "2026" matches "2026", "2026-03", "2026-Q1"; "" = any
  int64_t before_id = 0;      // paging: id < before_id
  int limit = 50;             // 1..500
};

class DisclosureStore {
 public:
  virtual ~DisclosureStore() = default;

  // A new draft with its audit event. kAlreadyExists "storage/conflict" if the id is taken.
  virtual Status InsertDraft(const Item& draft, const access::AuditEvent& event, int64_t now_ms) = 0;
  // Replaces the content columns of a draft (village, kind, corrects, drafter stay), with its event.
  // kAborted "disclosure/not-a-draft" when the row is no longer a draft of `draft.drafted_by`.
  virtual Status UpdateDraft(const Item& draft, const access::AuditEvent& event, int64_t now_ms) = 0;
  // Deletes a draft, with its event; the same kAborted when it is not (or no longer) a draft.
  virtual Status DeleteDraft(const Item& draft, const access::AuditEvent& event, int64_t now_ms) = 0;
  // Publishes a draft in ONE transaction: appends `published.entry` to the transparency log,
  // freezes the row as `published` (with the log index the append returned) and appends `event`.
  // Returns the log index. kAborted "disclosure/not-a-draft" when the row is no longer a draft
  // (someone published it first); nothing is written on any error.
  virtual Result<int64_t> Publish(const Item& published, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<Item>> Get(int64_t id) = 0;
  // Ids of the PUBLISHED items that correct `id`, oldest first.
  virtual Result<std::vector<int64_t>> CorrectedBy(int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<Item>> List(const ItemQuery& query) = 0;

  // The finance cadence of a village (monthly when never set).
  virtual Result<Cadence> GetCadence(const std::string& village) = 0;
  virtual Status SetCadence(const std::string& village, Cadence cadence, int64_t by, const access::AuditEvent& event,
                            int64_t now_ms) = 0;

  virtual Status InsertQuestion(const Question& q, const access::AuditEvent& event, int64_t now_ms) = 0;
  virtual Result<std::optional<Question>> GetQuestion(int64_t id) = 0;
  // Oldest first.
  virtual Result<std::vector<Question>> Questions(int64_t item_id) = 0;
  // Sets the answer once. kAborted "disclosure/already-answered" if it has an answer or an appeal.
  virtual Status Answer(int64_t question_id, const std::string& answer, int64_t by, int64_t now_ms,
                        const access::AuditEvent& event) = 0;
  // Unanswered, not escalated questions asked before `asked_before_ms`, oldest first.
  virtual Result<std::vector<Question>> DueForEscalation(int64_t asked_before_ms, int limit) = 0;
  // Records the appeal a question became, once. kAborted "disclosure/already-answered" if it was
  // answered or escalated meanwhile.
  virtual Status MarkEscalated(int64_t question_id, int64_t appeal_id, int64_t now_ms,
                               const access::AuditEvent& event) = 0;
};

}  // namespace gz::disclosure
