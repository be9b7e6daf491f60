// Votes and polls (村民投票): the domain types, ballot rules, the tally and the two transparency-log
// entries ("gongzhi-vote-rules/1" before a vote opens, "gongzhi-vote-tally/1" after it closes;
// docs/transparency-log.md defines their bytes).
//
// Layer: votes domain (standard library, core and the disclosure module's canonical JSON writer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "pb/pb.h"

namespace gz::votes {

// single: one option. approval: any non-empty set of options. ranked: a preference order of some
// or all options, counted by instant-runoff (see Tally). budget (participatory budgeting): the
// options are projects with costs; a ballot approves projects whose costs together fit the budget
// (knapsack ballot), and the vote's budget rule (greedy or the Method of Equal Shares, src/pb)
// picks the funded projects.
enum class Method { kSingle, kApproval, kRanked, kBudget };
// How a budget vote picks projects (fixed in the rules before opening).
//   greedy: by approvals, most first, skipping what no longer fits (Decidim, CONSUL).
//   mes:    the Method of Equal Shares with add-one completion (equalshares.net).
enum class BudgetRule { kGreedy, kMes };
// residents-18+: one ballot per resident of the village aged 18 or more on the opening date (UTC+8).
// households: one ballot per household of the village that has such a resident; any adult member
// may cast it, first come.
enum class ElectorateRule { kResidents18, kHouseholds };
// online: ballots through the API. paper: ballots cast on paper at a meeting, counted by two
// clerks who enter their counts independently.
enum class Channel { kOnline, kPaper };
enum class State { kDraft, kOpen, kClosed };
// Where a vote (or a budget round) belongs: one village, or a whole township (a township-wide
// budget round: the electorate is every village of the township). The scope follows from the
// 12-digit division code the vote or round carries: a village code (VVV != 000) or a township
// code (TTT != 000, VVV == 000). Nothing else is a scope.
enum class Scope { kVillage, kTownship };

std::string_view MethodCode(Method m);  // "single" "approval" "ranked" "budget"
std::optional<Method> ParseMethod(std::string_view code);
std::string_view ElectorateCode(ElectorateRule r);  // "residents-18+" "households"
std::optional<ElectorateRule> ParseElectorate(std::string_view code);
std::string_view ChannelCode(Channel c);  // "online" "paper"
std::optional<Channel> ParseChannel(std::string_view code);
std::string_view StateCode(State s);  // "draft" "open" "closed"
std::optional<State> ParseState(std::string_view code);
std::string_view BudgetRuleCode(BudgetRule r);  // "greedy" "mes"
std::optional<BudgetRule> ParseBudgetRule(std::string_view code);
std::string_view ScopeCode(Scope s);  // "village" "township"
// The scope a division code names; nullopt for anything that is not 12 digits naming a village or
// a township (a county, a city, garbage).
std::optional<Scope> ScopeOfDivision(std::string_view code);
// The township of a village code (its first nine digits, then 000); "" for anything else.
std::string TownshipOfVillage(std::string_view village);
// Whether a vote or round of `division` reaches `village`: the village itself, or a township
// containing it.
bool ReachesVillage(std::string_view division, std::string_view village);

inline constexpr size_t kMinOptions = 2;
inline constexpr size_t kMaxOptions = 30;
inline constexpr size_t kMaxQuestionChars = 500;
inline constexpr size_t kMaxOptionChars = 200;
// A vote longer than 90 days is a mistake (and keeps the frozen electorate meaningful).
inline constexpr int64_t kMaxWindowMs = 90LL * 24 * 3600 * 1000;
inline constexpr int64_t kMinWindowMs = 1000;
inline constexpr int64_t kMaxBallots = 10'000'000;
// Budget votes: whole yuan. A village budget above 1e10 yuan is a typo; the bound also keeps every
// sum of costs far below 2^52 (src/pb's exact arithmetic).
inline constexpr int64_t kMaxBudgetYuan = 10'000'000'000;

struct DraftInput {
  // The vote's division: a village, or a township for the vote of a township-wide budget round
  // (only those: CheckDraft refuses other township votes).
  std::string village;
  std::string question;
  std::vector<std::string> options;
  std::string method;
  std::string electorate;
  bool secret = true;
  std::string channel = "online";
  int64_t opens_at_ms = 0;
  int64_t closes_at_ms = 0;
  // Budget votes only: the budget and one cost per option (whole yuan), the rule ("greedy" or
  // "mes") and the budget round the projects come from (0: none).
  int64_t budget = 0;
  std::vector<int64_t> costs;
  std::string budget_rule;
  int64_t round_id = 0;
  std::vector<int64_t> round_projects;  // the round's accepted projects, one per option
};

struct Vote {
  int64_t id = 0;
  std::string village;  // the vote's division: a village, or a township (scope())
  std::string question;
  std::vector<std::string> options;
  Method method = Method::kSingle;
  ElectorateRule electorate = ElectorateRule::kResidents18;
  bool secret = true;
  Channel channel = Channel::kOnline;
  int64_t opens_at_ms = 0;
  int64_t closes_at_ms = 0;
  // Budget votes only (method kBudget): see DraftInput.
  int64_t budget = 0;
  std::vector<int64_t> costs;
  BudgetRule budget_rule = BudgetRule::kGreedy;
  int64_t round_id = 0;
  std::vector<int64_t> round_projects;
  State state = State::kDraft;
  int64_t drafted_by = 0;
  int64_t drafted_at_ms = 0;
  // Set when opened (the rules entry is then in the log at rules_log_index).
  int64_t opened_by = 0;
  int64_t opened_at_ms = 0;
  std::string electorate_as_of;  // "2026-11-29": the date ages are counted on
  int64_t electorate_size = 0;   // persons or households
  std::string rules_entry;
  int64_t rules_log_index = -1;
  // Set when closed. closed_by 0: closed by the server on the first read after closes_at_ms.
  int64_t closed_by = 0;
  int64_t closed_at_ms = 0;
  std::string tally_entry;
  int64_t tally_log_index = -1;

