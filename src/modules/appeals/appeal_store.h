// AppealStore: the port through which the appeals domain reaches its data.
//
// Layer: appeals domain (port). Implemented with SQL in sql/sql_appeal_store.h.
//
// Every change is ONE write transaction holding: the sweep's deadline key (if any, written first
// and unique, so a deadline is acted on exactly once whatever the number of sweeps, restarts or
// clock steps), the appeal row (only if its version is still the one the change was planned on:
// optimistic concurrency, so two handlers acting at once cannot both win), its timeline entry, its
// inbox entries, the photo it adds (if any) and its audit event (last, as audit_sql.h asks). Any
// failure rolls all of it back.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/audit_event.h"
#include "core/status.h"
#include "modules/appeals/appeal.h"
#include "modules/attachments/attachment.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/deadlines.h"
#include "modules/appeals/lifecycle.h"
#include "modules/appeals/metrics.h"
#include "modules/appeals/notifications.h"
#include "modules/appeals/timeline.h"

namespace gz::appeals {

// The key a client sent with a new appeal (the Idempotency-Key header), so that sending the same
// appeal again after a lost answer files it once. Keys belong to the account that pressed the
// button; `fingerprint` is a keyed hash (FieldCipher::BlindIndex) of what was asked, so a key
// reused for another appeal is told apart without keeping the text twice.
struct SubmissionKey {
  int64_t account = 0;
  std::string key;
  std::string fingerprint;
};

// What a key filed: the appeal, and the fingerprint of the request that filed it.
struct SubmissionRecord {
  int64_t appeal_id = 0;
  std::string fingerprint;
};

struct Change {
  Appeal appeal;                  // the row after the change (version = expected_version + 1)
  int64_t expected_version = 0;   // the version it was planned on; 0 for a new appeal
  TimelineEntry entry;            // seq = appeal.version; note already sealed
  std::vector<Notification> notifications;
  std::optional<DeadlineKey> deadline;  // the sweep's exactly-once key
  // A photo added by this change (appeal_photos.h), stored in the same transaction, so the
  // photo and the timeline entry that announces it exist together or not at all.
  std::optional<attachments::SealedAttachment> attachment;
  access::AuditEvent audit;
  int64_t now_ms = 0;
  // A new appeal only: its client's key, stored in the same transaction (unique per account).
  std::optional<SubmissionKey> submission_key;
};

// A list query. The REACH (scopes OR submitter) limits what may be returned at all; the filters
// narrow it. With neither scopes nor a submitter, nothing is returned.
struct AppealQuery {
  std::vector<std::string> scopes;  // canonical division codes: the appeal's village lies in one
  int64_t submitter_account = 0;    // or the appeal is this account's own
  std::string village;              // filter: exactly this village, or ""
  std::vector<AppealState> states;  // filter: any of these, or all
  std::string category;             // filter, or ""
  std::optional<HandlingUnit> unit; // filter: handled by this unit (department included), or any
  int64_t before_id = 0;            // paging: id < before_id; 0 = from the newest
  int limit = 50;                   // 1..200
  // Filters of the public Open311 view (src/modules/open311): categories (any of them, besides
  // `category`), submitted in [submitted_from_ms, submitted_to_ms), and without the appeals that
  // are anonymous to the public unless `visible_client` (> 0) filed them.
  std::vector<std::string> categories;
  std::optional<int64_t> submitted_from_ms;
  std::optional<int64_t> submitted_to_ms;
  bool public_view = false;
  int64_t visible_client = 0;
};

struct AppealPage {
  std::vector<Appeal> items;   // newest first (by id)
  int64_t next_before_id = 0;  // 0: no more
};

// The appeals submitted in [from_ms, to_ms) whose village lies in one of `scopes`.
struct FactsQuery {
  std::vector<std::string> scopes;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

class AppealStore {
 public:
  virtual ~AppealStore() = default;

