// DeliberationService: the 四议两公开 procedure for major village matters, and villagers'
// proposals (村民议事).
//
// Layer: deliberation domain (service). Routes authorize first (function level by the
// dispatcher, object level with access::Gate::Require on the village); the service then applies
// the rules a policy table cannot express:
//   - a matter moves through the chain frozen when it was opened, one step at a time; Advance
//     refuses a meeting step whose latest recorded meeting missed its quorum, notice or majority
//     (problems quorum-not-met, notice-too-short, majority-not-reached, with the numbers);
//   - publication steps go through the disclosure module (a draft of kind resolution that
//     ANOTHER person publishes); the step is complete only once that item is published;
//   - spending recorded against a matter whose resolution is not published is flagged;
//   - one support per person per proposal (the database's UNIQUE constraint); reaching the
//     village's threshold starts the committee's answer deadline; unanswered, the proposal
//     becomes an appeal (proposal_sweep.h);
//   - every change is audited in its own transaction.
// Thread-safe (the store and the ports must be).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "modules/deliberation/deliberation_store.h"
#include "modules/deliberation/matter.h"
#include "modules/deliberation/rules.h"

namespace gz::deliberation {

// The disclosure module, as this one needs it (implemented at the composition root over
// disclosure::DisclosureService, so that neither module includes the other).
class Disclosures {
 public:
  virtual ~Disclosures() = default;
  // A draft of kind "resolution" in `village` by `by` (a cadre); returns its id. The
  // disclosure module's own problems pass through.
  virtual Result<int64_t> DraftResolution(const access::Principal& by, const std::string& village,
                                          const std::string& title, const std::string& text,
                                          const std::vector<std::string>& attachments) = 0;
  // When the item was published, or nullopt while it is a draft.
  virtual Result<std::optional<int64_t>> PublishedAt(int64_t item_id) = 0;
  // True when every hash names a scan uploaded to the village (the disclosure scans).
  virtual Result<bool> ScansKnown(const std::string& village, const std::vector<std::string>& hashes) = 0;
  // The bytes and media type of the scan with `sha256` uploaded to `village` (kNotFound
  // "attachments/attachment-not-found" otherwise).
  struct Scan {
    std::string bytes;
    std::string media_type;
    std::string extension;
  };
  virtual Result<Scan> ReadScan(const std::string& village, const std::string& sha256) = 0;
};

struct EffectiveChain {
  Chain chain;
  std::string source;  // "law" | "county:<code>" | "village:<code>"
  std::optional<ChainSetting> setting;
};

struct MeetingInput {
  std::string body;          // one of the step's body codes ("" = the only one)
  int64_t held_at_ms = 0;
  int64_t notice_at_ms = 0;  // 0: not recorded
  bool offline = true;
  Attendance attendance;
  Tally tally;               // counted votes (ignored when named votes are given)
  std::vector<NamedVote> named;
  std::string minutes;
  std::vector<std::string> attachments;
};

struct MatterView {
  Matter matter;
  Chain chain;
  std::vector<Meeting> meetings;
  std::vector<Publication> publications;
  std::vector<Spending> spending;
  std::vector<int64_t> published_at;  // per publication (same order): when published, 0 while a draft
  bool resolution_published = false;
  int64_t flagged_spending = 0;  // number of flagged spending records
};

struct ProposalView {
  Proposal proposal;
  std::vector<Comment> comments;
};

inline constexpr size_t kMaxMinutesChars = 20000;
inline constexpr size_t kMaxNamedVotes = 500;

class DeliberationService {
 public:
  // All must outlive the service. `disclosures` may be null (publication steps then refuse).
  DeliberationService(DeliberationStore& store, const Clock& clock, Disclosures* disclosures);

  static access::Target VillageTarget(const std::string& village);

  // ---- the chain ----
  Result<EffectiveChain> ChainFor(const std::string& village);
  // A county admin sets the county's chain (scope = county code); a village cadre sets the
  // village's override, naming the village's own decision that adopted it (decision 2..200
  // characters). Validated (ValidateChain); audited.
  Status SetChain(const access::Principal& by, const std::string& scope, const Chain& chain, const std::string& decision,
                  int64_t decision_item);

  Result<VillageSettings> Settings(const std::string& village);
  Status SetSettings(const access::Principal& by, const VillageSettings& s);

  // ---- matters ----
  Result<Matter> OpenMatter(const access::Principal& by, const std::string& village, const std::string& title,
                            const std::string& description, int64_t proposal_id);
  Result<Matter> GetMatter(int64_t id);
  Result<MatterView> View(int64_t id);
  Result<std::vector<Matter>> ListMatters(const std::string& village, int64_t before_id, int limit);
  // Records the current step's meeting (whatever its outcome: what happened is kept). The step
  // must be a meeting step. Returns the meeting with its outcome.
  Result<Meeting> RecordMeeting(const access::Principal& by, int64_t matter_id, const MeetingInput& in);
  // A scan a recorded meeting names (the attendance sheet photo, the minutes), read by staff of the
  // village's area: attendance sheets carry names and signatures, so every read is audited first
  // ("deliberation.read_scan" with the stated purpose; no record, no bytes). kNotFound
  // "deliberation/meeting-not-found" when the meeting is not the matter's,
  // "attachments/attachment-not-found" when it names no such scan.
  Result<Disclosures::Scan> ReadMeetingScan(const access::Principal& by, int64_t matter_id, int64_t meeting_id,
                                            const std::string& sha256, const std::string& purpose);
  // Moves to the next step when the current one is complete (see the class comment).
  Result<Matter> Advance(const access::Principal& by, int64_t matter_id, int64_t expected_version);
  // Drafts the disclosure of the current publication step. kFailedPrecondition
  // "deliberation/wrong-step" when the current step is not a publication or it has one already.
  Result<Publication> DraftPublication(const access::Principal& by, int64_t matter_id, const std::string& text);
  // Closes an open matter without completing it (the committee drops it, e.g. after a body voted
  // it down), with a reason of 2..500 characters shown to its readers. Audited.
  Result<Matter> Withdraw(const access::Principal& by, int64_t matter_id, const std::string& reason);
  Result<Spending> RecordSpending(const access::Principal& by, int64_t matter_id, int64_t amount_fen,
                                  const std::string& purpose, int64_t spent_at_ms, int64_t finance_item);
  Result<std::vector<Spending>> Flagged(const std::vector<std::string>& scopes, int limit);

  // ---- proposals ----
  Result<Proposal> Propose(const access::Principal& by, const std::string& village, const std::string& title,
                           const std::string& text);
  Result<Proposal> GetProposal(int64_t id);
  Result<ProposalView> ViewProposal(int64_t id);
  Result<std::vector<Proposal>> ListProposals(const std::string& village, int64_t before_id, int limit);
  Result<Proposal> Support(const access::Principal& by, const Proposal& p);
  Result<Comment> AddComment(const access::Principal& by, const Proposal& p, const std::string& text);
  Result<Comment> GetComment(int64_t id);
  Status HideComment(const access::Principal& by, const Comment& c, const std::string& reason);
  Status Answer(const access::Principal& by, const Proposal& p, const std::string& text);

  int64_t NowMs() const;

 private:
  Result<Matter> LoadOpen(int64_t id);

  DeliberationStore& store_;
  const Clock& clock_;
  Disclosures* disclosures_;
};

// Counts of characters (UTF-8 without control characters except TAB/LF/CR), or nullopt.
std::optional<size_t> TextChars(std::string_view text);
bool IsVillageCode(std::string_view code);
bool IsCountyCode(std::string_view code);

}  // namespace gz::deliberation
