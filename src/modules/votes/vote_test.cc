// The pure rules: drafts, ballots, paper counts, tallies (instant-runoff with its tie-breaks) and
// the bytes of the two log entries.
#include "modules/votes/vote.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/votes/problems.h"

namespace gz::votes {
namespace {

Vote Make(Method m, size_t options) {
  Vote v;
  v.id = 42;
  v.village = "420114001205";
  v.question = "是否修建村道？";
  v.method = m;
  for (size_t i = 0; i < options; ++i) v.options.push_back(std::string(1, static_cast<char>('A' + i)));
  v.electorate_size = 100;
  return v;
}

std::string Reason(const Status& s) {
  for (const auto& [k, v] : s.args())
    if (k == "reason") return v;
  return "";
}

TEST(Draft, ChecksEveryField) {
  DraftInput in;
  in.village = "420114001205";
  in.question = "是否修建村道？";
  in.options = {"同意", "不同意"};
  in.method = "single";
  in.electorate = "residents-18+";
  in.opens_at_ms = 1000;
  in.closes_at_ms = 1000 + 3600'000;
  Method m;
  ElectorateRule r;
  Channel c;
  EXPECT_TRUE(CheckDraft(in, &m, &r, &c).ok());
  DraftInput bad = in;
  bad.options = {"同意"};
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "count");
  bad = in;
  bad.options = {"同意", "同意"};
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "duplicate");
  bad = in;
  bad.options = {"同意", "不\n同意"};
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "length");
  bad = in;
  bad.method = "borda";
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "unknown");
  bad = in;
  bad.closes_at_ms = bad.opens_at_ms;
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "before-opening");
  bad = in;
  bad.closes_at_ms = bad.opens_at_ms + kMaxWindowMs + 1;
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "window-too-long");
  bad = in;
  bad.method = "ranked";
  bad.channel = "paper";
  EXPECT_EQ(Reason(CheckDraft(bad, &m, &r, &c)), "paper-not-ranked");
}

TEST(Choice, FitsTheMethod) {
  Vote single = Make(Method::kSingle, 3), approval = Make(Method::kApproval, 3), ranked = Make(Method::kRanked, 3);
  EXPECT_TRUE(CheckChoice(single, {2}).ok());
  EXPECT_EQ(Reason(CheckChoice(single, {0, 1})), "one-option");
  EXPECT_EQ(Reason(CheckChoice(single, {})), "empty");
  EXPECT_EQ(Reason(CheckChoice(single, {3})), "unknown-option");
  EXPECT_EQ(Reason(CheckChoice(single, {-1})), "unknown-option");
  EXPECT_TRUE(CheckChoice(approval, {0, 2}).ok());
  EXPECT_EQ(Reason(CheckChoice(approval, {0, 0})), "duplicate");
  EXPECT_TRUE(CheckChoice(ranked, {2, 0, 1}).ok());
  EXPECT_EQ(Reason(CheckChoice(ranked, {2, 0, 1, 1})), "too-many");
  EXPECT_EQ(ParseChoiceText(ChoiceText({2, 0, 1})), (Choice{2, 0, 1}));
  EXPECT_FALSE(ParseChoiceText("[1,,2]").has_value());
  EXPECT_FALSE(ParseChoiceText("1,2").has_value());
}

TEST(Tally, SingleAndApprovalCountAndTie) {
  Vote single = Make(Method::kSingle, 3);
  Tally t = CountBallots(single, {{0}, {1}, {1}, {2}});
  EXPECT_EQ(t.ballots, 4);
  EXPECT_EQ(t.counts, (std::vector<int64_t>{1, 2, 1}));
  EXPECT_EQ(t.winners, (std::vector<int>{1}));
  EXPECT_EQ(CountBallots(single, {{0}, {1}}).winners, (std::vector<int>{0, 1}));  // a tie lists both
  EXPECT_TRUE(CountBallots(single, {}).winners.empty());
  Vote approval = Make(Method::kApproval, 3);
  t = CountBallots(approval, {{0, 1}, {1, 2}, {1}});
  EXPECT_EQ(t.counts, (std::vector<int64_t>{1, 3, 1}));
  EXPECT_EQ(t.winners, (std::vector<int>{1}));
}