  // A new appeal (change.expected_version == 0, appeal.version == 1). kAlreadyExists
  // "storage/conflict" if the id is taken (ids are random in part: the caller may retry).
  virtual Status Insert(const Change& change) = 0;
  // With change.submission_key: kAlreadyExists "appeals/submission-key-used" if the account
  // already used the key (nothing is written; FindSubmission says what it filed).
  // `after_conflict`: the key was just found used by Insert, possibly by a write that is not
  // committed yet (SQLite's group commit runs several callers' writes in one transaction, and a
  // caller whose write failed returns before the others commit): read it as a write does, so the
  // answer comes only once that write is committed (or is nothing if it failed).
  virtual Result<std::optional<SubmissionRecord>> FindSubmission(int64_t account, const std::string& key,
                                                                 bool after_conflict = false) = 0;
  // Applies a change. kAborted "appeals/edit-conflict" if the row's version is no longer
  // change.expected_version; kAlreadyExists "appeals/deadline-handled" if change.deadline was
  // already acted on; kNotFound "appeals/appeal-not-found". Nothing is written on error.
  virtual Status Update(const Change& change) = 0;

  virtual Result<std::optional<Appeal>> Get(int64_t id) = 0;
  // The whole timeline, by seq.
  virtual Result<std::vector<TimelineEntry>> Timeline(int64_t appeal_id) = 0;
  virtual Result<AppealPage> List(const AppealQuery& query) = 0;
  // Appeals of this submitter (account, or resident when the account is 0) not yet final,
  // rejected or answered.
  virtual Result<int64_t> CountOpenBySubmitter(int64_t account, int64_t resident) = 0;

  // Deadlines of the current round that passed at `now_ms` and were not acted on yet, oldest
  // first, at most `limit` (1..1000). Candidates only: the caller re-checks each against the row.
  virtual Result<std::vector<DeadlineKey>> ListDue(int64_t now_ms, int limit) = 0;

  virtual Result<std::vector<AppealFacts>> LoadFacts(const FactsQuery& query) = 0;
  // The same facts handed to `each` one at a time, without holding them (what the rates use: a
  // county may have a million appeals in a period). In no promised order; stops at the first
  // non-OK from `each` and returns it.
  virtual Status ForEachFact(const FactsQuery& query, const std::function<Status(const AppealFacts&)>& each) = 0;

  // Inbox entries within the reach, newest first.
  virtual Result<std::vector<Notification>> ListInbox(const InboxQuery& query) = 0;
  // Marks one entry read (if unread). kNotFound "appeals/notification-not-found" if it does not
  // exist or lies outside `reach`.
  virtual Status MarkRead(const InboxReach& reach, int64_t notification_id, int64_t by, int64_t now_ms) = 0;

  // The deadline rules whose scope is one of `scopes` (exact codes).
  // ---- supporters (附议) ----
  // Adds `account` as a supporter of the appeal, with `notification` (to the submitter) and
  // `event`, in one write transaction. kAlreadyExists "appeals/already-joined".
  virtual Status AddSupporter(int64_t appeal_id, int64_t account, const std::string& village, int64_t now_ms,
                              const Notification& notification, const access::AuditEvent& event) = 0;
  // Supporter counts of these appeals (absent ids: 0), and which of them `account` joined.
  virtual Result<std::vector<std::pair<int64_t, int64_t>>> SupporterCounts(const std::vector<int64_t>& appeal_ids) = 0;
  virtual Result<bool> IsSupporter(int64_t appeal_id, int64_t account) = 0;

  virtual Result<std::vector<DeadlineRule>> DeadlineRules(const std::vector<std::string>& scopes) = 0;
  // Inserts or replaces the rule of (scope, category) and appends `event`, in one transaction.
  virtual Status PutDeadlineRule(const DeadlineRule& rule, const access::AuditEvent& event, int64_t now_ms) = 0;
  // kNotFound "appeals/deadline-rule-not-found".
  virtual Status DeleteDeadlineRule(const std::string& scope, const std::string& category,
                                    const access::AuditEvent& event, int64_t now_ms) = 0;

  // Which unit handles a category, per place (same shape and transactions as the deadline rules).
  virtual Result<std::vector<UnitRule>> UnitRules(const std::vector<std::string>& scopes) = 0;
  virtual Status PutUnitRule(const UnitRule& rule, const access::AuditEvent& event, int64_t now_ms) = 0;
  // kNotFound "appeals/unit-rule-not-found".
  virtual Status DeleteUnitRule(const std::string& scope, const std::string& category,
                                const access::AuditEvent& event, int64_t now_ms) = 0;
};

}  // namespace gz::appeals
