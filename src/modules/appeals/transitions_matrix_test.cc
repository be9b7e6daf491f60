// T-LOGIC-3 through the real service and store: every state x every action x every kind of
// caller, forbidden combinations included. Each state is reached by its legitimate path; each
// allowed combination is performed on a fresh appeal in that state and must succeed; each
// forbidden one is tried on a shared appeal in that state and must fail without changing it.
//
// The expectations come from a list written from the text (below) and from who each
// caller is to the appeal (also written by hand), not from the module's own table.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "modules/appeals/problems.h"
#include "modules/appeals/testing/appeal_test_env.h"

namespace gz::appeals {
namespace {

using namespace testing;  // NOLINT

// "from action to who|who": what the issue allows. rate/visit are tried with 满意, so they close.
constexpr const char* kAllowed[] = {
    "submitted accept accepted handler",
    "transferred accept accepted handler",
    "reopened accept accepted handler",
    "escalated accept accepted escalation_target",
    "accepted start in_progress handler",
    "in_progress answer answered handler",
    "answered rate closed submitter_in_person",
    "answered visit closed supervisor",
    "submitted transfer transferred handler|next_level",
    "transferred transfer transferred handler|next_level",
    "accepted transfer transferred handler|next_level",
    "in_progress transfer transferred handler|next_level",
    "reopened transfer transferred handler|next_level",
    "escalated transfer transferred escalation_target",
    "submitted reject rejected handler",
    "transferred reject rejected handler",
    "accepted reject rejected handler",
    "reopened reject rejected handler",
    "escalated reject rejected escalation_target",
    "rejected contest contested submitter",
    "contested uphold rejected next_level",
    "contested overturn transferred next_level",
    "submitted withdraw withdrawn submitter",
    "transferred withdraw withdrawn submitter",
    "accepted withdraw withdrawn submitter",
    "in_progress withdraw withdrawn submitter",
    "reopened withdraw withdrawn submitter",
    "escalated withdraw withdrawn submitter",
    "contested withdraw withdrawn submitter",
};

struct Allowed {
  std::string to;
  std::set<std::string> who;
};

std::map<std::pair<std::string, std::string>, Allowed> AllowedMap() {
  std::map<std::pair<std::string, std::string>, Allowed> out;
  for (const char* line : kAllowed) {
    std::istringstream in(line);
    std::string from, action, to, who;
    in >> from >> action >> to >> who;
    Allowed a{to, {}};
    std::istringstream whos(who);
    std::string r;
    while (std::getline(whos, r, '|')) a.who.insert(r);
    out[{from, action}] = a;
  }
  return out;
}

struct Actor {
  std::string name;
  access::Principal principal;
  std::set<std::string> relations;  // to a village-committee appeal of 101 (escalated: to the township)
};

class TransitionsMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.settings.max_open_per_submitter = 1000;
    env_.Restart();
  }

  std::vector<Actor> Actors(AppealState state) {
    const bool escalated = state == AppealState::kEscalated;
    std::vector<Actor> out = {
        {"villager (submitter)", env_.Who(kVillager), {"submitter", "submitter_in_person"}},
        {"helper for the submitter", env_.HelperForVillager(), {"submitter"}},
        {"another villager", env_.Who(kVillager2), {}},
        {"grid worker", env_.Who(kGrid), {}},
        {"village cadre", env_.Who(kCadre), {"handler"}},
        {"sibling village cadre", env_.Who(kSiblingCadre), {}},
        {"township official", env_.Who(kTownshipOfficial),
         escalated ? std::set<std::string>{"next_level", "escalation_target"} : std::set<std::string>{"next_level"}},
        {"other township official", env_.Who(kOtherTownshipOfficial), {}},
        {"county admin", env_.Who(kCountyAdmin), {}},
        {"supervisor", env_.Who(kSupervisorId), {"supervisor"}},
        {"auditor", env_.Who(kAuditor), {}},
    };
    return out;
  }

