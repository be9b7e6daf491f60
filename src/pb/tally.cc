// The rules: greedy (skip or stop at what does not fit) and the Method of Equal Shares with
// add-one completion. docs/participatory-budgeting.md explains them and cites their sources.
//
// Exactness of MES. Every voter starts with B/n. When a project is bought, each of its
// supporters pays min(own money, rho) where rho = (cost - what the poorer supporters paid) / k,
// so money becomes a fraction whose denominator gains a factor k per purchase. Instead of a
// rational per voter, all money is kept as integers over ONE common denominator D (a big
// integer, Boost.Multiprecision cpp_int): buying with rho = X / (k * D) multiplies D and every
// numerator by k and subtracts X. Every comparison is then an exact integer comparison, and the
// common factor is divided out after each purchase so the numbers stay small. Voters whose money
// is equal share one "class" (they start in one class; a purchase splits a class into payers
// and non-payers; everyone at zero shares one class), so the work per candidate is a pass over
// its supporters plus exact arithmetic per class, not per voter.

#include <algorithm>
#include <cstdint>
#include <numeric>

#include <boost/multiprecision/cpp_int.hpp>

#include "pb/pb.h"

namespace gz::pb {
namespace {

using BigInt = boost::multiprecision::cpp_int;

// The order in which ties are broken, for both rules: more supporters first, then the cheaper
// project, then the one listed first in the file.
bool TieBreakBefore(const Instance& inst, const std::vector<int64_t>& approvals, size_t a, size_t b) {
  if (approvals[a] != approvals[b]) return approvals[a] > approvals[b];
  if (inst.projects[a].cost != inst.projects[b].cost) return inst.projects[a].cost < inst.projects[b].cost;
  return a < b;
}

std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// num / den smallest units, as currency with two decimals (display only, rounded half up).
std::string FormatFraction(const BigInt& num, const BigInt& den, int64_t unit_scale) {
  BigInt cents = (num * 200 / (den * unit_scale) + 1) / 2;
  BigInt whole = cents / 100;
  int64_t frac = static_cast<int64_t>(cents % 100);
  std::string f = std::to_string(frac);
  if (f.size() < 2) f = "0" + f;
  return whole.str() + "." + f;
}

// a/b with two decimals (display only).
std::string FormatRatio(const BigInt& a, const BigInt& b) {
  BigInt hundredths = (a * 200 / b + 1) / 2;
  std::string f = static_cast<BigInt>(hundredths % 100).str();
  if (f.size() < 2) f = "0" + f;
  return static_cast<BigInt>(hundredths / 100).str() + "." + f;
}

Outcome Greedy(const Instance& inst, bool skip) {
  const size_t m = inst.projects.size();
  std::vector<int64_t> support = Support(inst);
  std::vector<int64_t> approvals = ApprovalCounts(inst);
  bool points = std::any_of(inst.ballots.begin(), inst.ballots.end(), [](const Ballot& b) { return !b.points.empty(); });
  std::string unit = points ? "points" : "approvals";
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (support[a] != support[b]) return support[a] > support[b];
    return TieBreakBefore(inst, approvals, a, b);
  });
  Outcome out;
  out.results.resize(m);
  int64_t left = inst.budget;
  std::optional<size_t> stopped_at;
  for (size_t rank = 0; rank < m; ++rank) {
    size_t p = order[rank];
    const Project& proj = inst.projects[p];
    ProjectResult& r = out.results[p];
    r.project = p;
    std::string who = "ranked " + std::to_string(rank + 1) + " of " + std::to_string(m) + " with " +
                      Plural(support[p], points ? "point" : "approval", unit) + "; costs " +
                      FormatAmount(proj.cost, inst.unit_scale);
    if (support[p] == 0) {
      r.reason_code = "no-support";
      r.explanation_en = "not selected: nobody voted for it (" + who + ")";
      continue;
    }
    if (stopped_at) {
      r.reason_code = "greedy-stopped";
      r.explanation_en = "not selected: counting stopped at project " + inst.projects[*stopped_at].id +
                         ", which did not fit, before its turn (" + who + ")";
      continue;
    }
    if (proj.cost <= left) {
      r.selected = true;
      r.reason_code = "selected";
      r.explanation_en = "selected: " + who + ", which fit in the " + FormatAmount(left, inst.unit_scale) +
                         " left; " + FormatAmount(left - proj.cost, inst.unit_scale) + " left after it";
      left -= proj.cost;
      out.selected.push_back(p);
      out.spent += proj.cost;
    } else {
      r.reason_code = "over-budget";
      r.explanation_en = "not selected: " + who + ", more than the " + FormatAmount(left, inst.unit_scale) +
                         " left when its turn came";
      if (!skip) {
        stopped_at = p;
        r.explanation_en += "; greedy-no-skip stops counting here";
      }
    }
  }
  out.notes_en.push_back(std::string(skip ? "greedy" : "greedy-no-skip") + ": projects by " + unit +
                         ", highest first (ties: more approvals, then lower cost, then file order); " +
                         FormatAmount(out.spent, inst.unit_scale) + " of " + FormatAmount(inst.budget, inst.unit_scale) +
                         " spent");
  return out;
}

