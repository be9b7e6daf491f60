#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pb/pb.h"

namespace gz::pb {
namespace {

using testing::HasSubstr;

constexpr std::string_view kMinimal =
    "META\n"
    "key;value\n"
    "description;Village PB\n"
    "country;China\n"
    "unit;Example\n"
    "instance;2026\n"
    "num_projects;3\n"
    "num_votes;3\n"
    "budget;1000\n"
    "vote_type;approval\n"
    "rule;greedy\n"
    "PROJECTS\n"
    "project_id;cost;votes;name;selected\n"
    "a;600;2;Road;1\n"
    "b;500;2;\"Well; new \"\"deep\"\" one\";0\n"
    "c1;0;0;Free;0\n"
    "VOTES\n"
    "voter_id;vote\n"
    "1;a,b\n"
    "2;a\n"
    "3;b\n";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string ErrorOf(std::string_view text, ParseLimits limits = {}) {
  Result<Instance> r = ParsePabulib(text, limits);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : DescribeParseError(r.status());
}

TEST(ParsePabulib, ReadsTheMinimalExample) {
  Result<Instance> r = ParsePabulib(kMinimal);
  ASSERT_TRUE(r.ok()) << DescribeParseError(r.status());
  const Instance& inst = *r;
  EXPECT_EQ(inst.budget, 1000);
  EXPECT_EQ(inst.unit_scale, 1);
  EXPECT_EQ(inst.Meta("rule"), "greedy");
  EXPECT_EQ(inst.meta.front().first, "description");
  ASSERT_EQ(inst.projects.size(), 3u);
  EXPECT_EQ(inst.projects[1].id, "b");
  EXPECT_EQ(inst.projects[1].name, "Well; new \"deep\" one");
  EXPECT_EQ(inst.projects[0].selected_in_file, 1);
  EXPECT_EQ(inst.projects[2].cost, 0);
  ASSERT_EQ(inst.ballots.size(), 3u);
  EXPECT_EQ(inst.ballots[0].voter_id, "1");
  EXPECT_EQ(inst.ballots[0].approved, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(ApprovalCounts(inst), (std::vector<int64_t>{2, 2, 0}));
}

TEST(ParsePabulib, AcceptsCrlfBomBlankLinesAndSpacesAroundFields) {
  std::string text = "\xEF\xBB\xBF";
  for (char c : Replace(kMinimal, "budget;1000", "budget; 1000 ")) {
    if (c == '\n') text += "\r";
    text += c;
  }
  text = Replace(text, "VOTES\r\n", "\r\nVOTES\r\n");
  Result<Instance> r = ParsePabulib(text);
  ASSERT_TRUE(r.ok()) << DescribeParseError(r.status());
  EXPECT_EQ(r->budget, 1000);
  EXPECT_EQ(r->projects[1].name, "Well; new \"deep\" one");
}

TEST(ParsePabulib, DecimalCostsAreScaledExactly) {
  std::string text = Replace(kMinimal, "budget;1000", "budget;1000.5");
  text = Replace(text, "a;600;", "a;102533.36;");
  text = Replace(text, "b;500;", "b;400000.0;");
  Result<Instance> r = ParsePabulib(text);
  ASSERT_TRUE(r.ok()) << DescribeParseError(r.status());
  EXPECT_EQ(r->unit_scale, 100);
  EXPECT_EQ(r->budget, 100050);
  EXPECT_EQ(r->projects[0].cost, 10253336);
  EXPECT_EQ(r->projects[1].cost, 40000000);
  EXPECT_EQ(FormatAmount(r->projects[0].cost, r->unit_scale), "102533.36");
  // Trailing zeros add no scale: 400000.0 is a whole number.
  Result<Instance> whole = ParsePabulib(Replace(kMinimal, "b;500;", "b;500.00;"));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->unit_scale, 1);
  EXPECT_EQ(whole->projects[1].cost, 500);
}

TEST(ParsePabulib, CumulativeBallotsKeepTheirPoints) {
  std::string text = Replace(kMinimal, "vote_type;approval", "vote_type;cumulative\nmax_sum_points;10");
  text = Replace(text, "voter_id;vote\n1;a,b\n2;a\n3;b\n", "voter_id;vote;points\n1;a,b;7,3\n2;a;10\n3;b;4\n");
  Result<Instance> r = ParsePabulib(text);
  ASSERT_TRUE(r.ok()) << DescribeParseError(r.status());
  EXPECT_EQ(r->ballots[0].points, (std::vector<int64_t>{7, 3}));
  EXPECT_EQ(Support(*r), (std::vector<int64_t>{17, 7, 0}));
}

TEST(ParsePabulib, MalformedFilesNameTheLine) {
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "3;b\n", "3;x\n")),
            "line 21: the ballot of voter 3 names project x, which PROJECTS does not list");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "2;a\n", "2;a,a\n")), "line 20: the ballot of voter 2 names project a twice");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "c1;0;0;Free;0\n", "a;0;0;Free;0\n")), "line 16: the project_id a appears twice");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;2;Road;1\n", "a;600;2;Road\n")),
            "line 14: the row has 4 fields but the header (line 13) has 5");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;", "a;-600;")), "line 14: the cost of project a is negative: -600");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;", "a;600,5;")),
            "line 14: the cost of project a uses a decimal comma (write a point): 600,5");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;", "a;6e2;")), "line 14: the cost of project a is not a number: 6e2");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "\"Well; new \"\"deep\"\" one\"", "\"Well")),
            "line 15: a quoted field is not closed (fields cannot span lines)");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "3;b\n", "1;b\n")), "line 21: the voter_id 1 already voted on line 19");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "num_votes;3", "num_votes;4")), "META num_votes says 4 but the file has 3 rows");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;2;", "a;600;3;")), "line 14: project a has votes 3 but 2 ballots name it");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "budget;1000\n", "")), "META has no budget");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;", "a;600.1234567;")),
            "line 14: the cost of project a has more than 6 decimals: 600.1234567");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;", "a;99999999999999999999;")), "line 14: the cost of project a is too large");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "vote_type;approval", "vote_type;cumulative")),
            "line 18: vote_type cumulative needs a points column in VOTES");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "vote_type;approval", "vote_type;secret")),
            "line 12: META vote_type secret is not one of approval, choose-1, cumulative, scoring, ordinal");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "vote_type;approval", "vote_type;choose-1")), "line 19: a choose-1 ballot names 2 projects");
}