  // An appeal of villager 101, handled by the village committee, brought to `state` the legitimate way.
  Appeal Reach(AppealState state) {
    const access::Principal villager = env_.Who(kVillager), cadre = env_.Who(kCadre);
    Appeal a = env_.Submit();
    auto answer = [&] {
      env_.Must(cadre, a.id, Action::kAccept);
      env_.Must(cadre, a.id, Action::kStart);
      return env_.Must(cadre, a.id, Action::kAnswer, "已派人修好");
    };
    switch (state) {
      case AppealState::kSubmitted: return a;
      case AppealState::kAccepted: return env_.Must(cadre, a.id, Action::kAccept);
      case AppealState::kInProgress:
        env_.Must(cadre, a.id, Action::kAccept);
        return env_.Must(cadre, a.id, Action::kStart);
      case AppealState::kAnswered: {
        Appeal answered = answer();
        // Past the rating window, so that a supervisor's visit is possible.
        env_.Advance(std::chrono::milliseconds(env_.settings.rating_window_ms + 1));
        return answered;
      }
      case AppealState::kClosed:
        answer();
        return env_.Must(villager, a.id, Action::kRate, "", std::nullopt, Rating::kSatisfied, true);
      case AppealState::kTransferred:
        env_.Must(cadre, a.id, Action::kTransfer, "需镇里协调", TownshipUnitOf(kVillage));
        return env_.Must(env_.Who(kTownshipOfficial), a.id, Action::kTransfer, "仍由村委会办理", VillageUnitOf(kVillage));
      case AppealState::kEscalated:
        for (int i = 0; i < env_.settings.reopen_limit + 1; ++i) {
          answer();
          a = env_.Must(villager, a.id, Action::kRate, "", std::nullopt, Rating::kDissatisfied, false);
        }
        return a;
      case AppealState::kReopened:
        answer();
        return env_.Must(villager, a.id, Action::kRate, "", std::nullopt, Rating::kDissatisfied, false);
      case AppealState::kRejected: return env_.Must(cadre, a.id, Action::kReject, "不属于村委会受理范围");
      case AppealState::kContested:
        env_.Must(cadre, a.id, Action::kReject, "不属于村委会受理范围");
        return env_.Must(villager, a.id, Action::kContest, "这就是村里的事");
      case AppealState::kWithdrawn: return env_.Must(villager, a.id, Action::kWithdraw);
    }
    return a;
  }

  Command CommandFor(Action action, AppealState state) {
    Command c;
    c.action = action;
    if (NoteRequired(action)) c.note = "说明：按程序办理";
    if (action == Action::kTransfer)
      c.unit = state == AppealState::kEscalated ? VillageUnitOf(kVillage) : TownshipUnitOf(kVillage);
    if (action == Action::kRate || action == Action::kVisit) {
      c.rating = Rating::kSatisfied;
      c.solved = true;
    }
    return c;
  }

  AppealTestEnv env_;
};

TEST_F(TransitionsMatrix, EveryStateActionAndCaller) {
  const auto allowed = AllowedMap();
  int performed = 0, refused = 0;
  for (AppealState state : AllStates()) {
    const std::string s(StateCode(state));
    Appeal shared = Reach(state);
    ASSERT_EQ(shared.state, state) << s;
    const int64_t timeline_before = env_.Count("SELECT COUNT(*) FROM appeals_timeline WHERE appeal_id = $1", {shared.id});
    for (Action action : AllActions()) {
      if (action == Action::kSubmit || action == Action::kEscalate) continue;  // below
      const std::string a(ActionCode(action));
      auto rule = allowed.find({s, a});
      for (const Actor& actor : Actors(state)) {
        bool expect = false;
        if (rule != allowed.end())
          for (const std::string& r : actor.relations) expect |= rule->second.who.count(r) > 0;
        const std::string what = s + " / " + a + " / " + actor.name;
        if (expect) {
          Appeal fresh = Reach(state);
          Result<Appeal> done = env_.service->Perform(actor.principal, fresh.id, CommandFor(action, state));
          ASSERT_TRUE(done.ok()) << what << ": " << done.status().ToString();
          EXPECT_EQ(StateCode(done->state), rule->second.to) << what;
          EXPECT_EQ(done->version, fresh.version + 1) << what;
          ++performed;
        } else {
          Result<Appeal> done = env_.service->Perform(actor.principal, shared.id, CommandFor(action, state));
          ASSERT_FALSE(done.ok()) << what << " was accepted";
          if (rule == allowed.end()) {
            EXPECT_EQ(done.status().slug(), problems::kTransitionNotAllowed) << what;
            EXPECT_EQ(done.status().code(), Code::kFailedPrecondition) << what;
          } else {
            EXPECT_EQ(done.status().code(), Code::kPermissionDenied) << what << ": " << done.status().ToString();
          }
          ++refused;
        }
      }
      // Nobody escalates by hand, and an existing appeal is never submitted again.
      for (const Actor& actor : Actors(state)) {
        Command c;
        c.action = Action::kEscalate;
        EXPECT_EQ(env_.service->Perform(actor.principal, shared.id, c).status().slug(), problems::kSystemOnly);
        c.action = Action::kSubmit;
        EXPECT_EQ(env_.service->Perform(actor.principal, shared.id, c).status().slug(), problems::kTransitionNotAllowed);
      }
    }
    Result<Appeal> after = env_.service->Get(shared.id);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->version, shared.version) << s << ": a refused command changed the appeal";
    EXPECT_EQ(after->state, state) << s;
    EXPECT_EQ(env_.Count("SELECT COUNT(*) FROM appeals_timeline WHERE appeal_id = $1", {shared.id}), timeline_before) << s;
  }
  // Every line of the list was exercised by someone, and the refusals outnumber them.
  EXPECT_GE(performed, static_cast<int>(std::size(kAllowed)));
  EXPECT_GT(refused, 10 * performed);
}