TEST(Tally, InstantRunoffTransfersAndBreaksTies) {
  Vote v = Make(Method::kRanked, 3);
  // First preferences A 4, B 3, C 2: no majority of 9; C is eliminated and its ballots go to B.
  std::vector<Choice> ballots = {{0}, {0}, {0}, {0}, {1}, {1}, {1}, {2, 1}, {2, 1}};
  Tally t = CountBallots(v, ballots);
  ASSERT_EQ(t.rounds.size(), 2u);
  EXPECT_EQ(t.rounds[0].votes, (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(t.rounds[0].eliminated, 2);
  EXPECT_EQ(t.rounds[1].votes, (std::vector<int64_t>{4, 5, -1}));
  EXPECT_EQ(t.winners, (std::vector<int>{1}));
  // Exhausted ballots leave the majority's base: A 2, B 2, C 1 (C's ballot ranks nobody else).
  t = CountBallots(v, {{0}, {0}, {1}, {1}, {2}});
  ASSERT_EQ(t.rounds.size(), 2u);
  EXPECT_EQ(t.rounds[0].eliminated, 2);
  EXPECT_EQ(t.rounds[1].exhausted, 1);
  EXPECT_EQ(t.winners, (std::vector<int>{0, 1}));  // 2 : 2 of 4 active: a tie, no one eliminated
  // Fewest votes tied between B and C (1 each), equal first preferences: the one listed last (C) goes.
  t = CountBallots(v, {{0}, {0}, {1, 0}, {2, 1}});
  EXPECT_EQ(t.rounds[0].eliminated, 2);
  EXPECT_EQ(t.rounds[1].votes, (std::vector<int64_t>{2, 2, -1}));
}

TEST(Paper, CountsMustAddUp) {
  Vote v = Make(Method::kSingle, 2);
  PaperCount c{0, 10, 1, {6, 3}, 0};
  EXPECT_TRUE(CheckPaperCount(v, c).ok());
  c.counts = {6, 2};
  EXPECT_EQ(Reason(CheckPaperCount(v, c)), "sum");
  c.counts = {6};
  EXPECT_EQ(Reason(CheckPaperCount(v, c)), "one-count-per-option");
  c = PaperCount{0, 101, 0, {101, 0}, 0};
  EXPECT_EQ(Reason(CheckPaperCount(v, c)), "more-ballots-than-electors");
  EXPECT_TRUE(SameCount(PaperCount{1, 10, 1, {6, 3}, 5}, PaperCount{2, 10, 1, {6, 3}, 9}));
  EXPECT_FALSE(SameCount(PaperCount{1, 10, 1, {6, 3}, 5}, PaperCount{2, 10, 1, {5, 4}, 9}));
}

TEST(Entries, BytesAreFixed) {
  ASSERT_TRUE(crypto::Initialize().ok());
  Vote v = Make(Method::kSingle, 2);
  v.options = {"同意", "不同意"};
  v.opens_at_ms = 1767225600000;
  v.closes_at_ms = 1767312000000;
  v.opened_at_ms = 1767225000000;
  v.electorate_as_of = "2026-01-01";
  v.electorate_size = 3;
  v.rules_entry = RulesEntry(v);
  EXPECT_EQ(v.rules_entry,
            "{\"channel\":\"online\",\"closes_at_ms\":1767312000000,\"electorate\":{\"as_of\":\"2026-01-01\",\"rule\":"
            "\"residents-18+\",\"size\":3},\"format\":\"gongzhi-vote-rules/1\",\"method\":\"single\",\"opened_at_ms\":"
            "1767225000000,\"opens_at_ms\":1767225600000,\"options\":[\"同意\",\"不同意\"],\"question\":\"是否修建村道？\","
            "\"secret\":true,\"tie_break\":\"none\",\"village\":\"420114001205\",\"vote\":\"42\"}");
  v.rules_log_index = 7;
  Tally t = CountBallots(v, {{0}, {0}});
  EXPECT_EQ(TallyEntry(v, t, 1767312000001),
            "{\"ballots\":2,\"blank\":0,\"channel\":\"online\",\"closed_at_ms\":1767312000001,\"counts\":[2,0],"
            "\"electorate_size\":3,\"format\":\"gongzhi-vote-tally/1\",\"method\":\"single\",\"rounds\":[],"
            "\"rules_log_index\":7,\"rules_sha256\":\"8d7685f0c01f8d56bd763962dea471c5e9b1e0a796a06878b1f5ad667750a091\","
            "\"village\":\"420114001205\",\"vote\":\"42\",\"winners\":[0]}");
  EXPECT_EQ(crypto::Sha256Hex(v.rules_entry), "8d7685f0c01f8d56bd763962dea471c5e9b1e0a796a06878b1f5ad667750a091");
}

}  // namespace
}  // namespace gz::votes

