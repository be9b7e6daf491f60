// Appeal (诉求): one villager's demand in the 接诉即办 loop ("answer every appeal at once"), and
// the small value types around it: states, ratings, handling units, locations, limits.
//
// Layer: appeals domain (standard library, core and access only). The lifecycle rules live in
// appeal_state.h (the transition table) and lifecycle.h (what each transition changes); the store
// port in appeal_store.h.
//
// What is personal data here: the appeal's text and its location (villagers write names, phone
// numbers and addresses into them) and every timeline note. They are sealed at rest with
// crypto::FieldCipher (appeal_sealing.h) and only ever appear in this struct as envelopes. Kept in
// clear, because routing, deadlines, the sweep and the rates need them and they say nothing about
// a person beyond what the audit trail already records: the village, the category, the handling
// unit, the state, every time stamp and deadline, the counters, the rating and "solved" answer,
// the anonymous-to-public flag, and account / resident ids (ids, as in the audit trail).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::appeals {

// ---- states ---------------------------------------------------------------------------------

enum class AppealState {
  kSubmitted,    // 已提交: waiting for the handling unit to accept it
  kAccepted,     // 已签收
  kInProgress,   // 处置中
  kAnswered,     // 已反馈: waiting for the submitter's rating (or a supervisor's follow-up visit)
  kClosed,       // 已办结: rated by the submitter or at a recorded follow-up visit; final
  kTransferred,  // 已流转: waiting for the receiving unit to accept it
  kEscalated,    // 已升级: a deadline passed (or reopens ran out); the next level must act
  kReopened,     // 已重办: the submitter was not satisfied; back to the handling unit
  kRejected,     // 不予受理: out of scope, with a reason the submitter sees and may contest once
  kContested,    // 申诉复核中: the submitter contested a rejection; the next level reviews it
  kWithdrawn,    // 已撤回: withdrawn by the submitter; final
};
inline constexpr int kStateCount = 11;

// "submitted", "accepted", "in_progress", "answered", "closed", "transferred", "escalated",
// "reopened", "rejected", "contested", "withdrawn": the store and the API use these.
std::string_view StateCode(AppealState state);
std::optional<AppealState> ParseState(std::string_view code);
std::string_view StateNameZh(AppealState state);
std::span<const AppealState> AllStates();

// Closed and withdrawn: nothing changes the state any more (notes may still be added).
bool IsFinal(AppealState state);
// The states in which someone must first take the appeal in hand (签收, or review a contest):
// submitted, transferred, reopened, escalated, contested. The acceptance deadline runs in them.
bool AwaitsAcceptance(AppealState state);
// Not final, not rejected, not answered: the handling side owes the villager something.
bool IsOpen(AppealState state);

// ---- ratings (满意度) ------------------------------------------------------------------------

enum class Rating { kSatisfied, kBasicallySatisfied, kDissatisfied };
// "satisfied", "basically_satisfied", "dissatisfied".
std::string_view RatingCode(Rating rating);
std::optional<Rating> ParseRating(std::string_view code);
std::string_view RatingNameZh(Rating rating);  // 满意 / 基本满意 / 不满意
// Satisfied and basically satisfied count as satisfied in the satisfaction rate.
inline bool CountsAsSatisfied(Rating rating) { return rating != Rating::kDissatisfied; }

// Who recorded the rating: the submitter in the app, or a supervision committee member
// (村务监督委员会) at a follow-up visit, when the submitter did not rate in time.
enum class RatedVia { kSubmitter, kVisit };
std::string_view RatedViaCode(RatedVia via);  // "submitter" | "visit"
std::optional<RatedVia> ParseRatedVia(std::string_view code);

// How the appeal came in.
enum class Channel {
  kSelf,    // the villager, signed in
  kHelper,  // a digital helper acting for the villager under a recorded consent (代办)
  kStaff,   // a grid worker or village cadre recording what a villager told them
  // An application outside gongzhi filing for a villager with an API key issued by the county
  // (Open311 GeoReport v2, src/modules/open311): no account typed it in, the client is recorded.
  kOpen311,
};
std::string_view ChannelCode(Channel channel);  // "self" | "helper" | "staff" | "open311"
std::optional<Channel> ParseChannel(std::string_view code);

// ---- handling units -------------------------------------------------------------------------

// A handling unit is an office at one level of the hierarchy: the village committee (村委会), the
// township office (乡镇/街道), or the county (区县), optionally one department of it ("water").
// Members are whoever holds the level's role over the unit's division (see relations.h):
// village_cadre for a village committee, township_official for a township, county_admin for the
// county. Departments are routing labels; they do not change who is a member (no department
// roles exist yet).
enum class UnitLevel { kVillage, kTownship, kCounty };
std::string_view UnitLevelCode(UnitLevel level);  // "village" | "township" | "county"
std::optional<UnitLevel> ParseUnitLevel(std::string_view code);

struct HandlingUnit {
  UnitLevel level = UnitLevel::kVillage;
  std::string division;    // canonical 12-digit code of the village, township or county
  std::string department;  // "" or [a-z0-9_]{1,32}
  bool operator==(const HandlingUnit&) const = default;
  // "village:420114001205", "county:420114000000:water".
  std::string Key() const;
};

// Validates level, division and department. kInvalidArgument "appeals/bad-unit" {reason}:
// "division" (not a canonical code of that level), "department".
Result<HandlingUnit> MakeUnit(UnitLevel level, std::string_view division, std::string_view department = "");
// Parses Key(); same errors.
Result<HandlingUnit> ParseUnitKey(std::string_view key);

