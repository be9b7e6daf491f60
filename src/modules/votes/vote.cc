// Layer: votes domain (see vote.h).
#include "modules/votes/vote.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/disclosure/canonical_json.h"
#include "modules/disclosure/item.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

using disclosure::CanonicalValue;

Status BadVote(std::string_view field, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadVote)).With("field", std::string(field)).With("reason", std::string(reason));
}
Status BadBallot(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadBallot)).With("reason", std::string(reason));
}
Status BadCount(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadCount)).With("reason", std::string(reason));
}

bool TextOk(std::string_view text, size_t min_chars, size_t max_chars) {
  std::optional<size_t> n = CountTextChars(text);
  if (!n || *n < min_chars || *n > max_chars) return false;
  // No control characters in public text (they would print oddly on notices).
  return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

std::vector<int> Winners(const std::vector<int64_t>& counts) {
  std::vector<int> out;
  int64_t best = 0;
  for (int64_t c : counts) best = std::max(best, c);
  if (best == 0) return out;
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i] == best) out.push_back(static_cast<int>(i));
  return out;
}

CanonicalValue IntArray(const std::vector<int64_t>& v) {
  CanonicalValue a = CanonicalValue::Array();
  for (int64_t x : v) a.Push(CanonicalValue::Int(x));
  return a;
}

}  // namespace

std::string_view MethodCode(Method m) {
  switch (m) {
    case Method::kSingle: return "single";
    case Method::kApproval: return "approval";
    case Method::kRanked: return "ranked";
    case Method::kBudget: return "budget";
  }
  return "single";
}
std::optional<Method> ParseMethod(std::string_view c) {
  if (c == "single") return Method::kSingle;
  if (c == "approval") return Method::kApproval;
  if (c == "ranked") return Method::kRanked;
  if (c == "budget") return Method::kBudget;
  return std::nullopt;
}
std::string_view BudgetRuleCode(BudgetRule r) { return r == BudgetRule::kMes ? "mes" : "greedy"; }
std::string_view ScopeCode(Scope s) { return s == Scope::kTownship ? "township" : "village"; }

std::optional<Scope> ScopeOfDivision(std::string_view code) {
  if (code.size() != 12 || code.find_first_not_of("0123456789") != std::string_view::npos || code.substr(0, 2) == "00")
    return std::nullopt;
  if (code.substr(6, 3) == "000") return std::nullopt;  // a county or above
  return code.substr(9, 3) == "000" ? Scope::kTownship : Scope::kVillage;
}

std::string TownshipOfVillage(std::string_view village) {
  if (ScopeOfDivision(village) != Scope::kVillage) return "";
  return std::string(village.substr(0, 9)) + "000";
}

bool ReachesVillage(std::string_view division, std::string_view village) {
  std::optional<Scope> s = ScopeOfDivision(division);
  if (!s || ScopeOfDivision(village) != Scope::kVillage) return false;
  return *s == Scope::kVillage ? division == village : TownshipOfVillage(village) == division;
}

std::optional<BudgetRule> ParseBudgetRule(std::string_view c) {
  if (c == "greedy") return BudgetRule::kGreedy;
  if (c == "mes") return BudgetRule::kMes;
  return std::nullopt;
}
std::string_view BudgetRulePabulibName(BudgetRule r) { return r == BudgetRule::kMes ? "equalshares/add1" : "greedy"; }
std::string_view ElectorateCode(ElectorateRule r) {
  return r == ElectorateRule::kHouseholds ? "households" : "residents-18+";
}
std::optional<ElectorateRule> ParseElectorate(std::string_view c) {
  if (c == "residents-18+") return ElectorateRule::kResidents18;
  if (c == "households") return ElectorateRule::kHouseholds;
  return std::nullopt;
}
std::string_view ChannelCode(Channel c) { return c == Channel::kPaper ? "paper" : "online"; }
std::optional<Channel> ParseChannel(std::string_view c) {
  if (c == "online") return Channel::kOnline;
  if (c == "paper") return Channel::kPaper;
  return std::nullopt;
}
std::string_view StateCode(State s) {
  switch (s) {
    case State::kDraft: return "draft";
    case State::kOpen: return "open";
    case State::kClosed: return "closed";
  }
  return "draft";
}
std::optional<State> ParseState(std::string_view c) {
  if (c == "draft") return State::kDraft;
  if (c == "open") return State::kOpen;
  if (c == "closed") return State::kClosed;
  return std::nullopt;
}

