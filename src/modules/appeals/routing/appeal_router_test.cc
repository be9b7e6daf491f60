// The router on the real appeals service and SQLite store, with the recording audit sink.
#include "modules/appeals/routing/appeal_router.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "modules/appeals/routing/problems.h"
#include "modules/appeals/testing/appeal_test_env.h"

namespace gz::appeals::routing {
namespace {

using namespace gz::appeals::testing;

// Synthetic appeal texts written for these tests, one topic per category.
struct Topic {
  const char* category;
  std::vector<std::string> words;
};
const std::vector<Topic> kTopics = {
    {"water_supply", {"停水", "自来水", "水管破裂", "水压太低", "水龙头没水", "供水管道"}},
    {"roads", {"路面坑洼", "修路", "道路塌陷", "村道积水", "桥面开裂", "路基下沉"}},
    {"street_lights", {"路灯不亮", "灯泡坏了", "晚上很黑", "照明线路", "太阳能灯", "灯杆倒了"}},
    {"sanitation", {"垃圾成堆", "没人清运", "臭气熏天", "垃圾桶满了", "污水横流", "苍蝇很多"}},
};
const std::vector<std::string> kShared = {"村里", "请尽快处理", "已经一个星期", "希望领导重视", "我们组",
                                          "反映一个问题", "很不方便", "村口"};
constexpr char kSecretMarker[] = "秘密标记";  // written into every history text; must never leave memory

std::string TextAbout(size_t topic, std::mt19937_64& rng) {
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  return pick(kShared) + pick(kTopics[topic].words) + "，" + pick(kTopics[topic].words) + "，" + pick(kShared) +
         kSecretMarker;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    env.settings.max_open_per_submitter = 10000;
    env.Restart();
  }

  AppealRouter& Router(RouterOptions options = Options()) {
    router = std::make_unique<AppealRouter>(*env.store, env.cipher(), env.sink, env.clock, options);
    return *router;
  }
  static RouterOptions Options() {
    RouterOptions o;
    o.min_history = 12;
    return o;
  }

  // Files `per_topic` appeals of each topic in `village` (recorded by its cadre for a villager) and
  // has the cadre accept them. Returns their ids.
  std::vector<int64_t> Seed(int per_topic, const access::Principal& villager, const access::Principal& cadre,
                            uint64_t seed = 7) {
    std::mt19937_64 rng(seed);
    std::vector<int64_t> ids;
    for (int i = 0; i < per_topic; ++i)
      for (size_t t = 0; t < kTopics.size(); ++t) {
        Appeal a = env.Submit(villager, env.Request(TextAbout(t, rng), kTopics[t].category));
        env.Must(cadre, a.id, Action::kAccept);
        ids.push_back(a.id);
      }
    return ids;
  }

  size_t Trainings() { return env.sink.Count("appeals.route_training"); }

  AppealTestEnv env;
  std::unique_ptr<AppealRouter> router;
};

TEST_F(RouterTest, NotEnoughHistoryAnywhereSaysSoWithCountsAndOpensNothing) {
  AppealRouter& r = Router();
  Seed(2, env.Who(kVillager), env.Who(kCadre));  // 8 confirmed < 12
  env.Submit();                                  // filed, not accepted: not confirmed
  Result<Suggestion> s = r.Suggest(env.Who(kVillager), kVillage, "家里停水三天了");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.status().slug(), problems::kNotEnoughHistory);
  const auto& args = s.status().args();
  auto arg = [&](const std::string& k) {
    for (const auto& [n, v] : args)
      if (n == k) return v;
    return std::string("?");
  };
  EXPECT_EQ(arg("village_count"), "8");
  EXPECT_EQ(arg("township_count"), "8");
  EXPECT_EQ(arg("county_count"), "8");
  EXPECT_EQ(arg("needed"), "12");
  EXPECT_EQ(Trainings(), 0u);  // counting opened no text
  EXPECT_EQ(r.training_runs(), 0);
  // "Not enough" is not remembered: the appeals that reach the threshold count at once.
  Seed(1, env.Who(kVillager), env.Who(kCadre), 9);
  Result<Suggestion> now = r.Suggest(env.Who(kVillager), kVillage, "家里停水三天了");
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  EXPECT_EQ(now->trained_on, 12);
  EXPECT_EQ(Trainings(), 1u);
}