// What one fixed-budget MES run found, with the numbers the explanation needs.
struct MesRun {
  std::vector<size_t> winners;  // in the order chosen
  int64_t spent = 0;
  // Per project: the round it was chosen (1-based) or found unaffordable (0: never).
  std::vector<int> round;
  std::vector<std::string> detail;  // the numbers, in words
  std::vector<bool> unaffordable;
};

class EqualShares {
 public:
  explicit EqualShares(const Instance& inst) : inst_(inst), approvals_(ApprovalCounts(inst)) {
    approvers_.resize(inst.projects.size());
    for (size_t v = 0; v < inst.ballots.size(); ++v) {
      const Ballot& b = inst.ballots[v];
      for (size_t j = 0; j < b.approved.size(); ++j)
        if (b.approved[j] < approvers_.size() && (b.points.empty() || (j < b.points.size() && b.points[j] > 0)))
          approvers_[b.approved[j]].push_back(static_cast<uint32_t>(v));
    }
  }

  size_t Voters() const { return inst_.ballots.size(); }
  const std::vector<std::vector<uint32_t>>& approvers() const { return approvers_; }

  // Projects MES can buy: those someone supports (free ones are handed out before the rounds).
  bool Candidate(size_t p) const { return !approvers_[p].empty(); }

  // MES with `total` (smallest units) shared equally among all voters. `details`: evaluate every
  // candidate every round (to say when each became unaffordable) instead of skipping those that
  // cannot beat the best so far.
  MesRun Run(int64_t total, bool details) const {
    const size_t m = inst_.projects.size();
    const size_t n = Voters();
    MesRun run;
    run.round.assign(m, 0);
    run.detail.assign(m, "");
    run.unaffordable.assign(m, false);
    // Free projects someone wants harm nobody: chosen first, in file order.
    std::vector<bool> remaining(m, false);
    for (size_t p = 0; p < m; ++p) {
      if (!Candidate(p)) continue;
      if (inst_.projects[p].cost == 0) {
        run.winners.push_back(p);
        run.detail[p] = "it costs nothing and " + Plural(static_cast<int64_t>(approvers_[p].size()), "voter", "voters") +
                        " approve it, so it was chosen before sharing any money";
      } else {
        remaining[p] = true;
      }
    }
    // Money: numerators over the common denominator D, by class.
    BigInt D = n;
    std::vector<BigInt> class_money = {BigInt(total)};
    std::vector<uint32_t> voter_class(n, 0);
    // The previous effective vote count of each candidate (num/den); only ever decreases.
    std::vector<BigInt> prev_num(m), prev_den(m, 1);
    for (size_t p = 0; p < m; ++p) prev_num[p] = static_cast<int64_t>(approvers_[p].size());
    // A double approximation of the same, only to order the candidates (never to decide).
    std::vector<double> prev_approx(m);
    for (size_t p = 0; p < m; ++p) prev_approx[p] = static_cast<double>(approvers_[p].size());
    std::vector<int64_t> count_in_class(1, 0);
    std::vector<uint32_t> touched;
    int round = 0;
    while (true) {
      ++round;
      std::vector<size_t> order;
      for (size_t p = 0; p < m; ++p)
        if (remaining[p]) order.push_back(p);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return prev_approx[a] > prev_approx[b]; });
      std::optional<size_t> best;
      BigInt best_num = 0, best_den = 1, best_x, best_k;
      double best_approx = 0;
      for (size_t p : order) {
        // Effective vote counts only fall as money is spent, so a candidate whose previous count
        // is below the best so far cannot win this round. The approximation (off by far less
        // than 0.001) settles clear cases, and, as the order follows it, ends the pass; close
        // ones are compared exactly.
        if (!details && best) {
          if (prev_approx[p] + 1e-3 < best_approx) break;
          if (prev_num[p] * best_den < best_num * prev_den[p]) continue;
        }
        // Supporters' money by class.
        for (uint32_t c : touched) count_in_class[c] = 0;
        touched.clear();
        for (uint32_t v : approvers_[p]) {
          if (count_in_class[voter_class[v]]++ == 0) touched.push_back(voter_class[v]);
        }
        BigInt behind = 0;
        for (uint32_t c : touched) behind += class_money[c] * count_in_class[c];
        const BigInt cost_d = BigInt(inst_.projects[p].cost) * D;
        if (behind < cost_d) {
          remaining[p] = false;
          run.unaffordable[p] = true;
          run.round[p] = round;
          run.detail[p] = "in round " + std::to_string(round) + (run.winners.empty() ? "" : " (after " +
                          Plural(static_cast<int64_t>(run.winners.size()), "project", "projects") + " were chosen)") +
                          " its " + Plural(static_cast<int64_t>(approvers_[p].size()), "supporter", "supporters") +
                          " had " + FormatFraction(behind, D, inst_.unit_scale) + " left together, less than its cost " +
                          FormatAmount(inst_.projects[p].cost, inst_.unit_scale);
          continue;
        }
        // Split the cost as equally as possible: the poorest pay all they have while that is
        // less than an equal share of the rest.
        // Pay() keeps classes numbered by increasing money, so class order is money order.
        std::sort(touched.begin(), touched.end());
        BigInt paid = 0;
        BigInt k = static_cast<int64_t>(approvers_[p].size());
        for (uint32_t c : touched) {
          if (cost_d - paid > class_money[c] * k) {
            paid += class_money[c] * count_in_class[c];
            k -= count_in_class[c];
          } else {
            break;
          }
        }
        // rho = (cost*D - paid) / (k*D); effective vote count = cost / rho.
        BigInt x = cost_d - paid;
        BigInt eff_num = BigInt(inst_.projects[p].cost) * k * D, eff_den = x;
        prev_num[p] = eff_num;
        prev_den[p] = eff_den;
        prev_approx[p] = Approximate(eff_num, eff_den);
        bool better = false;
        if (!best) {
          better = true;
        } else {
          BigInt lhs = eff_num * best_den, rhs = best_num * eff_den;
          better = lhs > rhs || (lhs == rhs && TieBreakBefore(inst_, approvals_, p, *best));
        }
        if (better) {
          best = p;
          best_num = eff_num;
          best_den = eff_den;
          best_x = x;
          best_k = k;
          best_approx = prev_approx[p];
        }
      }
      if (!best) break;
      const size_t p = *best;
      remaining[p] = false;
      run.winners.push_back(p);
      run.round[p] = round;
      run.detail[p] = "chosen in round " + std::to_string(round) + ": its cost " +
                      FormatAmount(inst_.projects[p].cost, inst_.unit_scale) + " split among its " +
                      Plural(static_cast<int64_t>(approvers_[p].size()), "supporter", "supporters") +
                      " asked at most " + FormatFraction(best_x, best_k * D, inst_.unit_scale) +
                      " of each (effective vote count " + FormatRatio(best_num, best_den) + ", the best that round)";
      Pay(approvers_[p], best_x, best_k, &class_money, &voter_class, &D);
      for (uint32_t c : touched) count_in_class[c] = 0;
      touched.clear();
      count_in_class.assign(class_money.size(), 0);
    }
    for (size_t p : run.winners) run.spent += inst_.projects[p].cost;
    return run;
  }

 private:
  static double Approximate(const BigInt& num, const BigInt& den) {
    BigInt whole = num / den;
    BigInt millionths = (num % den) * 1000000 / den;
    return static_cast<double>(whole) + static_cast<double>(millionths) / 1e6;
  }

  // The supporters of the chosen project each pay min(own money, rho), rho = x / (k * D): all
  // money is brought over the denominator D*k (numerators times k) and payers lose x, not
  // going below 0. Classes stay numbered by increasing money: within the payers and within the
  // others the order is kept (both maps are monotone), so a merge of the two sorted lists, which
  // also unites equal amounts, renumbers them. Then the common factor of D and every numerator
  // is divided out.
  static void Pay(const std::vector<uint32_t>& payers, const BigInt& x, const BigInt& k, std::vector<BigInt>* money,
                  std::vector<uint32_t>* voter_class, BigInt* D) {
    const size_t classes = money->size();
    std::vector<int64_t> size(classes, 0), paying(classes, 0);
    for (uint32_t c : *voter_class) ++size[c];
    for (uint32_t v : payers) ++paying[(*voter_class)[v]];
    std::vector<BigInt> stay(classes), pay(classes);
    for (size_t c = 0; c < classes; ++c) {
      stay[c] = (*money)[c] * k;
      if (paying[c] > 0) {
        pay[c] = stay[c] - x;
        if (pay[c] < 0) pay[c] = 0;
      }
    }
    std::vector<uint32_t> stay_to(classes, 0), pay_to(classes, 0);
    std::vector<BigInt> merged;
    size_t a = 0, b = 0;
    auto next_live = [&](size_t i, bool payers_list) {
      while (i < classes && (payers_list ? paying[i] == 0 : size[i] - paying[i] == 0)) ++i;
      return i;
    };
    a = next_live(0, false);
    b = next_live(0, true);
    while (a < classes || b < classes) {
      bool take_stay = b >= classes || (a < classes && stay[a] <= pay[b]);
      const BigInt& value = take_stay ? stay[a] : pay[b];
      if (merged.empty() || merged.back() != value) merged.push_back(value);
      uint32_t index = static_cast<uint32_t>(merged.size() - 1);
      if (take_stay) {
        stay_to[a] = index;
        a = next_live(a + 1, false);
      } else {
        pay_to[b] = index;
        b = next_live(b + 1, true);
      }
    }
    std::vector<uint8_t> is_payer(voter_class->size(), 0);
    for (uint32_t v : payers) is_payer[v] = 1;
    for (size_t v = 0; v < voter_class->size(); ++v) {
      uint32_t c = (*voter_class)[v];
      (*voter_class)[v] = is_payer[v] ? pay_to[c] : stay_to[c];
    }
    *D *= k;
    BigInt g = *D;
    for (const BigInt& value : merged) {
      if (g == 1) break;
      g = boost::multiprecision::gcd(g, value);
    }
    if (g > 1) {
      *D /= g;
      for (BigInt& value : merged) value /= g;
    }
    *money = std::move(merged);
  }

  const Instance& inst_;
  std::vector<int64_t> approvals_;
  std::vector<std::vector<uint32_t>> approvers_;
};

