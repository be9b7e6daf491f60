// AppealService: filing appeals, moving them through the lifecycle, notes, audited reads of
// their personal content, the inbox, deadline rules and the rates.
//
// Layer: appeals domain (service). Authorization happens first, in the routes layer: function
// level by the dispatcher's guard, object level by access::Gate::Require on TargetOf(appeal). The
// service then applies what a policy table cannot express: the transition table and the caller's
// relation to this appeal (appeal_state.h, relations.h), the action's preconditions
// (lifecycle.h), the limits of every field. Each change is written with its timeline entry, inbox
// entries and audit event in ONE transaction (AppealStore); each read of personal data in clear
// is audited before it is returned, and refused when the audit cannot be written (fail closed).
//
// Thread-safe (the store, the lookup and the audit sink must be).
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
#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_store.h"
#include "modules/appeals/deadlines.h"
#include "modules/appeals/lifecycle.h"
#include "modules/appeals/metrics.h"
#include "modules/appeals/submitter_lookup.h"

namespace gz::appeals {

struct SubmitRequest {
  std::string category;
  std::string text;                  // PERSONAL
  std::optional<Location> location;  // PERSONAL
  bool anonymous_to_public = false;
  // Staff recording what a villager told them (grid worker or village cadre of the village): the
  // villager's account, or their resident record when they have no account, or both (they must
  // agree on the village). A villager filing for themself, or a helper acting for one, leaves
  // both 0: the submitter is the principal's subject.
  int64_t for_account = 0;
  int64_t for_resident = 0;
  // Staff only: another handling unit than the category's default (it must serve the village).
  std::optional<HandlingUnit> unit;
  // The client's Idempotency-Key, or "": the same key and request again from the same account
  // files nothing new and answers with the appeal it filed the first time.
  std::string idempotency_key;
};

inline constexpr size_t kMinIdempotencyKey = 8;
inline constexpr size_t kMaxIdempotencyKey = 64;

// An open appeal shown before filing, so that a villager can join it instead of filing it again.
// Never the submitter; the opening words only if the submitter did not ask to stay anonymous.
struct SimilarAppeal {
  Appeal appeal;
  std::string excerpt;     // the first kExcerptChars characters, or "" (anonymous to the public)
  int64_t supporters = 0;  // how many joined (附议)
  double score = 0;        // TextSimilarity with the draft, 0 without a draft
};
inline constexpr size_t kExcerptChars = 30;
inline constexpr int kSimilarCandidates = 30;  // newest open appeals of the category compared
inline constexpr int kSimilarShown = 5;

// An application outside gongzhi filing for a villager with the API key the county issued to it
// (an Open311 client, src/modules/open311). A client is neither an account nor a principal: it is
// named on the appeal (client_id, channel "open311"), on its timeline entry (capacity "client",
// details {"client","client_name"}) and on its audit event (details), and its authority ends at
// its key's scope. The villager it files for is the submitter, as always: only they close it.
struct ClientSubmission {
  int64_t client_id = 0;
  std::string client_name;   // an application's name, not personal data
  std::string client_scope;  // canonical code: the villager's home village must lie in it
  // The villager: their account, or their resident record, or both (they must agree), as for
  // staff recording (SubmitRequest::for_account / for_resident).
  int64_t for_account = 0;
  int64_t for_resident = 0;
  std::string category;
  std::string text;                  // PERSONAL
  std::optional<Location> location;  // PERSONAL
  bool anonymous_to_public = false;
  std::string request_id;  // of the HTTP request, for the audit trail
};

// An appeal the system files for a villager when another module's rule says so (a question
// (质询) about a village disclosure left unanswered: src/modules/disclosure/question_sweep.h).
// The caller chooses the id, so that it can file exactly once across restarts: a second filing
// under the same id is kAlreadyExists "storage/conflict" and changes nothing.
struct SystemSubmission {
  int64_t id = 0;           // > 0, chosen by the caller (e.g. the question's id)
  int64_t for_account = 0;  // the villager: the submitter, who may rate and close it
  std::string category;
  std::string text;         // PERSONAL
  std::string source;       // what filed it, for the timeline and the audit trail ("disclosure.question")
};

class AppealService {
 public:
  // All must outlive the service.
  AppealService(AppealStore& store, SubmitterLookup& people, const crypto::FieldCipher& cipher,
                access::AuditSink& audit, const Clock& clock, AppealSettings settings = {});

  // Where a new appeal of this caller would live, for gate.Require("appeals.submit"): the
  // subject's home village and account (self / helper), or the named villager's village (staff).
  // kFailedPrecondition "appeals/no-home-village"; kInvalidArgument "appeals/submitter-not-found".
  Result<access::Target> SubmitTarget(const access::Principal& by, const SubmitRequest& request);