// REQUIRES: IsVillageCode(village).
HandlingUnit VillageUnitOf(std::string_view village);
HandlingUnit TownshipUnitOf(std::string_view village);
HandlingUnit CountyUnitOf(std::string_view village);
// The unit one level up (village -> its township, township -> its county); nullopt for a county.
std::optional<HandlingUnit> NextLevelUnit(const HandlingUnit& unit);
// True if `unit` may handle appeals of `village`: its division is the village or an ancestor.
bool UnitServes(const HandlingUnit& unit, std::string_view village);

// ---- division codes -------------------------------------------------------------------------

// A canonical 12-digit village code (the village group "VVV" is not 000 and neither is the
// township group). Appeals always belong to a village.
bool IsVillageCode(std::string_view code);
std::string TownshipOf(std::string_view village);  // first 9 digits + "000"
std::string CountyOf(std::string_view village);    // first 6 digits + "000000"

// ---- locations ------------------------------------------------------------------------------

// Where the problem is. PERSONAL: sealed at rest (a point next to a house names the household).
struct Location {
  double latitude = 0;
  double longitude = 0;
  std::string description;  // "村口第二个路灯", optional, <= kMaxLocationChars
  bool operator==(const Location&) const = default;
};

// ---- limits ---------------------------------------------------------------------------------

inline constexpr size_t kMinTextChars = 2;
inline constexpr size_t kMaxTextChars = 2000;    // characters (code points), not bytes
inline constexpr size_t kMaxNoteChars = 2000;
inline constexpr size_t kMinReasonChars = 2;     // for notes that are required (reasons, answers)
inline constexpr size_t kMaxLocationChars = 200;
inline constexpr size_t kMaxPurposeBytes = 500;  // the audit trail's limit


// kInvalidArgument "appeals/bad-text" {reason: "encoding" | "too-short" | "too-long", min, max}.
// Surrounding white space does not count towards the minimum.
Status ValidateAppealText(std::string_view text);
// A note (answer, reason, comment). `required`: at least kMinReasonChars. kInvalidArgument
// "appeals/bad-note" {reason, min, max}.
Status ValidateNote(std::string_view text, bool required);
// kInvalidArgument "appeals/bad-location" {reason: "latitude" | "longitude" | "description"}.
Status ValidateLocation(const Location& location);

// ---- the appeal -----------------------------------------------------------------------------

struct Appeal {
  int64_t id = 0;  // crypto::NewRowId: bound into the sealed fields' associated data
  std::string village;  // canonical 12-digit village code (the tenant)

  // Who it is for: the villager's account, or their resident record when they have no account
  // (recorded by staff), or both. At least one is set. The person acted for (acting_for) is
  // always this submitter; `recorded_by` is who typed it in.
  int64_t submitter_account = 0;
  int64_t submitter_resident = 0;
  int64_t recorded_by = 0;  // the account that entered it: the villager, a helper, a grid worker...; 0 for kOpen311
  int64_t consent_id = 0;   // the consent a helper acted under (channel kHelper), else 0
  Channel channel = Channel::kSelf;
  int64_t client_id = 0;    // the Open311 client that filed it (channel kOpen311), else 0

  std::string category;  // a code of the catalogue (categories.h)
  HandlingUnit unit;     // who must handle it now
  // While escalated (and remembered for the record until someone takes it): the unit above that
  // must act. Cleared when that unit accepts or re-dispatches the appeal.
  std::optional<HandlingUnit> escalated_to;
  AppealState state = AppealState::kSubmitted;
  bool anonymous_to_public = false;  // hidden from public views; never from the system

  std::string text_sealed;                     // PERSONAL: sealed at rest; every read audited.
  std::optional<std::string> location_sealed;  // PERSONAL: idem.

  int reopen_count = 0;
  int contest_count = 0;
  int escalation_count = 0;

  // Deadlines, UTC milliseconds. Each deadline has a round, so that the sweep can escalate
  // exactly once per deadline: (appeal, kind, round) is a unique key in the store.
  std::optional<int64_t> accept_due_ms;  // set while AwaitsAcceptance(state)
  int accept_round = 0;
  std::optional<int64_t> answer_due_ms;  // set until the appeal is answered (or ends)
  int answer_round = 0;
  std::optional<int64_t> rating_due_ms;  // while answered: after it, a supervisor may visit

  // Facts kept for the rates (metrics.h).
  int64_t first_accept_due_ms = 0;
  int64_t first_answer_due_ms = 0;
  std::optional<int64_t> first_accepted_at_ms;
  std::optional<bool> accepted_on_time;  // the first acceptance met the acceptance deadline then in force
  std::optional<int64_t> first_answered_at_ms;

  std::optional<Rating> rating;  // the latest rating
  std::optional<bool> solved;    // the villager's own answer to "is it solved?"
  std::optional<int64_t> rated_at_ms;
  std::optional<RatedVia> rated_via;

  int64_t submitted_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> ended_at_ms;  // closed, withdrawn or rejected

  int64_t version = 1;  // +1 with every change (optimistic concurrency); = the last timeline seq

  std::string township() const { return TownshipOf(village); }
  std::string county() const { return CountyOf(village); }
};

// The opened personal fields of an appeal.
struct AppealContent {
  std::string text;
  std::optional<Location> location;
  bool operator==(const AppealContent&) const = default;
};

}  // namespace gz::appeals