// Add-one (equalshares.net's Add1, pabulib's "equalshares/add1"): start from a whole number of
// currency units per voter (the budget rounded down to a multiple of the number of voters), raise
// every voter's share by one currency unit and run MES again, as long as the outcome still costs
// no more than the real budget; keep the last outcome that fits.
constexpr int kMaxAddOneRuns = 20000;

Outcome MethodOfEqualShares(const Instance& inst, Completion completion) {
  const size_t m = inst.projects.size();
  const int64_t n = static_cast<int64_t>(inst.ballots.size());
  EqualShares mes(inst);
  Outcome out;
  out.results.resize(m);
  int64_t budget = inst.budget;
  int runs = 0;
  if (n > 0 && completion == Completion::kAddOne) {
    const int64_t step = n * inst.unit_scale;
    auto everything_supported = [&](const MesRun& run) {
      size_t candidates = 0;
      for (size_t p = 0; p < m; ++p) candidates += mes.Candidate(p);
      return run.winners.size() == candidates;
    };
    budget = inst.budget / step * step;
    MesRun current = mes.Run(budget, false);
    runs = 1;
    // No early stop at the first exhaustive outcome (equalshares.net's "exhaustive" option): with
    // it, Wieliczka 2023's published outcome is not reproduced; without it all three real MES
    // elections here are (src/pb/pabulib_test.cc). More money cannot change an outcome that
    // already has every supported project, so that ends the search.
    while (!everything_supported(current)) {
      if (runs >= kMaxAddOneRuns || budget > (int64_t{1} << 61) - step) {
        out.notes_en.push_back("add-one stopped after " + std::to_string(runs) +
                               " runs (the limit); the outcome is that of the last run that fit");
        break;
      }
      MesRun next = mes.Run(budget + step, false);
      ++runs;
      if (next.spent > inst.budget) break;
      budget += step;
      current = std::move(next);
    }
  }
  MesRun final_run = n > 0 ? mes.Run(budget, true) : MesRun{};
  if (n == 0) {
    final_run.round.assign(m, 0);
    final_run.detail.assign(m, "");
    final_run.unaffordable.assign(m, false);
  }
  ++runs;
  out.selected = final_run.winners;
  out.spent = final_run.spent;
  out.mes_budget_used = budget;
  out.mes_runs = runs;
  std::vector<bool> chosen(m, false);
  for (size_t p : out.selected) chosen[p] = true;
  std::string share = n > 0 ? FormatFraction(BigInt(budget), BigInt(n), inst.unit_scale) : "0";
  for (size_t p = 0; p < m; ++p) {
    ProjectResult& r = out.results[p];
    r.project = p;
    const int64_t supporters = static_cast<int64_t>(mes.approvers()[p].size());
    if (chosen[p]) {
      r.selected = true;
      r.reason_code = "selected";
      r.explanation_en = "selected: " + final_run.detail[p];
    } else if (supporters == 0) {
      r.reason_code = "no-support";
      r.explanation_en = "not selected: nobody voted for it (costs " + FormatAmount(inst.projects[p].cost, inst.unit_scale) + ")";
    } else {
      r.reason_code = "mes-unaffordable";
      r.explanation_en = "not selected: " + final_run.detail[p];
    }
  }
  out.notes_en.push_back(
      "method of equal shares (cost utilities; ties: more approvals, then lower cost, then file order): each of " +
      std::to_string(n) + " voters had " + share + " to spend (" + FormatAmount(budget, inst.unit_scale) + " in all" +
      (budget != inst.budget ? ", raised from " + FormatAmount(inst.budget, inst.unit_scale) + " by add-one after " +
                                   std::to_string(runs - 1) + " runs"
                             : std::string()) +
      "); " + FormatAmount(out.spent, inst.unit_scale) + " of " + FormatAmount(inst.budget, inst.unit_scale) + " spent");
  return out;
}

}  // namespace