  // Files an appeal (see SubmitRequest for who is the submitter). Errors:
  //   kPermissionDenied "appeals/not-allowed" (anonymous; staff recording outside their village);
  //   kInvalidArgument "appeals/bad-text", "appeals/bad-location", "appeals/unknown-category",
  //     "appeals/bad-unit", "appeals/field-not-allowed" {field} (a unit chosen by a villager,
  //     for_account while acting for someone), "appeals/submitter-not-found";
  //   kFailedPrecondition "appeals/no-home-village", "appeals/too-many-open" {limit};
  //   with an idempotency key: kInvalidArgument "appeals/bad-idempotency-key" {reason},
  //   kFailedPrecondition "appeals/idempotency-key-reused" (the key filed another request).
  // `replayed` (optional) is set when the key had already filed this request: the appeal it filed
  // is returned as it is now, and nothing is written.
  Result<Appeal> Submit(const access::Principal& by, const SubmitRequest& request, bool* replayed = nullptr);

  // Performs a command (lifecycle.h lists its errors) and returns the appeal after it.
  // kNotFound "appeals/appeal-not-found"; kAborted "appeals/edit-conflict" when someone else
  // changed the appeal first (also when they did so between this call's read and write).
  Result<Appeal> Perform(const access::Principal& by, int64_t id, const Command& command);

  // A note without a state change. The submitter (or a helper for them) writes public notes;
  // staff in any relation to the appeal write public or internal ones. kPermissionDenied
  // "appeals/not-allowed" {action: "note"}; "appeals/bad-note"; kAborted "appeals/edit-conflict".
  Result<Appeal> AddNote(const access::Principal& by, int64_t id, const std::string& text, Visibility visibility,
                         std::optional<int64_t> expected_version = std::nullopt);

  // kNotFound "appeals/appeal-not-found". Sealed fields stay sealed.
  Result<Appeal> Get(int64_t id);
  // The object-level target of an appeal: its village, its submitter's account and resident.
  static access::Target TargetOf(const Appeal& appeal);

  // Opens the text and location for `reader` (who passed the gate for TargetOf) after writing
  // "appeals.read_personal" with the purpose. kInvalidArgument "appeals/bad-purpose";
  // kFailedPrecondition "crypto/integrity-failure" (tampered); the sink's kUnavailable
  // "audit/unavailable" (fail closed).
  Result<AppealContent> ReadContent(const access::Principal& reader, const Appeal& appeal, std::string_view purpose);
  // The timeline as `reader` may see it (internal notes only for staff of the appeal's area),
  // notes opened, after one "appeals.read_personal" record. Errors as ReadContent.
  Result<std::vector<TimelineView>> ReadTimeline(const access::Principal& reader, const Appeal& appeal,
                                                 std::string_view purpose);
  // True if `reader` sees internal notes of appeals in `village`.
  static bool SeesInternalNotes(const access::Principal& reader, std::string_view village);

  Result<AppealPage> List(const AppealQuery& query);

  // ---- similar appeals and joining (附议) ----
  // The open appeals of `village` in `category` most like `draft` (the newest first without a
  // draft), at most kSimilarShown. Each shown excerpt is a read of someone's appeal text: one
  // "appeals.read_personal" record per appeal shown with one (purpose "相似诉求提示"), before it is
  // returned (fail closed). `reader` passed the gate for a submission in `village`.
  Result<std::vector<SimilarAppeal>> Similar(const access::Principal& reader, const std::string& village,
                                             const std::string& category, std::string_view draft);
  // Joins (附议) an open appeal of the caller's own village that is not their own: the submitter is
  // told (inbox "join"), the act audited ("appeals.join"). Returns the new supporter count.
  // kFailedPrecondition "appeals/cannot-join" {reason}; kAlreadyExists "appeals/already-joined".
  Result<int64_t> Join(const access::Principal& by, int64_t id);
  Result<int64_t> Supporters(int64_t id);

  // ---- deadlines ----
  Result<ResolvedDeadlines> DeadlinesFor(std::string_view category, std::string_view village);
  // The stored rules that apply to `village` (its own, its township's, its county's).
  Result<std::vector<DeadlineRule>> DeadlineRulesFor(std::string_view village);
  // Sets the rule of (scope, category). Who: a county admin over the scope (any scope of the
  // county); a township official over the scope (their township or its villages); a village
  // cadre over a village scope, and then only to tighten what the village inherits (a unit must
  // not lengthen its own deadlines). kPermissionDenied "appeals/not-allowed" {action:
  // "set_deadline"}; kInvalidArgument "appeals/bad-deadline-rule" {reason: "scope" | "accept" |
  // "answer" | "order" | "looser-than-inherited"}, "appeals/unknown-category". Audited.
  Status SetDeadlineRule(const access::Principal& by, const DeadlineRule& rule);
  // Removes it (the scope then inherits again): same authority as setting it, cadres included
  // only if the inherited deadlines are not longer (removing a tightening would loosen).
  Status ClearDeadlineRule(const access::Principal& by, const std::string& scope, const std::string& category);