Status CheckDraft(const DraftInput& in, Method* method, ElectorateRule* rule, Channel* channel) {
  std::optional<Scope> scope = ScopeOfDivision(in.village);
  if (!scope) return BadVote("village", "not-a-village-or-township");
  // A township votes only on a township-wide budget round's projects (the rounds are what
  // township staff manage; a township poll would need a procedure of its own).
  if (*scope == Scope::kTownship && (in.method != "budget" || in.round_id == 0))
    return BadVote("village", "township-budget-rounds-only");
  if (!TextOk(in.question, 2, kMaxQuestionChars)) return BadVote("question", "length");
  if (in.options.size() < kMinOptions || in.options.size() > kMaxOptions) return BadVote("options", "count");
  for (size_t i = 0; i < in.options.size(); ++i) {
    if (!TextOk(in.options[i], 1, kMaxOptionChars)) return BadVote("options", "length");
    for (size_t j = 0; j < i; ++j)
      if (in.options[j] == in.options[i]) return BadVote("options", "duplicate");
  }
  std::optional<Method> m = ParseMethod(in.method);
  if (!m) return BadVote("method", "unknown");
  std::optional<ElectorateRule> r = ParseElectorate(in.electorate);
  if (!r) return BadVote("electorate", "unknown");
  std::optional<Channel> c = ParseChannel(in.channel);
  if (!c) return BadVote("channel", "unknown");
  // Clerks count paper ballots per option; a ranking cannot be counted that way.
  if (*c == Channel::kPaper && *m == Method::kRanked) return BadVote("channel", "paper-not-ranked");
  if (*m == Method::kBudget) {
    // Each ballot must be checked against the budget as it is cast; clerks cannot do that.
    if (*c == Channel::kPaper) return BadVote("channel", "paper-not-budget");
    if (in.budget < 1 || in.budget > kMaxBudgetYuan) return BadVote("budget", "range");
    if (in.costs.size() != in.options.size()) return BadVote("costs", "one-per-option");
    for (int64_t cost : in.costs)
      if (cost < 1 || cost > in.budget) return BadVote("costs", "range");
    if (!ParseBudgetRule(in.budget_rule)) return BadVote("budget_rule", "unknown");
  } else if (!in.costs.empty() || in.budget != 0 || !in.budget_rule.empty() || in.round_id != 0) {
    return BadVote("budget", "budget-votes-only");
  }
  if (in.opens_at_ms <= 0) return BadVote("opens_at_ms", "required");
  if (in.closes_at_ms - in.opens_at_ms < kMinWindowMs) return BadVote("closes_at_ms", "before-opening");
  if (in.closes_at_ms - in.opens_at_ms > kMaxWindowMs) return BadVote("closes_at_ms", "window-too-long");
  *method = *m;
  *rule = *r;
  *channel = *c;
  return Status::Ok();
}

Status CheckChoice(const Vote& vote, const Choice& choice) {
  if (choice.empty()) return BadBallot("empty");
  if (choice.size() > vote.options.size()) return BadBallot("too-many");
  if (vote.method == Method::kSingle && choice.size() != 1) return BadBallot("one-option");
  std::vector<bool> seen(vote.options.size(), false);
  for (int i : choice) {
    if (i < 0 || static_cast<size_t>(i) >= vote.options.size()) return BadBallot("unknown-option");
    if (seen[static_cast<size_t>(i)]) return BadBallot("duplicate");
    seen[static_cast<size_t>(i)] = true;
  }
  if (vote.method == Method::kBudget) {
    int64_t total = 0;  // at most 30 costs of at most kMaxBudgetYuan: no overflow
    for (int i : choice) total += vote.costs.at(static_cast<size_t>(i));
    if (total > vote.budget)
      return InvalidArgument(std::string(problems::kOverBudget))
          .With("total", std::to_string(total))
          .With("budget", std::to_string(vote.budget));
  }
  return Status::Ok();
}

std::string ChoiceText(const Choice& choice) {
  std::string out = "[";
  for (size_t i = 0; i < choice.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(choice[i]);
  }
  return out + "]";
}

std::optional<Choice> ParseChoiceText(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  Choice out;
  std::string_view body = text.substr(1, text.size() - 2);
  while (!body.empty()) {
    size_t comma = body.find(',');
    std::string_view part = body.substr(0, comma);
    int v = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || end != part.data() + part.size() || part.empty()) return std::nullopt;
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return out;
}

