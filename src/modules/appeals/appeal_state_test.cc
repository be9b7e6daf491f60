// The transition table, edge by edge, against an independent copy written from the text
// (issue #4, "The lifecycle"). Changing appeal_state.cc without changing this list fails here;
// every edge not listed is forbidden, and MayPerform is checked for every (state, action,
// relation) combination, the forbidden ones included (T-LOGIC-3).
#include "modules/appeals/appeal_state.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace gz::appeals {
namespace {

// "from action to outcome who|who" -- from "new" is the submission.
const std::set<std::string>& Spec() {
  static const std::set<std::string> spec = {
      "new submit submitted always submitter|recorder",
      // 签收 by the handling unit; an escalated appeal by the unit it was escalated to.
      "submitted accept accepted always handler",
      "transferred accept accepted always handler",
      "reopened accept accepted always handler",
      "escalated accept accepted always escalation_target",
      // No 处置 or 反馈 without acceptance.
      "accepted start in_progress always handler",
      "in_progress answer answered always handler",
      // Closed only by the submitter in person, or by a supervisor's recorded follow-up visit.
      "answered rate closed satisfied submitter_in_person",
      "answered rate reopened reopen submitter_in_person",
      "answered rate escalated reopens_used_up submitter_in_person",
      "answered visit closed satisfied supervisor",
      "answered visit reopened reopen supervisor",
      "answered visit escalated reopens_used_up supervisor",
      // 流转.
      "submitted transfer transferred always handler|next_level",
      "transferred transfer transferred always handler|next_level",
      "accepted transfer transferred always handler|next_level",
      "in_progress transfer transferred always handler|next_level",
      "reopened transfer transferred always handler|next_level",
      "escalated transfer transferred always escalation_target",
      // Escalation: the sweep only.
      "submitted escalate escalated always system",
      "transferred escalate escalated always system",
      "accepted escalate escalated always system",
      "in_progress escalate escalated always system",
      "reopened escalate escalated always system",
      "contested escalate escalated always system",
      "escalated escalate escalated always system",
      // Out of scope, with a reason; contested once; reviewed by the level above.
      "submitted reject rejected always handler",
      "transferred reject rejected always handler",
      "accepted reject rejected always handler",
      "reopened reject rejected always handler",
      "escalated reject rejected always escalation_target",
      "rejected contest contested always submitter",
      "contested uphold rejected always next_level",
      "contested overturn transferred always next_level",
      // Withdrawal by the submitter while nothing waits for their rating.
      "submitted withdraw withdrawn always submitter",
      "transferred withdraw withdrawn always submitter",
      "accepted withdraw withdrawn always submitter",
      "in_progress withdraw withdrawn always submitter",
      "reopened withdraw withdrawn always submitter",
      "escalated withdraw withdrawn always submitter",
      "contested withdraw withdrawn always submitter",
  };
  return spec;
}

std::string OutcomeCode(Outcome o) {
  switch (o) {
    case Outcome::kAlways: return "always";
    case Outcome::kSatisfied: return "satisfied";
    case Outcome::kReopen: return "reopen";
    case Outcome::kReopensUsedUp: return "reopens_used_up";
  }
  return "?";
}

std::string Render(const Edge& e) {
  std::ostringstream out;
  out << (e.from ? StateCode(*e.from) : "new") << ' ' << ActionCode(e.action) << ' ' << StateCode(e.to) << ' '
      << OutcomeCode(e.outcome) << ' ' << RelationsText(e.who);
  return out.str();
}

TEST(TransitionTable, EveryEdgeIsInTheSpecAndEverySpecEdgeIsInTheTable) {
  std::set<std::string> table;
  for (const Edge& e : TransitionTable()) {
    EXPECT_TRUE(table.insert(Render(e)).second) << "duplicate edge " << Render(e);
    EXPECT_TRUE(Spec().count(Render(e))) << "edge not in the spec: " << Render(e);
  }
  for (const std::string& s : Spec()) EXPECT_TRUE(table.count(s)) << "spec edge missing from the table: " << s;
}

// Who may do what, for every (state or new) x action x single relation: the table's answer must
// be the spec's, so forbidden combinations are checked one by one too.
TEST(TransitionTable, MayPerformMatchesTheSpecForEveryCombination) {
  std::set<std::string> allowed;  // "from action relation"
  for (const std::string& line : Spec()) {
    std::istringstream in(line);
    std::string from, action, to, outcome, who;
    in >> from >> action >> to >> outcome >> who;
    std::istringstream whos(who);
    std::string r;
    while (std::getline(whos, r, '|')) allowed.insert(from + " " + action + " " + r);
  }
  std::vector<std::optional<AppealState>> froms = {std::nullopt};
  for (AppealState s : AllStates()) froms.push_back(s);
  int checked = 0, forbidden = 0;
  for (const auto& from : froms) {
    for (Action action : AllActions()) {
      for (Relation r : AllRelations()) {
        const std::string key = std::string(from ? StateCode(*from) : "new") + " " + std::string(ActionCode(action)) +
                                " " + std::string(RelationCode(r));
        const bool expect = allowed.count(key) > 0;
        EXPECT_EQ(MayPerform(from, action, r), expect) << key;
        ++checked;
        forbidden += !expect;
      }
    }
  }
  EXPECT_EQ(checked, 12 * kActionCount * kRelationCount);
  EXPECT_GT(forbidden, 1000);  // the overwhelming majority of combinations is forbidden
}

TEST(TransitionTable, TheForbiddenEdgesOfTLogic3HaveNoEdgeAtAll) {
  // Close without the villager's confirmation: nothing but rate and visit leads to closed.
  for (const Edge& e : TransitionTable()) {
    if (e.to == AppealState::kClosed) {
      EXPECT_TRUE(e.action == Action::kRate || e.action == Action::kVisit) << Render(e);
    }
  }
  // Skip acceptance: no start or answer before accepted.
  for (AppealState s : {AppealState::kSubmitted, AppealState::kTransferred, AppealState::kReopened, AppealState::kEscalated}) {
    EXPECT_TRUE(EdgesFor(s, Action::kStart).empty()) << StateCode(s);
    EXPECT_TRUE(EdgesFor(s, Action::kAnswer).empty()) << StateCode(s);
  }
  EXPECT_TRUE(EdgesFor(AppealState::kAccepted, Action::kAnswer).empty());
  // Nothing leaves closed or withdrawn: no reopening after closing, no rating twice.
  for (Action a : AllActions()) {
    EXPECT_TRUE(EdgesFor(AppealState::kClosed, a).empty()) << ActionCode(a);
    EXPECT_TRUE(EdgesFor(AppealState::kWithdrawn, a).empty()) << ActionCode(a);
  }
  // Rating only an answer; contesting only a rejection; no helper may rate.
  for (AppealState s : AllStates()) {
    if (s != AppealState::kAnswered) {
      EXPECT_TRUE(EdgesFor(s, Action::kRate).empty()) << StateCode(s);
    }
    if (s != AppealState::kRejected) {
      EXPECT_TRUE(EdgesFor(s, Action::kContest).empty()) << StateCode(s);
    }
  }
  EXPECT_FALSE(MayPerform(AppealState::kAnswered, Action::kRate, kSubmitter));
  // Only the system escalates.
  for (const Edge& e : TransitionTable()) {
    if (e.action == Action::kEscalate) {
      EXPECT_EQ(e.who, kSystem) << Render(e);
    }
  }
}

TEST(TransitionTable, CodesRoundTrip) {
  for (AppealState s : AllStates()) EXPECT_EQ(ParseState(StateCode(s)), s);
  for (Action a : AllActions()) EXPECT_EQ(ParseAction(ActionCode(a)), a);
  EXPECT_EQ(AllStates().size(), static_cast<size_t>(kStateCount));
  EXPECT_FALSE(ParseState("Closed"));
  EXPECT_FALSE(ParseAction("close"));
  EXPECT_EQ(RelationsText(kHandler | kSupervisor), "handler|supervisor");
}

}  // namespace
}  // namespace gz::appeals