  Scope scope() const { return ScopeOfDivision(village).value_or(Scope::kVillage); }
};

// Validates a draft's fields: kInvalidArgument "votes/bad-vote" {field, reason}.
Status CheckDraft(const DraftInput& in, Method* method, ElectorateRule* rule, Channel* channel);

// A ballot: option indexes. single: exactly one. approval and budget: 1..n distinct. ranked: 1..n
// distinct, most preferred first. kInvalidArgument "votes/bad-ballot" {reason}; a budget ballot
// whose projects cost more than the budget: kInvalidArgument "votes/over-budget" {total} {budget}.
using Choice = std::vector<int>;
Status CheckChoice(const Vote& vote, const Choice& choice);
// "[0,2]" and back (the stored form of a ballot). nullopt for anything else.
std::string ChoiceText(const Choice& choice);
std::optional<Choice> ParseChoiceText(std::string_view text);

// Paper ballots as one clerk counted them.
struct PaperCount {
  int64_t clerk = 0;               // account
  int64_t ballots = 0;             // ballot papers in the box, blank and spoiled included
  int64_t blank = 0;               // blank or spoiled papers
  std::vector<int64_t> counts;     // per option (single: votes; approval: approvals)
  int64_t entered_at_ms = 0;
  bool operator==(const PaperCount&) const = default;
};
// kInvalidArgument "votes/bad-count" {reason}: sizes, negative numbers, sums that cannot be.
Status CheckPaperCount(const Vote& vote, const PaperCount& count);
// Whether two clerks' counts agree (ballots, blank and every option).
bool SameCount(const PaperCount& a, const PaperCount& b);

// One instant-runoff round: the continuing options' votes (-1 for eliminated ones) and the
// option eliminated after it (-1 in the last round).
struct Round {
  std::vector<int64_t> votes;
  int64_t exhausted = 0;
  int eliminated = -1;
};

// A budget vote's outcome under both rules: the vote's rule decides, the other is shown beside
// it for comparison. Project positions are the vote's option positions.
struct BudgetTally {
  pb::Outcome greedy;
  pb::Outcome mes;
  const pb::Outcome& Chosen(BudgetRule rule) const { return rule == BudgetRule::kMes ? mes : greedy; }
  const pb::Outcome& Other(BudgetRule rule) const { return rule == BudgetRule::kMes ? greedy : mes; }
};

struct Tally {
  int64_t ballots = 0;        // counted ballots (paper: ballot papers, blank included)
  int64_t blank = 0;          // paper only: blank or spoiled papers
  // single: votes; approval and budget: approvals; ranked: first preferences
  std::vector<int64_t> counts;
  std::vector<Round> rounds;  // ranked only
  // One option, or every option of a tie; none without ballots. budget: the funded projects, in
  // the order the vote's rule chose them.
  std::vector<int> winners;
  std::optional<BudgetTally> budget;  // budget votes only
  bool operator==(const Tally& other) const;
};

// The pb instance of a budget vote: projects "0".."n-1" (option positions) with their costs in
// yuan (unit_scale 1), the budget, and one anonymous approval ballot per stored ballot, voters
// numbered "1".."m" in the order given (the store's order of random ballot ids).
pb::Instance BudgetInstance(const Vote& vote, const std::vector<Choice>& ballots);
// The vote as a pabulib .pb file (the tally's input, nothing else): META with the budget and the
// rule in pabulib's names ("greedy", "equalshares/add1"), PROJECTS with approvals, VOTES with
// anonymous voter numbers -- never a resident, household or account id, also for named votes.
// `gongzhi pb-tally --rule file` recomputes the published outcome from it.
std::string BudgetPabulib(const Vote& vote, const std::vector<Choice>& ballots);
// pabulib's name of a budget rule: "greedy" or "equalshares/add1".
std::string_view BudgetRulePabulibName(BudgetRule rule);

// The tally of online ballots.
//  single / approval: the most votes (approvals) win; equal highest counts are a tie (all listed).
//  ranked: instant-runoff. Each round counts every ballot for its most preferred continuing option
//    (ballots with none left are exhausted). An option with more than half of the non-exhausted
//    ballots wins. Otherwise, if all continuing options have equal votes, they tie; else the option
//    with the fewest votes is eliminated, a tie for fewest broken by fewer first preferences, then
//    by the option listed LAST in the rules (deterministic; documented in the rules' method).
Tally CountBallots(const Vote& vote, const std::vector<Choice>& ballots);
// The tally of an agreed paper count (single or approval).
Tally CountPaper(const Vote& vote, const PaperCount& agreed);

// The entries (canonical JSON, sorted keys, integers only). Village votes: formats /1 (and /2 for
// budget votes), byte for byte as before townships existed. Township votes (budget only): /3,
// which is /2 with "scope":"township" and "township":code in place of "village"
// (docs/transparency-log.md).
std::string RulesEntry(const Vote& vote);
std::string TallyEntry(const Vote& vote, const Tally& tally, int64_t closed_at_ms);

}  // namespace gz::votes