TEST_F(TransitionsMatrix, WhoMayFile) {
  auto file = [&](const access::Principal& by, int64_t for_account) {
    SubmitRequest r = env_.Request();
    r.for_account = for_account;
    return env_.service->Submit(by, r);
  };
  EXPECT_TRUE(file(env_.Who(kVillager), 0).ok());
  EXPECT_TRUE(file(env_.HelperForVillager(), 0).ok());
  EXPECT_TRUE(file(env_.Who(kGrid), kVillager2).ok());
  EXPECT_TRUE(file(env_.Who(kCadre), kVillager2).ok());
  for (int64_t who : {kSiblingCadre, kTownshipOfficial, kOtherTownshipOfficial, kCountyAdmin, kSupervisorId, kAuditor, kHelper,
                      kVillager})
    EXPECT_EQ(file(env_.Who(who), kVillager2).status().slug(), problems::kNotAllowed) << who;
}

// The store's own guards, for a row written around the service (T-LOGIC-3 in the schema).
TEST_F(TransitionsMatrix, TheDatabaseRefusesForbiddenEdgesWrittenAroundTheService) {
  Appeal closed = Reach(AppealState::kClosed);
  Appeal submitted = Reach(AppealState::kSubmitted);
  Appeal answered = Reach(AppealState::kAnswered);
  auto exec = [&](const std::string& sql, int64_t id) { return env_.Exec(sql, {id}); };
  // Reopen after closing; any state change of a closed appeal.
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET state = 'reopened', accept_due_ms = 1, rating = NULL, solved = NULL, "
                    "rated_at_ms = NULL, rated_via = NULL, version = version + 1 WHERE id = $1", closed.id).ok());
  // Close without the villager's rating; close with a rating of 不满意.
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET state = 'closed', rating_due_ms = NULL, version = version + 1 WHERE id = $1",
                    answered.id).ok());
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET state = 'closed', rating_due_ms = NULL, rating = 'dissatisfied', solved = 0, "
                    "rated_at_ms = 1, rated_via = 'submitter', version = version + 1 WHERE id = $1", answered.id).ok());
  // Skip acceptance.
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET state = 'in_progress', accept_due_ms = NULL, version = version + 1 "
                    "WHERE id = $1", submitted.id).ok());
  // Backdate the filing; lower a counter; change without a new version; delete.
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET submitted_at_ms = submitted_at_ms - 86400000, version = version + 1 "
                    "WHERE id = $1", submitted.id).ok());
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET accept_round = 0, version = version + 1 WHERE id = $1", submitted.id).ok());
  EXPECT_FALSE(exec("UPDATE appeals_appeals SET category = 'roads' WHERE id = $1", submitted.id).ok());
  EXPECT_FALSE(exec("DELETE FROM appeals_appeals WHERE id = $1", submitted.id).ok());
  // The timeline is never edited.
  EXPECT_FALSE(exec("UPDATE appeals_timeline SET visibility = 'internal' WHERE appeal_id = $1", closed.id).ok());
  EXPECT_FALSE(exec("DELETE FROM appeals_timeline WHERE appeal_id = $1", closed.id).ok());
  // Control: a change through the lifecycle's rules passes the same guards.
  EXPECT_TRUE(exec("UPDATE appeals_appeals SET category = 'roads', version = version + 1 WHERE id = $1", submitted.id).ok());
  EXPECT_EQ(env_.service->Get(closed.id)->state, AppealState::kClosed);
}

}  // namespace
}  // namespace gz::appeals