  // ---- which unit handles a category (分派规则) ----
  // The stored rules that apply to `village`, and the unit a new appeal of `category` goes to.
  Result<std::vector<UnitRule>> UnitRulesFor(std::string_view village);
  Result<ResolvedUnit> UnitFor(std::string_view category, std::string_view village);
  // Sets the rule of (scope, category). Who: a county admin over the scope, any level; a township
  // official over their township or its villages, village or township level; a village cadre over
  // their village, village level (the committee's departments). kPermissionDenied
  // "appeals/not-allowed" {action: "set_unit_rule"}; kInvalidArgument "appeals/bad-unit-rule"
  // {reason: "scope" | "department" | "level-above-yours"}, "appeals/unknown-category". Audited.
  Status SetUnitRule(const access::Principal& by, const UnitRule& rule);
  // Removes it (the place inherits again); a rule naming a level above the caller's is not theirs
  // to remove ("level-above-yours"). kNotFound "appeals/unit-rule-not-found". Audited.
  Status ClearUnitRule(const access::Principal& by, const std::string& scope, const std::string& category);

  // ---- inbox ----
  // What `reader`'s inbox covers: their account, the units they are members of (by role and
  // scope), the villages they supervise. A helper acting for a villager sees the villager's.
  static InboxReach InboxReachFor(const access::Principal& reader);
  Result<std::vector<Notification>> Inbox(const access::Principal& reader, bool unread_only, int64_t before_id,
                                          int limit);
  // kNotFound "appeals/notification-not-found".
  Status MarkRead(const access::Principal& reader, int64_t notification_id);

  // ---- rates ----
  // The rates of appeals submitted in [from_ms, to_ms) inside `scopes`, as of now.
  Result<std::vector<GroupRates>> Rates(const FactsQuery& query, GroupBy group_by);

  // ---- Open311 clients (appeal_service_client.cc) ----
  // Files an appeal for a villager on behalf of a client. Errors as Submit, and
  // kPermissionDenied "appeals/not-allowed" when the villager's home village lies outside the
  // client's scope; kInvalidArgument "appeals/submitter-not-found" for an unknown villager.
  Result<Appeal> SubmitForClient(const ClientSubmission& submission);
  // Opens the text and location for the client that filed the appeal, after writing
  // "appeals.read_personal" (no actor account; details name the client). kPermissionDenied
  // "appeals/not-allowed" for any other client; otherwise the errors of ReadContent.
  Result<AppealContent> ReadContentForClient(int64_t client_id, std::string_view request_id, const Appeal& appeal,
                                             std::string_view purpose);

  // ---- filed by the system (appeal_service_system.cc) ----
  // Errors as Submit (bad text, unknown category, submitter not found), and kAlreadyExists
  // "storage/conflict" when an appeal with this id exists. The villager's open-appeal limit does
  // not apply: the system, not the villager, decided to file it.
  Result<Appeal> SubmitForSystem(const SystemSubmission& submission);

  const AppealSettings& settings() const { return settings_; }
  int64_t NowMs() const;

 private:
  Result<PlanContext> ContextFor(const Appeal& appeal);
  Result<Appeal> Commit(const access::Principal& by, const Appeal& before, Plan plan);
  Status AuditRead(const access::Principal& reader, const Appeal& appeal, std::string_view purpose);
  Result<DeadlineDurations> InheritedDurations(const std::string& scope, const std::string& category);
  static Status ValidateIdempotencyKey(std::string_view key);
  std::string SubmissionFingerprint(const access::Principal& by, const SubmitRequest& request) const;
  Result<std::optional<Appeal>> FiledUnder(const SubmissionKey& key, bool after_conflict = false);

  AppealStore& store_;
  SubmitterLookup& people_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& audit_;
  const Clock& clock_;
  AppealSettings settings_;
};

// The audit event of a change, without the actor fields (EventFor fills those for people; the
// sweep leaves them 0). Shared by the service and the sweep.
access::AuditEvent ChangeEvent(access::AuditEvent base, const Appeal& after, const TimelineEntry& entry);

// UTC milliseconds of `clock`.
int64_t NowMsOf(const Clock& clock);

}  // namespace gz::appeals