Status CheckPaperCount(const Vote& vote, const PaperCount& c) {
  if (c.counts.size() != vote.options.size()) return BadCount("one-count-per-option");
  if (c.ballots < 0 || c.ballots > kMaxBallots || c.blank < 0 || c.blank > c.ballots) return BadCount("ballots");
  if (c.ballots > vote.electorate_size) return BadCount("more-ballots-than-electors");
  int64_t sum = 0;
  for (int64_t n : c.counts) {
    if (n < 0 || n > c.ballots - c.blank) return BadCount("option-count");
    sum += n;
  }
  // A single-choice paper names one option unless it is blank or spoiled.
  if (vote.method == Method::kSingle && sum != c.ballots - c.blank) return BadCount("sum");
  if (vote.method == Method::kApproval && c.ballots - c.blank > 0 && sum < c.ballots - c.blank) return BadCount("sum");
  return Status::Ok();
}

bool SameCount(const PaperCount& a, const PaperCount& b) {
  return a.ballots == b.ballots && a.blank == b.blank && a.counts == b.counts;
}

bool Tally::operator==(const Tally& o) const {
  if (ballots != o.ballots || blank != o.blank || counts != o.counts || winners != o.winners ||
      rounds.size() != o.rounds.size())
    return false;
  for (size_t i = 0; i < rounds.size(); ++i)
    if (rounds[i].votes != o.rounds[i].votes || rounds[i].exhausted != o.rounds[i].exhausted ||
        rounds[i].eliminated != o.rounds[i].eliminated)
      return false;
  if (budget.has_value() != o.budget.has_value()) return false;
  if (budget) {
    auto same = [](const pb::Outcome& a, const pb::Outcome& b) {
      if (a.selected != b.selected || a.spent != b.spent || a.results.size() != b.results.size()) return false;
      for (size_t i = 0; i < a.results.size(); ++i)
        if (a.results[i].reason_code != b.results[i].reason_code) return false;
      return true;
    };
    if (!same(budget->greedy, o.budget->greedy) || !same(budget->mes, o.budget->mes)) return false;
  }
  return true;
}

pb::Instance BudgetInstance(const Vote& vote, const std::vector<Choice>& ballots) {
  pb::Instance in;
  in.budget = vote.budget;
  in.unit_scale = 1;
  for (size_t i = 0; i < vote.options.size(); ++i) {
    pb::Project p;
    p.id = std::to_string(i);
    p.name = vote.options[i];
    p.cost = i < vote.costs.size() ? vote.costs[i] : 0;
    in.projects.push_back(std::move(p));
  }
  in.ballots.reserve(ballots.size());
  for (size_t b = 0; b < ballots.size(); ++b) {
    pb::Ballot ballot;
    ballot.voter_id = std::to_string(b + 1);
    for (int i : ballots[b]) ballot.approved.push_back(static_cast<size_t>(i));
    in.ballots.push_back(std::move(ballot));
  }
  return in;
}

