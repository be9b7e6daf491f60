// gongzhi pb-tally: recompute a participatory-budgeting outcome offline from a pabulib .pb file.
//
//   gongzhi pb-tally --rule greedy|greedy-no-skip|mes|file [--completion none|add-one] [--explain] FILE.pb
//   gongzhi pb-tally --compare FILE.pb...
//
// Prints the selected project ids, one per line, in the order the rule chose them and in the
// file's own id format, so researchers and auditors can diff it against a published result.
// `--rule file` takes the rule from the file's META. `--explain` says instead, in plain words with
// the numbers, why each project won or lost. `--compare` prints one Markdown table row per file
// with greedy and MES side by side (docs/participatory-budgeting.md is made with it). The rules
// are in src/pb/ and explained in docs/participatory-budgeting.md.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/command.h"
#include "pb/pb.h"

namespace gz::cli {
namespace {

struct Loaded {
  pb::Instance instance;
  std::string error;  // one line for the terminal when loading failed
};

Loaded LoadInstance(const std::string& path) {
  Loaded out;
  pb::ParseLimits limits;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.error = path + ": cannot read the file (" + ec.message() + ")";
    return out;
  }
  if (size > limits.max_bytes) {
    out.error = path + ": the file has " + std::to_string(size) + " bytes, more than the limit of " +
                std::to_string(limits.max_bytes);
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) {
    out.error = path + ": cannot read the file";
    return out;
  }
  Result<pb::Instance> parsed = pb::ParsePabulib(ss.str(), limits);
  if (!parsed.ok()) {
    out.error = path + ": " + pb::DescribeParseError(parsed.status());
    return out;
  }
  out.instance = std::move(*parsed);
  return out;
}

std::string RuleName(pb::Rule rule, pb::Completion completion) {
  switch (rule) {
    case pb::Rule::kGreedy:
      return "greedy";
    case pb::Rule::kGreedyNoSkip:
      return "greedy-no-skip";
    case pb::Rule::kEqualShares:
      return completion == pb::Completion::kAddOne ? "mes, completion add-one" : "mes, no completion";
  }
  return "?";
}

void PrintExplanation(const pb::Instance& inst, const pb::Outcome& out, pb::Rule rule, pb::Completion completion) {
  std::printf("Rule: %s\n", RuleName(rule, completion).c_str());
  for (const std::string& note : out.notes_en) std::printf("%s\n", note.c_str());
  std::printf("\nSelected (%zu projects, %s of %s spent), in the order chosen:\n", out.selected.size(),
              pb::FormatAmount(out.spent, inst.unit_scale).c_str(), pb::FormatAmount(inst.budget, inst.unit_scale).c_str());
  for (size_t p : out.selected)
    std::printf("  %s  %s\n      %s\n", inst.projects[p].id.c_str(), inst.projects[p].name.c_str(),
                out.results[p].explanation_en.c_str());
  std::printf("\nNot selected (%zu projects), in file order:\n", inst.projects.size() - out.selected.size());
  for (const pb::ProjectResult& r : out.results) {
    if (r.selected) continue;
    std::printf("  %s  %s\n      [%s] %s\n", inst.projects[r.project].id.c_str(), inst.projects[r.project].name.c_str(),
                r.reason_code.c_str(), r.explanation_en.c_str());
  }
}

std::set<size_t> AsSet(const std::vector<size_t>& v) { return {v.begin(), v.end()}; }

// One Markdown row: the instance, greedy and MES add-one side by side, and whether the rule the
// file names reproduces its published `selected` column.
void PrintCompareRow(const std::string& path, const pb::Instance& inst) {
  pb::Outcome greedy = pb::Tally(inst, pb::Rule::kGreedy, pb::Completion::kNone);
  pb::Outcome mes = pb::Tally(inst, pb::Rule::kEqualShares, pb::Completion::kAddOne);
  std::set<size_t> g = AsSet(greedy.selected), m = AsSet(mes.selected);
  size_t both = 0;
  for (size_t p : g) both += m.count(p);
  std::string published = "no `selected`";
  bool has_selected = false;
  std::set<size_t> funded;
  for (size_t p = 0; p < inst.projects.size(); ++p) {
    if (inst.projects[p].selected_in_file) has_selected = true;
    if (inst.projects[p].selected_in_file.value_or(0) != 0) funded.insert(p);
  }
  std::string meta_rule(inst.Meta("rule"));
  if (has_selected) {
    std::optional<pb::NamedRule> named = pb::RuleFromMeta(meta_rule);
    // add1-comparison: MES add-one, then kept unless most voters prefer the greedy outcome.
    if (meta_rule == "equalshares/add1-comparison") named = pb::NamedRule{pb::Rule::kEqualShares, pb::Completion::kAddOne};
    if (!named) {
      published = "rule not implemented";
    } else {
      pb::Outcome ours = pb::Tally(inst, named->rule, named->completion);
      published = AsSet(ours.selected) == funded ? "reproduced (" + std::to_string(funded.size()) + ")"
                                                 : "DIFFERS";
    }
  }
  auto spent = [&](const pb::Outcome& o) {
    return std::to_string(o.selected.size()) + " / " + pb::FormatAmount(o.spent, inst.unit_scale);
  };
  std::string name = std::filesystem::path(path).filename().string();
  std::printf("| %s | %s | `%s` | %zu | %zu | %s | %s | %s | %zu | %zu | %zu | %s |\n", name.c_str(),
              std::string(inst.Meta("vote_type")).c_str(), meta_rule.c_str(), inst.ballots.size(), inst.projects.size(),
              pb::FormatAmount(inst.budget, inst.unit_scale).c_str(), spent(greedy).c_str(), spent(mes).c_str(), both,
              g.size() - both, m.size() - both, published.c_str());
}

}  // namespace