TEST_F(RouterTest, SuggestsTheCategoryFromTheVillagesOwnHistoryAndAuditsOneTraining) {
  AppealRouter& r = Router();
  Seed(6, env.Who(kVillager), env.Who(kCadre));  // 24 confirmed
  const size_t reads_before = env.sink.Count("appeals.read_personal");
  Result<Suggestion> s = r.Suggest(env.Who(kVillager), kVillage, "我家水龙头没水，水压太低，停水两天了");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->best.category, "water_supply");
  EXPECT_GT(s->best.confidence, 0.25);
  EXPECT_EQ(s->best.unit, VillageUnitOf(kVillage));
  EXPECT_EQ(s->best.unit_count, 6);
  EXPECT_EQ(s->best.unit_total, 6);
  EXPECT_EQ(s->alternatives.size(), 3u);
  for (const SuggestedRoute& a : s->alternatives) EXPECT_LE(a.confidence, s->best.confidence);
  EXPECT_EQ(s->scope, ScopeLevel::kVillage);
  EXPECT_EQ(s->scope_division, kVillage);
  EXPECT_EQ(s->trained_on, 24);
  EXPECT_EQ(s->village_history, 24);

  ASSERT_EQ(Trainings(), 1u);
  for (const access::AuditEvent& e : env.sink.events()) {
    if (e.action != "appeals.route_training") continue;
    EXPECT_EQ(e.division, kVillage);
    EXPECT_EQ(e.object_id, kVillage);
    EXPECT_EQ(e.actor_account, kVillager);
    EXPECT_FALSE(e.purpose.empty());
    EXPECT_NE(e.details.find("\"count\":24"), std::string::npos) << e.details;
    EXPECT_NE(e.details.find(std::string("\"village\":\"") + kVillage + "\""), std::string::npos);
  }
  // No text, no marker anywhere in the audit trail; no per-appeal reads were claimed either.
  for (const access::AuditEvent& e : env.sink.events())
    EXPECT_EQ((e.details + e.purpose + e.object_id).find(kSecretMarker), std::string::npos);
  EXPECT_EQ(env.sink.Count("appeals.read_personal"), reads_before);

  // Other texts: right topic each time (a model that ignored the text could not do this).
  EXPECT_EQ(r.Suggest(env.Who(kVillager), kVillage, "路灯不亮，晚上很黑")->best.category, "street_lights");
  EXPECT_EQ(r.Suggest(env.Who(kCadre), kVillage, "垃圾成堆没人清运")->best.category, "sanitation");
  EXPECT_EQ(r.Suggest(env.Who(kCadre), kVillage, "道路塌陷，路面坑洼")->best.category, "roads");
  EXPECT_EQ(Trainings(), 1u);  // fresh model reused
}

TEST_F(RouterTest, UnitComesFromConfirmedRoutingAndServesTheAskingVillage) {
  AppealRouter& r = Router();
  std::vector<int64_t> ids = Seed(4, env.Who(kVillager), env.Who(kCadre));
  // Water appeals go on to the township's water office, which accepts them there.
  const HandlingUnit water_office = *MakeUnit(UnitLevel::kTownship, kTownship, "water");
  int moved = 0;
  for (int64_t id : ids) {
    if (env.service->Get(id)->category != "water_supply") continue;
    env.Must(env.Who(kCadre), id, Action::kTransfer, "转乡镇水务站处理", water_office);
    if (++moved <= 3) env.Must(env.Who(kTownshipOfficial), id, Action::kAccept);  // one stays in transfer
  }
  Result<Suggestion> s = r.Suggest(env.Who(kVillager), kVillage, "自来水水管破裂，停水");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->best.category, "water_supply");
  EXPECT_EQ(s->best.unit, water_office);
  EXPECT_EQ(s->best.unit_count, 3);  // the one still in transfer does not confirm a unit
  EXPECT_EQ(s->best.unit_total, 3);
  EXPECT_EQ(s->trained_on, 16);  // but its category was confirmed at the first acceptance

  // The sibling village has no history of its own: the township's is used, and the unit is the
  // sibling's own committee or its township's office, never another village's committee.
  Result<Suggestion> sib = r.Suggest(env.Who(kSiblingVillager), kSibling, "路灯不亮，灯泡坏了");
  ASSERT_TRUE(sib.ok()) << sib.status().ToString();
  EXPECT_EQ(sib->scope, ScopeLevel::kTownship);
  EXPECT_EQ(sib->scope_division, kTownship);
  EXPECT_EQ(sib->village_history, 0);
  EXPECT_EQ(sib->best.category, "street_lights");
  EXPECT_EQ(sib->best.unit, VillageUnitOf(kSibling));
  Result<Suggestion> sib_water = r.Suggest(env.Who(kSiblingVillager), kSibling, "水龙头没水，水压太低");
  ASSERT_TRUE(sib_water.ok());
  EXPECT_EQ(sib_water->best.unit, water_office);  // the same township
  EXPECT_TRUE(UnitServes(sib_water->best.unit, kSibling));
}