namespace gz::votes {
namespace {

Vote FixedBudgetVote() {
  Vote v;
  v.id = 43;
  v.village = "420114001205";
  v.question = "2026年度村级公益项目";
  v.options = {"路灯", "水渠", "健身器材"};
  v.method = Method::kBudget;
  v.budget = 100;
  v.costs = {60, 40, 50};
  v.budget_rule = BudgetRule::kMes;
  v.opens_at_ms = 1767225600000;
  v.closes_at_ms = 1767312000000;
  v.opened_at_ms = 1767225000000;
  v.electorate_as_of = "2026-01-01";
  v.electorate_size = 10;
  return v;
}

TEST(Budget, KnapsackBallots) {
  Vote v = FixedBudgetVote();
  EXPECT_TRUE(CheckChoice(v, {0, 1}).ok());  // exactly the budget
  Status over = CheckChoice(v, {0, 2});
  EXPECT_EQ(over.slug(), problems::kOverBudget);
  EXPECT_EQ(over.Arg("total"), "110");
  EXPECT_EQ(CheckChoice(v, {1, 1}).slug(), problems::kBadBallot);
  EXPECT_EQ(CheckChoice(v, {}).slug(), problems::kBadBallot);
}

TEST(Budget, DraftChecks) {
  DraftInput in;
  in.village = "420114001205";
  in.question = "预算投票";
  in.options = {"甲", "乙"};
  in.method = "budget";
  in.electorate = "residents-18+";
  in.opens_at_ms = 1;
  in.closes_at_ms = 100000;
  in.budget = 100;
  in.costs = {60, 40};
  in.budget_rule = "greedy";
  Method m;
  ElectorateRule r;
  Channel c;
  EXPECT_TRUE(CheckDraft(in, &m, &r, &c).ok());
  EXPECT_EQ(m, Method::kBudget);
  DraftInput bad = in;
  bad.costs = {60};
  EXPECT_EQ(CheckDraft(bad, &m, &r, &c).Arg("field"), "costs");
  bad = in;
  bad.costs = {101, 40};  // a project the budget cannot pay
  EXPECT_EQ(CheckDraft(bad, &m, &r, &c).Arg("field"), "costs");
  bad = in;
  bad.budget_rule = "borda";
  EXPECT_EQ(CheckDraft(bad, &m, &r, &c).Arg("field"), "budget_rule");
  bad = in;
  bad.channel = "paper";
  EXPECT_EQ(CheckDraft(bad, &m, &r, &c).Arg("reason"), "paper-not-budget");
  bad = in;
  bad.method = "approval";  // budget fields on another method
  EXPECT_EQ(CheckDraft(bad, &m, &r, &c).Arg("field"), "budget");
}

// The bytes docs/transparency-log.md shows for formats /2.
TEST(Budget, EntryBytesAreFixed) {
  ASSERT_TRUE(crypto::Initialize().ok());
  Vote v = FixedBudgetVote();
  v.rules_entry = RulesEntry(v);
  EXPECT_EQ(v.rules_entry,
            "{\"budget\":100,\"budget_rule\":\"equalshares/add1\",\"channel\":\"online\",\"closes_at_ms\":1767312000000,"
            "\"costs\":[60,40,50],\"currency\":\"CNY\",\"electorate\":{\"as_of\":\"2026-01-01\",\"rule\":\"residents-18+\","
            "\"size\":10},\"format\":\"gongzhi-vote-rules/2\",\"method\":\"budget\",\"opened_at_ms\":1767225000000,"
            "\"opens_at_ms\":1767225600000,\"options\":[\"路灯\",\"水渠\",\"健身器材\"],\"question\":\"2026年度村级公益项目\","
            "\"secret\":true,\"tie_break\":\"more-approvals-then-cheaper-then-listed-first\",\"village\":\"420114001205\","
            "\"vote\":\"43\"}");
  v.rules_log_index = 8;
  std::vector<Choice> ballots;
  for (int i = 0; i < 6; ++i) ballots.push_back({0, 1});
  for (int i = 0; i < 4; ++i) ballots.push_back({2});
  Tally t = CountBallots(v, ballots);
  const std::string entry = TallyEntry(v, t, 1767312000001);
  EXPECT_EQ(entry,
            "{\"ballots\":10,\"blank\":0,\"budget\":100,\"budget_rule\":\"equalshares/add1\",\"channel\":\"online\","
            "\"closed_at_ms\":1767312000001,\"comparison\":{\"reasons\":[\"selected\",\"selected\",\"over-budget\"],"
            "\"rule\":\"greedy\",\"selected\":[1,0],\"spent\":100},\"counts\":[6,6,4],\"electorate_size\":10,"
            "\"format\":\"gongzhi-vote-tally/2\",\"method\":\"budget\",\"outcome\":{\"reasons\":[\"mes-unaffordable\","
            "\"selected\",\"selected\"],\"rule\":\"equalshares/add1\",\"selected\":[1,2],\"spent\":90},\"rounds\":[],"
            "\"rules_log_index\":8,\"rules_sha256\":\"" +
                crypto::Sha256Hex(v.rules_entry) +
                "\",\"village\":\"420114001205\",\"vote\":\"43\",\"winners\":[1,2]}");
  // The recount compares these bytes; a tally of other ballots differs.
  ballots.pop_back();
  EXPECT_NE(TallyEntry(v, CountBallots(v, ballots), 1767312000001), entry);
}

TEST(Budget, PabulibExportReadsBackAndNamesNoVoter) {
  Vote v = FixedBudgetVote();
  v.options[0] = "路灯;\"太阳能\"";  // quoted as the format says
  std::vector<Choice> ballots = {{0, 1}, {2}, {1}};
  std::string text = BudgetPabulib(v, ballots);
  Result<pb::Instance> in = pb::ParsePabulib(text);
  ASSERT_TRUE(in.ok()) << pb::DescribeParseError(in.status()) << "\n" << text;
  EXPECT_EQ(in->budget, 100);
  ASSERT_EQ(in->projects.size(), 3u);
  EXPECT_EQ(in->projects[0].name, "路灯;\"太阳能\"");
  EXPECT_EQ(in->projects[2].cost, 50);
  ASSERT_EQ(in->ballots.size(), 3u);
  EXPECT_EQ(in->ballots[0].voter_id, "1");
  EXPECT_EQ(in->ballots[0].approved, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(in->Meta("rule"), "equalshares/add1");
  EXPECT_EQ(in->Meta("vote_type"), "approval");
}

}  // namespace
}  // namespace gz::votes