Command AddPbTallyCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand(
      "pb-tally",
      "Recompute a participatory-budgeting outcome from a pabulib .pb file: prints the selected project ids, one per "
      "line");
  struct Options {
    std::string rule;
    std::string completion = "none";
    bool explain = false;
    bool compare = false;
    std::vector<std::string> files;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("--rule", opts->rule,
                  "greedy (by approvals or points, skip what does not fit), greedy-no-skip (stop there), mes (Method "
                  "of Equal Shares), or file (the rule the file's META names)")
      ->check(CLI::IsMember({"greedy", "greedy-no-skip", "mes", "file"}));
  cmd->add_option("--completion", opts->completion, "MES completion: none, or add-one (raise each voter's share by one "
                                                    "currency unit while the outcome fits the budget)")
      ->check(CLI::IsMember({"none", "add-one"}));
  cmd->add_flag("--explain", opts->explain, "Say why each project won or lost, with the numbers");
  cmd->add_flag("--compare", opts->compare,
                "Print one Markdown table row per file: greedy and MES add-one side by side");
  cmd->add_option("files", opts->files, "The .pb file (several with --compare)")->required();
  return {cmd, [opts] {
            if (opts->compare) {
              if (!opts->rule.empty() || opts->explain) {
                std::fprintf(stderr, "gongzhi pb-tally: --compare runs both rules; it takes no --rule or --explain\n");
                return 2;
              }
              int failures = 0;
              for (const std::string& file : opts->files) {
                Loaded loaded = LoadInstance(file);
                if (!loaded.error.empty()) {
                  std::fprintf(stderr, "gongzhi pb-tally: %s\n", loaded.error.c_str());
                  ++failures;
                  continue;
                }
                PrintCompareRow(file, loaded.instance);
              }
              return failures ? 1 : 0;
            }
            if (opts->rule.empty()) {
              std::fprintf(stderr, "gongzhi pb-tally: --rule is required (greedy, greedy-no-skip, mes or file)\n");
              return 2;
            }
            if (opts->files.size() != 1) {
              std::fprintf(stderr, "gongzhi pb-tally: give one .pb file (several only with --compare)\n");
              return 2;
            }
            Loaded loaded = LoadInstance(opts->files[0]);
            if (!loaded.error.empty()) {
              std::fprintf(stderr, "gongzhi pb-tally: %s\n", loaded.error.c_str());
              return 1;
            }
            const pb::Instance& inst = loaded.instance;
            pb::Rule rule = pb::Rule::kGreedy;
            pb::Completion completion = opts->completion == "add-one" ? pb::Completion::kAddOne : pb::Completion::kNone;
            if (opts->rule == "file") {
              std::optional<pb::NamedRule> named = pb::RuleFromMeta(inst.Meta("rule"));
              if (!named) {
                std::fprintf(stderr,
                             "gongzhi pb-tally: %s: the file's rule \"%s\" is not one this command implements "
                             "(greedy, greedy-no-skip, equalshares, equalshares/add1); give --rule\n",
                             opts->files[0].c_str(), std::string(inst.Meta("rule")).c_str());
                return 1;
              }
              rule = named->rule;
              completion = named->completion;
            } else if (opts->rule == "greedy-no-skip") {
              rule = pb::Rule::kGreedyNoSkip;
            } else if (opts->rule == "mes") {
              rule = pb::Rule::kEqualShares;
            }
            if (rule != pb::Rule::kEqualShares && completion != pb::Completion::kNone) {
              std::fprintf(stderr, "gongzhi pb-tally: --completion applies to --rule mes only\n");
              return 2;
            }
            pb::Outcome out = pb::Tally(inst, rule, completion);
            if (opts->explain) {
              PrintExplanation(inst, out, rule, completion);
            } else {
              for (size_t p : out.selected) std::printf("%s\n", inst.projects[p].id.c_str());
            }
            return 0;
          }};
}

}  // namespace gz::cli