TEST_F(RouterTest, RejectedAppealsTeachNothing) {
  AppealRouter& r = Router();
  std::vector<int64_t> ids = Seed(4, env.Who(kVillager), env.Who(kCadre));  // 16
  for (size_t i = 0; i < 5; ++i) env.Must(env.Who(kCadre), ids[i], Action::kReject, "不属于受理范围");
  Result<Suggestion> s = r.Suggest(env.Who(kVillager), kVillage, "停水");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().slug(), problems::kNotEnoughHistory);  // 11 < 12
}

TEST_F(RouterTest, RetrainsWhenStaleAndKeepsServingTheOldModelIfTheAuditIsDown) {
  AppealRouter& r = Router();
  Seed(4, env.Who(kVillager), env.Who(kCadre));
  ASSERT_TRUE(r.Suggest(env.Who(kVillager), kVillage, "停水").ok());
  ASSERT_EQ(Trainings(), 1u);
  env.Advance(std::chrono::minutes(5));
  Seed(1, env.Who(kVillager), env.Who(kCadre), 8);
  Result<Suggestion> still = r.Suggest(env.Who(kVillager), kVillage, "停水");
  EXPECT_EQ(still->trained_on, 16);  // within retrain_after_ms: the same model
  EXPECT_EQ(Trainings(), 1u);

  env.Advance(std::chrono::minutes(6));
  Result<Suggestion> again = r.Suggest(env.Who(kVillager), kVillage, "停水");
  EXPECT_EQ(again->trained_on, 20);
  EXPECT_EQ(Trainings(), 2u);

  // Audit down: no new training (nothing opened without its record), the stale model answers.
  env.Advance(std::chrono::minutes(11));
  env.sink.SetFailing(true);
  Result<Suggestion> stale = r.Suggest(env.Who(kVillager), kVillage, "停水");
  ASSERT_TRUE(stale.ok()) << stale.status().ToString();
  EXPECT_EQ(stale->trained_on, 20);
  EXPECT_EQ(r.training_runs(), 2);

  // A first training with the audit down is refused outright (fail closed).
  AppealRouter& fresh = Router();
  Result<Suggestion> refused = fresh.Suggest(env.Who(kVillager), kVillage, "停水");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kUnavailable);
  EXPECT_EQ(fresh.training_runs(), 0);
  env.sink.SetFailing(false);
  EXPECT_TRUE(fresh.Suggest(env.Who(kVillager), kVillage, "停水").ok());
}

TEST_F(RouterTest, ConcurrentFirstRequestsTrainOnce) {
  AppealRouter& r = Router();
  Seed(4, env.Who(kVillager), env.Who(kCadre));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] { ok += r.Suggest(env.Who(kCadre), kVillage, "垃圾成堆").ok() ? 1 : 0; });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(r.training_runs(), 1);
  EXPECT_EQ(Trainings(), 1u);
}

TEST_F(RouterTest, RefusesBadInput) {
  AppealRouter& r = Router();
  EXPECT_EQ(r.Suggest(env.Who(kVillager), "420114001000", "停水停电").status().slug(), "appeals/bad-village");
  EXPECT_EQ(r.Suggest(env.Who(kVillager), "x", "停水停电").status().slug(), "appeals/bad-village");
  EXPECT_EQ(r.Suggest(env.Who(kVillager), kVillage, "水").status().slug(), "appeals/bad-text");
  EXPECT_EQ(r.Suggest(env.Who(kVillager), kVillage, std::string(kMaxTextChars + 1, 'a')).status().slug(),
            "appeals/bad-text");
  EXPECT_EQ(r.Suggest(env.Who(kVillager), kVillage, "停水\x01").status().slug(), "appeals/bad-text");
}

TEST_F(RouterTest, EvictsLeastRecentlyUsedScopes) {
  RouterOptions o = Options();
  o.max_cached_scopes = 3;
  AppealRouter& r = Router(o);
  Seed(4, env.Who(kVillager), env.Who(kCadre));
  ASSERT_TRUE(r.Suggest(env.Who(kVillager), kVillage, "停水").ok());  // the village's own model
  // A village of another township has no history, nor has its township: three more scopes (its
  // village, its township, the county, which is trained), and the first village's is pushed out.
  ASSERT_TRUE(r.Suggest(env.Who(kCountyAdmin), "420114002001", "停水").ok());
  ASSERT_TRUE(r.Suggest(env.Who(kVillager), kVillage, "停水").ok());  // trained again
  EXPECT_EQ(r.training_runs(), 3);
}

}  // namespace
}  // namespace gz::appeals::routing