std::vector<int64_t> ApprovalCounts(const Instance& instance) {
  std::vector<int64_t> counts(instance.projects.size(), 0);
  for (const Ballot& b : instance.ballots)
    for (size_t j = 0; j < b.approved.size(); ++j)
      if (b.approved[j] < counts.size() && (b.points.empty() || (j < b.points.size() && b.points[j] > 0)))
        ++counts[b.approved[j]];
  return counts;
}

std::vector<int64_t> Support(const Instance& instance) {
  std::vector<int64_t> support(instance.projects.size(), 0);
  for (const Ballot& b : instance.ballots)
    for (size_t j = 0; j < b.approved.size(); ++j)
      if (b.approved[j] < support.size())
        support[b.approved[j]] += b.points.empty() ? 1 : (j < b.points.size() ? b.points[j] : 0);
  return support;
}

std::string FormatAmount(int64_t amount, int64_t unit_scale) {
  std::string sign = amount < 0 ? "-" : "";
  uint64_t a = amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  uint64_t scale = unit_scale > 0 ? static_cast<uint64_t>(unit_scale) : 1;
  std::string out = sign + std::to_string(a / scale);
  if (scale > 1) {
    std::string frac = std::to_string(a % scale);
    std::string width = std::to_string(scale - 1);
    out += "." + std::string(width.size() - frac.size(), '0') + frac;
  }
  return out;
}

