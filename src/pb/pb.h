// Participatory budgeting: the pabulib `.pb` format and the rules that pick projects within a
// budget (greedy by support, as Decidim and CONSUL do; the Method of Equal Shares).
//
// Layer: a pure library (core/ and the standard library, Boost.Multiprecision for exact
// arithmetic): no SQL, no HTTP. The votes module tallies budget ballots with it and
// `gongzhi pb-tally` recomputes published outcomes offline. The rules, their sources and the tie
// breaking are explained in docs/participatory-budgeting.md.
//
// Money is an integer count of the instance's smallest unit (fen, cents, or 1/10^d of the
// currency when a .pb file writes d decimals); no decision is ever taken in floating point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gz::pb {

struct Project {
  std::string id;    // as written in the file ("c1", "38857"): text, never a number
  std::string name;
  int64_t cost = 0;  // in the instance's smallest unit
  // The file's `selected` column (1 funded, 0 not, 2 funded for a special reason), when present.
  std::optional<int64_t> selected_in_file;
};

// One voter's ballot: indexes into Instance::projects. For cumulative and scoring ballots
// `points` holds one number per entry of `approved` (same order); it is empty for approval,
// choose-1 and ordinal ballots (ordinal: `approved` is most preferred first).
struct Ballot {
  std::string voter_id;
  std::vector<size_t> approved;
  std::vector<int64_t> points;
};

struct Instance {
  std::vector<std::pair<std::string, std::string>> meta;  // as in the file, in order
  int64_t budget = 0;                                     // same unit as costs
  std::vector<Project> projects;
  std::vector<Ballot> ballots;
  // Smallest units per currency unit: 1 for whole yuan/euros, 100 when costs are in fen/cents or
  // a file writes two decimals. MES's add-one completion raises each voter's share by one
  // currency unit (= unit_scale) per step, as equalshares.net does.
  int64_t unit_scale = 1;

  // The META value for `key`, or empty.
  std::string_view Meta(std::string_view key) const;
};

enum class Rule {
  kGreedy,        // by support, highest first; skip a project that does not fit, go on
  kEqualShares,   // the Method of Equal Shares (cost utilities, as equalshares.net)
  kGreedyNoSkip,  // by support, highest first; stop at the first project that does not fit
};
enum class Completion { kNone, kAddOne };  // MES completion: none, or add-one (increase the budget)

struct ProjectResult {
  size_t project = 0;
  bool selected = false;
  // Stable codes: "selected", "over-budget" (greedy: did not fit in what was left),
  // "greedy-stopped" (greedy-no-skip: counting stopped at an earlier project), "no-support"
  // (nobody voted for it), "mes-unaffordable" (MES: its supporters' remaining money fell below
  // its cost).
  std::string reason_code;
  std::string explanation_en;  // plain words with the numbers
};

struct Outcome {
  std::vector<size_t> selected;        // in the order the rule chose them
  std::vector<ProjectResult> results;  // one per project, in file order
  int64_t spent = 0;
  // MES: the total budget the final run shared among voters (with add-one, larger than the
  // instance's budget) and how many runs add-one made. 0 for greedy.
  int64_t mes_budget_used = 0;
  int mes_runs = 0;
  std::vector<std::string> notes_en;   // how the rule ran (completion steps, ...)
};

struct ParseLimits {
  size_t max_bytes = 256u << 20;
  size_t max_projects = 20000;
  size_t max_ballots = 5000000;
  size_t max_line_bytes = 1u << 20;
  int max_decimals = 6;                // digits after the point in a cost or the budget
};

// Reads a pabulib .pb file (docs in tests/pb/data/FORMAT.md). A malformed file gives
// InvalidArgument "pb/malformed" with arguments `line` (1-based, 0 when not about one line) and
// `reason` (English); a file over the limits gives TooLarge "pb/too-large" with the same ones.
Result<Instance> ParsePabulib(std::string_view text, const ParseLimits& limits = {});
// "line 12: reason" (or the reason alone) for a Status from ParsePabulib.
std::string DescribeParseError(const Status& status);

// Whether an Instance built by code (not parsed) is one Tally is meant for: budget and costs
// >= 0 and below 2^52, every ballot's indexes in range and distinct, points (when given) one per
// approved project and >= 0. InvalidArgument "pb/invalid-instance" with a `reason` otherwise.
Status Validate(const Instance& instance);

// REQUIRES: Validate(instance).ok() (ParsePabulib's results always are). Deterministic.
// MES with add-one runs MES once per one-currency-unit step of the voters' share (at most 20000
// runs): cheap for a village, seconds to a minute for a city of thousands of voters and hundreds
// of projects (docs/participatory-budgeting.md, "Speed").
Outcome Tally(const Instance& instance, Rule rule, Completion completion);

// A project's support for greedy: the sum of its points, one per approval when ballots have none.
std::vector<int64_t> Support(const Instance& instance);
// How many ballots name each project.
std::vector<int64_t> ApprovalCounts(const Instance& instance);

// `amount` (smallest units) in currency units with the decimals unit_scale implies: "1234.50".
std::string FormatAmount(int64_t amount, int64_t unit_scale);

// The rule a file's META `rule` names, when this library implements it ("greedy",
// "greedy-no-skip", "equalshares", "equalshares/add1"); nullopt otherwise.
struct NamedRule {
  Rule rule;
  Completion completion;
};
std::optional<NamedRule> RuleFromMeta(std::string_view meta_rule);

}  // namespace gz::pb