namespace {

// A pabulib CSV field: quoted when it holds ';' or '"' (doubled inside), as the format says.
std::string PbField(std::string_view text) {
  if (text.find_first_of(";\"") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string BudgetPabulib(const Vote& vote, const std::vector<Choice>& ballots) {
  pb::Instance in = BudgetInstance(vote, ballots);
  std::vector<int64_t> approvals = pb::ApprovalCounts(in);
  std::string out = "META\nkey;value\n";
  auto meta = [&](std::string_view k, std::string_view v) { out += std::string(k) + ";" + PbField(v) + "\n"; };
  meta("description", vote.question);
  meta("country", "China");
  meta("unit", vote.village);
  meta("instance", std::to_string(vote.id));
  meta("num_projects", std::to_string(in.projects.size()));
  meta("num_votes", std::to_string(in.ballots.size()));
  meta("budget", std::to_string(vote.budget));
  meta("vote_type", "approval");
  meta("rule", BudgetRulePabulibName(vote.budget_rule));
  meta("currency", "CNY");
  meta("language", "zh");
  meta("max_sum_cost", std::to_string(vote.budget));
  out += "PROJECTS\nproject_id;cost;votes;name\n";
  for (size_t i = 0; i < in.projects.size(); ++i)
    out += in.projects[i].id + ";" + std::to_string(in.projects[i].cost) + ";" + std::to_string(approvals[i]) + ";" +
           PbField(in.projects[i].name) + "\n";
  out += "VOTES\nvoter_id;vote\n";
  for (const pb::Ballot& b : in.ballots) {
    out += b.voter_id + ";";
    for (size_t k = 0; k < b.approved.size(); ++k) {
      if (k > 0) out += ",";
      out += std::to_string(b.approved[k]);
    }
    out += "\n";
  }
  return out;
}

Tally CountBallots(const Vote& vote, const std::vector<Choice>& ballots) {
  const size_t n = vote.options.size();
  Tally t;
  t.ballots = static_cast<int64_t>(ballots.size());
  t.counts.assign(n, 0);
  for (const Choice& c : ballots) {
    if (c.empty()) continue;
    if (vote.method == Method::kApproval || vote.method == Method::kBudget) {
      for (int i : c) ++t.counts[static_cast<size_t>(i)];
    } else {
      ++t.counts[static_cast<size_t>(c.front())];
    }
  }
  if (vote.method == Method::kBudget) {
    pb::Instance in = BudgetInstance(vote, ballots);
    BudgetTally b;
    b.greedy = pb::Tally(in, pb::Rule::kGreedy, pb::Completion::kNone);
    b.mes = pb::Tally(in, pb::Rule::kEqualShares, pb::Completion::kAddOne);
    for (size_t p : b.Chosen(vote.budget_rule).selected) t.winners.push_back(static_cast<int>(p));
    t.budget = std::move(b);
    return t;
  }
  if (vote.method != Method::kRanked) {
    t.winners = Winners(t.counts);
    return t;
  }
  if (ballots.empty()) return t;
  std::vector<bool> continuing(n, true);
  size_t left = n;
  while (true) {
    Round r;
    r.votes.assign(n, -1);
    for (size_t i = 0; i < n; ++i)
      if (continuing[i]) r.votes[i] = 0;
    for (const Choice& c : ballots) {
      auto top = std::find_if(c.begin(), c.end(), [&](int i) { return continuing[static_cast<size_t>(i)]; });
      if (top == c.end()) ++r.exhausted;
      else ++r.votes[static_cast<size_t>(*top)];
    }
    const int64_t active = t.ballots - r.exhausted;
    int64_t most = -1, fewest = -1;
    for (size_t i = 0; i < n; ++i) {
      if (!continuing[i]) continue;
      most = std::max(most, r.votes[i]);
      fewest = fewest < 0 ? r.votes[i] : std::min(fewest, r.votes[i]);
    }
    for (size_t i = 0; i < n; ++i)
      if (continuing[i] && 2 * r.votes[i] > active) t.winners = {static_cast<int>(i)};
    if (!t.winners.empty() || left == 1 || most == fewest) {
      if (t.winners.empty() && active > 0)
        for (size_t i = 0; i < n; ++i)
          if (continuing[i]) t.winners.push_back(static_cast<int>(i));
      t.rounds.push_back(std::move(r));
      return t;
    }
    // Eliminate: fewest votes, then fewest first preferences, then listed last.
    int out = -1;
    for (size_t i = 0; i < n; ++i) {
      if (!continuing[i] || r.votes[i] != fewest) continue;
      if (out < 0 || t.counts[i] <= t.counts[static_cast<size_t>(out)]) out = static_cast<int>(i);
    }
    r.eliminated = out;
    continuing[static_cast<size_t>(out)] = false;
    --left;
    t.rounds.push_back(std::move(r));
  }
}

Tally CountPaper(const Vote& vote, const PaperCount& agreed) {
  (void)vote;
  Tally t;
  t.ballots = agreed.ballots;
  t.blank = agreed.blank;
  t.counts = agreed.counts;
  t.winners = Winners(t.counts);
  return t;
}

namespace {
// Where the vote belongs. Village votes: "village" only, so that formats /1 and /2 keep their
// exact bytes. Township votes (format /3): "scope" and "township" instead -- never a township
// code under the key "village".
void SetScope(CanonicalValue& e, const Vote& v) {
  if (v.scope() == Scope::kTownship) {
    e.Set("scope", CanonicalValue::String("township")).Set("township", CanonicalValue::String(v.village));
  } else {
    e.Set("village", CanonicalValue::String(v.village));
  }
}
}  // namespace

std::string RulesEntry(const Vote& v) {
  CanonicalValue options = CanonicalValue::Array();
  for (const std::string& o : v.options) options.Push(CanonicalValue::String(o));
  const bool budget = v.method == Method::kBudget;
  CanonicalValue electorate = CanonicalValue::Object();
  electorate.Set("as_of", CanonicalValue::String(v.electorate_as_of))
      .Set("rule", CanonicalValue::String(ElectorateCode(v.electorate)))
      .Set("size", CanonicalValue::Int(v.electorate_size));
  CanonicalValue e = CanonicalValue::Object();
  // Budget votes carry more rules (budget, costs, rule): a new format, so that every entry of
  // format /1 keeps its exact bytes and meaning.
  const bool township = v.scope() == Scope::kTownship;
  e.Set("format", CanonicalValue::String(township ? "gongzhi-vote-rules/3"
                                         : budget ? "gongzhi-vote-rules/2"
                                                  : "gongzhi-vote-rules/1"))
      .Set("vote", CanonicalValue::String(std::to_string(v.id)));
  SetScope(e, v);
  e.Set("question", CanonicalValue::String(v.question))
      .Set("options", std::move(options))
      .Set("method", CanonicalValue::String(MethodCode(v.method)))
      .Set("tie_break", CanonicalValue::String(v.method == Method::kRanked ? "irv-fewest-first-then-listed-last"
                                               : budget ? "more-approvals-then-cheaper-then-listed-first"
                                                        : "none"))
      .Set("electorate", std::move(electorate))
      .Set("secret", CanonicalValue::Bool(v.secret))
      .Set("channel", CanonicalValue::String(ChannelCode(v.channel)))
      .Set("opens_at_ms", CanonicalValue::Int(v.opens_at_ms))
      .Set("closes_at_ms", CanonicalValue::Int(v.closes_at_ms))
      .Set("opened_at_ms", CanonicalValue::Int(v.opened_at_ms));
  if (budget) {
    e.Set("budget", CanonicalValue::Int(v.budget))
        .Set("costs", IntArray(v.costs))
        .Set("budget_rule", CanonicalValue::String(BudgetRulePabulibName(v.budget_rule)))
        .Set("currency", CanonicalValue::String("CNY"));
  }
  return e.Serialize();
}

std::string TallyEntry(const Vote& v, const Tally& t, int64_t closed_at_ms) {
  CanonicalValue rounds = CanonicalValue::Array();
  for (const Round& r : t.rounds) {
    CanonicalValue o = CanonicalValue::Object();
    o.Set("votes", IntArray(r.votes)).Set("exhausted", CanonicalValue::Int(r.exhausted)).Set("eliminated", CanonicalValue::Int(r.eliminated));
    rounds.Push(std::move(o));
  }
  CanonicalValue winners = CanonicalValue::Array();
  for (int w : t.winners) winners.Push(CanonicalValue::Int(w));
  const bool budget = v.method == Method::kBudget && t.budget.has_value();
  CanonicalValue e = CanonicalValue::Object();
  const bool township = v.scope() == Scope::kTownship;
  e.Set("format", CanonicalValue::String(township ? "gongzhi-vote-tally/3"
                                         : budget ? "gongzhi-vote-tally/2"
                                                  : "gongzhi-vote-tally/1"))
      .Set("vote", CanonicalValue::String(std::to_string(v.id)));
  SetScope(e, v);
  e.Set("rules_log_index", CanonicalValue::Int(v.rules_log_index))
      .Set("rules_sha256", CanonicalValue::String(crypto::Sha256Hex(v.rules_entry)))
      .Set("method", CanonicalValue::String(MethodCode(v.method)))
      .Set("channel", CanonicalValue::String(ChannelCode(v.channel)))
      .Set("electorate_size", CanonicalValue::Int(v.electorate_size))
      .Set("ballots", CanonicalValue::Int(t.ballots))
      .Set("blank", CanonicalValue::Int(t.blank))
      .Set("counts", IntArray(t.counts))
      .Set("rounds", std::move(rounds))
      .Set("winners", std::move(winners))
      .Set("closed_at_ms", CanonicalValue::Int(closed_at_ms));
  if (budget) {
    // Reason codes and sums, never prose: the explanations are recomputed from the ballots.
    auto outcome = [](const pb::Outcome& o, std::string_view rule) {
      CanonicalValue selected = CanonicalValue::Array();
      for (size_t p : o.selected) selected.Push(CanonicalValue::Int(static_cast<int64_t>(p)));
      CanonicalValue reasons = CanonicalValue::Array();
      for (const pb::ProjectResult& r : o.results) reasons.Push(CanonicalValue::String(r.reason_code));
      CanonicalValue x = CanonicalValue::Object();
      x.Set("rule", CanonicalValue::String(rule))
          .Set("selected", std::move(selected))
          .Set("reasons", std::move(reasons))
          .Set("spent", CanonicalValue::Int(o.spent));
      return x;
    };
    const BudgetRule other = v.budget_rule == BudgetRule::kMes ? BudgetRule::kGreedy : BudgetRule::kMes;
    e.Set("budget", CanonicalValue::Int(v.budget))
        .Set("budget_rule", CanonicalValue::String(BudgetRulePabulibName(v.budget_rule)))
        .Set("outcome", outcome(t.budget->Chosen(v.budget_rule), BudgetRulePabulibName(v.budget_rule)))
        .Set("comparison", outcome(t.budget->Other(v.budget_rule), BudgetRulePabulibName(other)));
  }
  return e.Serialize();
}

}  // namespace gz::votes
