// The rules against real elections: every instance in tests/pb/data/ parses, and every one whose
// PROJECTS has a `selected` column gets, from the rule its META names, exactly the projects the
// city funded. tests/pb/data/README.md says where the files come from.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pb/pb.h"

namespace gz::pb {
namespace {

std::filesystem::path DataDir() {
  const char* root = std::getenv("GZ_SOURCE_DIR");
  return std::filesystem::path(root ? root : ".") / "tests" / "pb" / "data";
}

Instance Load(const std::string& file) {
  std::ifstream in(DataDir() / file, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << (DataDir() / file) << " (GZ_SOURCE_DIR names the checkout; set by ctest)";
  std::stringstream ss;
  ss << in.rdbuf();
  Result<Instance> inst = ParsePabulib(ss.str());
  EXPECT_TRUE(inst.ok()) << file << ": " << DescribeParseError(inst.status());
  return inst.ok() ? std::move(*inst) : Instance{};
}

std::set<std::string> Ids(const Instance& inst, const std::vector<size_t>& picked) {
  std::set<std::string> ids;
  for (size_t p : picked) ids.insert(inst.projects[p].id);
  return ids;
}

std::set<std::string> FundedInFile(const Instance& inst) {
  std::set<std::string> ids;
  for (const Project& p : inst.projects)
    if (p.selected_in_file.value_or(0) != 0) ids.insert(p.id);
  return ids;
}

TEST(Pabulib, EveryInstanceParsesWithItsCounts) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DataDir())) {
    if (entry.path().extension() != ".pb") continue;
    ++files;
    Instance inst = Load(entry.path().filename().string());
    EXPECT_EQ(std::to_string(inst.projects.size()), std::string(inst.Meta("num_projects"))) << entry.path();
    EXPECT_EQ(std::to_string(inst.ballots.size()), std::string(inst.Meta("num_votes"))) << entry.path();
    EXPECT_GT(inst.budget, 0) << entry.path();
    EXPECT_TRUE(Validate(inst).ok()) << entry.path();
  }
  EXPECT_EQ(files, 17);
}

struct Case {
  std::string file;
  Rule rule;
  Completion completion;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

class Published : public testing::TestWithParam<Case> {};

TEST_P(Published, OutcomeEqualsTheSelectedColumn) {
  const Case& c = GetParam();
  Instance inst = Load(c.file);
  // The case list below must follow the file's own META rule, not a rule that happens to match.
  std::optional<NamedRule> named = RuleFromMeta(inst.Meta("rule"));
  if (inst.Meta("rule") == "equalshares/add1-comparison") named = NamedRule{Rule::kEqualShares, Completion::kAddOne};
  ASSERT_TRUE(named.has_value()) << inst.Meta("rule");
  ASSERT_EQ(named->rule, c.rule);
  ASSERT_EQ(named->completion, c.completion);
  std::set<std::string> funded = FundedInFile(inst);
  ASSERT_FALSE(funded.empty()) << "no selected column";
  Outcome out = Tally(inst, c.rule, c.completion);
  EXPECT_EQ(Ids(inst, out.selected), funded);
  EXPECT_LE(out.spent, inst.budget);
}

// The check above can fail: on the three real MES elections greedy, and MES without completion,
// do not give the published outcome, so matching it says something about the rule.
TEST(Pabulib, TheOtherRulesDoNotReproduceTheMesElections) {
  for (const char* file : {"Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb", "Poland_Wieliczka_2023_Green_Budget.pb"}) {
    Instance inst = Load(file);
    EXPECT_NE(Ids(inst, Tally(inst, Rule::kGreedy, Completion::kNone).selected), FundedInFile(inst)) << file;
    EXPECT_NE(Ids(inst, Tally(inst, Rule::kEqualShares, Completion::kNone).selected), FundedInFile(inst)) << file;
  }
}

// Every instance here with a `selected` column.
INSTANTIATE_TEST_SUITE_P(
    RealElections, Published,
    testing::Values(Case{"Netherlands_Assen_2024.pb", Rule::kEqualShares, Completion::kAddOne},
                    Case{"Poland_Swiecie_2023.pb", Rule::kEqualShares, Completion::kAddOne},
                    Case{"Poland_Wieliczka_2023_Green_Budget.pb", Rule::kEqualShares, Completion::kAddOne},
                    Case{"Poland_Warszawa_2019_Obszar_III-PowsinKepa_LatoszkowaZamoscLatoszki.pb", Rule::kGreedy,
                         Completion::kNone},
                    Case{"Poland_Warszawa_2019_Nadwisle.pb", Rule::kGreedy, Completion::kNone},
                    Case{"Poland_Czestochowa_2024_Grabowka.pb", Rule::kGreedy, Completion::kNone},
                    Case{"Poland_Gdynia_2020_Dabrowa__small.pb", Rule::kGreedyNoSkip, Completion::kNone},
                    Case{"Poland_Warszawa_2023_Rembertow.pb", Rule::kGreedy, Completion::kNone},
                    Case{"Poland_Warszawa_2019_Stary_Mokotow.pb", Rule::kGreedy, Completion::kNone},
                    Case{"Poland_Warszawa_2020_Praga-Poludnie.pb", Rule::kGreedy, Completion::kNone}),
    [](const testing::TestParamInfo<Case>& info) {
      std::string name = info.param.file.substr(0, info.param.file.size() - 3);
      for (char& ch : name)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

}  // namespace
}  // namespace gz::pb