TEST(ParsePabulib, StructureErrors) {
  EXPECT_EQ(ErrorOf(""), "the file is empty");
  EXPECT_EQ(ErrorOf("hello\n"), "line 1: the file must start with the line META (found: hello)");
  std::string no_votes(kMinimal.substr(0, kMinimal.find("VOTES")));
  EXPECT_EQ(ErrorOf(no_votes), "line 16: the file has no VOTES section (META, PROJECTS and VOTES are required)");
  EXPECT_THAT(ErrorOf(Replace(kMinimal, "PROJECTS\n", "VOTES\n")), HasSubstr("line 12: sections must come in the order"));
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "key;value\n", "")), "line 2: the META header must be key;value");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "voter_id;vote\n", "voter;vote\n")),
            "line 18: the VOTES header must have the columns voter_id and vote");
  EXPECT_EQ(ErrorOf(Replace(kMinimal, "a;600;2;Road;1", "a;600;2;Ro\"ad;1")),
            "line 14: a field contains a quote but is not quoted");
}

TEST(ParsePabulib, LimitsAreEnforced) {
  ParseLimits small;
  small.max_projects = 2;
  Result<Instance> r = ParsePabulib(kMinimal, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTooLarge);
  EXPECT_EQ(DescribeParseError(r.status()), "line 16: more than 2 projects");
  small = {};
  small.max_ballots = 2;
  EXPECT_EQ(ErrorOf(kMinimal, small), "line 21: more than 2 ballots");
  small = {};
  small.max_bytes = 10;
  EXPECT_THAT(ErrorOf(kMinimal, small), HasSubstr("more than the limit of 10"));
  small = {};
  small.max_line_bytes = 20;
  EXPECT_EQ(ErrorOf(kMinimal, small), "line 3: the line has 22 bytes, more than the limit of 20");
}

TEST(RuleFromMeta, NamesTheImplementedRules) {
  EXPECT_EQ(RuleFromMeta("greedy")->rule, Rule::kGreedy);
  EXPECT_EQ(RuleFromMeta("greedy-no-skip")->rule, Rule::kGreedyNoSkip);
  EXPECT_EQ(RuleFromMeta("equalshares/add1")->completion, Completion::kAddOne);
  EXPECT_EQ(RuleFromMeta("equalshares")->completion, Completion::kNone);
  EXPECT_FALSE(RuleFromMeta("greedy-threshold").has_value());
  EXPECT_FALSE(RuleFromMeta("unknown").has_value());
}

}  // namespace
}  // namespace gz::pb