Status Validate(const Instance& instance) {
  auto invalid = [](std::string reason) {
    return InvalidArgument("pb/invalid-instance", reason).With("reason", std::move(reason));
  };
  constexpr int64_t kMax = int64_t{1} << 52;
  if (instance.budget < 0 || instance.budget > kMax) return invalid("the budget is negative or too large");
  if (instance.unit_scale < 1) return invalid("unit_scale must be at least 1");
  if (instance.ballots.size() > (size_t{1} << 31)) return invalid("too many ballots");
  int64_t total = 0;
  for (const Project& p : instance.projects) {
    if (p.cost < 0 || p.cost > kMax) return invalid("the cost of project " + p.id + " is negative or too large");
    total += p.cost;
    if (total > (int64_t{1} << 62)) return invalid("the costs add up to too much");
  }
  std::vector<size_t> last_seen(instance.projects.size(), SIZE_MAX);
  for (size_t v = 0; v < instance.ballots.size(); ++v) {
    const Ballot& b = instance.ballots[v];
    if (!b.points.empty() && b.points.size() != b.approved.size())
      return invalid("ballot " + b.voter_id + " has " + std::to_string(b.points.size()) + " points for " +
                     std::to_string(b.approved.size()) + " projects");
    for (size_t j = 0; j < b.approved.size(); ++j) {
      size_t p = b.approved[j];
      if (p >= instance.projects.size()) return invalid("ballot " + b.voter_id + " names a project index out of range");
      if (last_seen[p] == v) return invalid("ballot " + b.voter_id + " names project " + instance.projects[p].id + " twice");
      last_seen[p] = v;
      if (!b.points.empty() && (b.points[j] < 0 || b.points[j] > (int64_t{1} << 31)))
        return invalid("ballot " + b.voter_id + " gives a point value out of range");
    }
  }
  return Status::Ok();
}

std::optional<NamedRule> RuleFromMeta(std::string_view meta_rule) {
  if (meta_rule == "greedy") return NamedRule{Rule::kGreedy, Completion::kNone};
  if (meta_rule == "greedy-no-skip") return NamedRule{Rule::kGreedyNoSkip, Completion::kNone};
  if (meta_rule == "equalshares") return NamedRule{Rule::kEqualShares, Completion::kNone};
  if (meta_rule == "equalshares/add1") return NamedRule{Rule::kEqualShares, Completion::kAddOne};
  return std::nullopt;
}

Outcome Tally(const Instance& instance, Rule rule, Completion completion) {
  switch (rule) {
    case Rule::kGreedy:
      return Greedy(instance, true);
    case Rule::kGreedyNoSkip:
      return Greedy(instance, false);
    case Rule::kEqualShares:
      return MethodOfEqualShares(instance, completion);
  }
  return Greedy(instance, true);
}

}  // namespace gz::pb
