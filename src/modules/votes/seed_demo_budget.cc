// Layer: votes domain (see seed_demo_budget.h).
#include "modules/votes/seed_demo_budget.h"

#include <chrono>

#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/votes/vote_service.h"

namespace gz::votes {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

struct DemoProject {
  const char* title;
  const char* description;
  int64_t cost;
  const char* rejection;  // nullptr: accepted
};

// Proposes every project (alternating between the demo villagers), reviews them as the cadre.
Status ProposeAndReview(BudgetService& budget, const BudgetRound& round, const std::vector<DemoProject>& projects,
                        const access::Principal& cadre, const std::vector<access::Principal>& villagers) {
  for (size_t i = 0; i < projects.size(); ++i) {
    GZ_ASSIGN_OR_RETURN(BudgetProject p, budget.Propose(villagers[i % villagers.size()], round.id,
                                                        ProjectInput{projects[i].title, projects[i].description, projects[i].cost}));
    if (projects[i].rejection == nullptr) {
      GZ_RETURN_IF_ERROR(budget.Review(cadre, p.id, true, "").status());
    } else {
      GZ_RETURN_IF_ERROR(budget.Review(cadre, p.id, false, projects[i].rejection).status());
    }
  }
  return Status::Ok();
}

}  // namespace

Result<bool> SeedDemoBudget(BudgetStore& budget_store, VoteStore& vote_store, ElectorateSource& electorate,
                            const std::string& village, const access::Principal& cadre,
                            const access::Principal& supervisor, const std::vector<access::Principal>& villagers) {
  if (villagers.empty()) return false;
  GZ_ASSIGN_OR_RETURN(std::vector<BudgetRound> existing, budget_store.ListRounds({village}, 1));
  if (!existing.empty()) return false;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock::Instance().Now().time_since_epoch()).count();

  // ---- the closed round, held 40 days ago ----
  FakeClock past(WallTime(std::chrono::milliseconds(now - 40 * kDayMs)));
  VoteService past_votes(vote_store, electorate, past);
  BudgetService past_budget(budget_store, past_votes, past);
  GZ_ASSIGN_OR_RETURN(BudgetRound closed_round,
                      past_budget.CreateRound(cadre, RoundInput{village, "2026年度村级公益项目（参与式预算）", 300000, "mes"}));
  const std::vector<DemoProject> closed_projects = {
      {"村口道路硬化（800米）", "村口至三组的土路雨天泥泞，硬化为4米宽水泥路，方便接送孩子和运输农产品。", 180000, nullptr},
      {"修缮村口路灯（20盏）", "村口和主干道路灯大多损坏，夜间出行不安全，更换为太阳能路灯。", 60000, nullptr},
      {"文化广场健身器材", "在文化广场增设一套健身器材和乒乓球台，供老人和孩子使用。", 45000, nullptr},
      {"灌溉水渠清淤", "二组、四组灌溉水渠淤塞，春耕前清淤并修补渠壁。", 70000, nullptr},
      {"老年活动室改造", "改造闲置村小教室为老年活动室，添置桌椅、空调和图书。", 90000, nullptr},
      {"购买村委会公务用车", "村干部外出办事需要车辆。", 120000, "不属于村民公益项目，不在本轮参与式预算范围内"},
  };
  GZ_RETURN_IF_ERROR(ProposeAndReview(past_budget, closed_round, closed_projects, cadre, villagers));
  past.Advance(std::chrono::hours(24));
  const int64_t opens = now - 39 * kDayMs;
  GZ_ASSIGN_OR_RETURN(Vote draft, past_budget.DraftVote(cadre, closed_round.id,
                                                        BudgetVoteInput{"residents-18+", true, opens, opens + 7 * kDayMs}));
  GZ_ASSIGN_OR_RETURN(Vote opened, past_votes.Open(supervisor, draft.id));
  past.Advance(std::chrono::hours(48));

  // Ballots: two groups, as often in a village -- the families along the road want the road, the
  // lights and the fitness corner (285,000 yuan), the farmers of groups 2 and 4 the canal and the
  // elderly room (160,000 yuan); a few approve a mix. Greedy gives the majority everything;
  // equal shares gives the minority its share (the results page shows both).
  GZ_ASSIGN_OR_RETURN(std::vector<Elector> electors,
                      electorate.Electorate(supervisor, village, ElectorateRule::kResidents18,
                                            residents::ChinaDateOf(WallTime(std::chrono::milliseconds(opens)))));
  const std::vector<Choice> patterns = {{0, 1, 2}, {0, 1, 2}, {0, 1, 2}, {0, 1, 2}, {0, 1}, {3, 4}, {3, 4}, {3, 4}, {1, 3}, {2, 4}};
  const size_t voting = electors.size() * 7 / 10;  // 70% turnout
  std::vector<int64_t> units_voted;
  for (size_t i = 0; i < voting; ++i) {
    const Elector& e = electors[i];
    CastRecord c;
    c.vote_id = opened.id;
    c.resident_id = e.resident_id;
    c.cast_by_account = cadre.self.account_id;
    c.ballot_id = crypto::RandomHex(16);
    c.choice = patterns[i % patterns.size()];
    c.now_ms = past_votes.NowMs() + static_cast<int64_t>(i) * 60'000;
    access::AuditEvent event = access::EventFor(cadre, "votes.cast");
    event.division = village;
    event.object_type = "vote";
    event.object_id = std::to_string(opened.id);
    event.details = "{\"demo\":\"demo-seed\"}";
    Status s = vote_store.Cast(c, event);
    // Under the households rule two members share a unit; under residents-18+ none do.
    if (!s.ok() && s.code() != Code::kAlreadyExists) return s;
  }
  past.Advance(std::chrono::hours(24 * 7));
  GZ_RETURN_IF_ERROR(past_votes.Close(cadre, opened.id).status());

  // ---- the open round ----
  const SystemClock& clock = SystemClock::Instance();
  VoteService votes(vote_store, electorate, clock);
  BudgetService budget(budget_store, votes, clock);
  GZ_ASSIGN_OR_RETURN(BudgetRound open_round,
                      budget.CreateRound(cadre, RoundInput{village, "2027年度人居环境小微项目（参与式预算）", 120000, "greedy"}));
  const std::vector<DemoProject> open_projects = {
      {"垃圾分类亭（4处）", "在四个村民小组各建一处带顶棚的垃圾分类投放亭。", 32000, nullptr},
      {"村小学门口减速带和警示牌", "学校门口车速快，增设减速带、斑马线和警示牌。", 12000, nullptr},
      {"荷塘沿岸护栏", "荷塘沿岸步道无护栏，孩子落水风险大，加装300米护栏。", 54000, nullptr},
      {"公共厕所改造", "文化广场旁旱厕改为水冲式公厕。", 68000, nullptr},
      {"村民议事厅投影设备", "议事厅添置投影仪和音响，方便开会公示。", 15000, nullptr},
  };
  GZ_RETURN_IF_ERROR(ProposeAndReview(budget, open_round, open_projects, cadre, villagers));
  GZ_ASSIGN_OR_RETURN(Vote open_draft, budget.DraftVote(cadre, open_round.id,
                                                        BudgetVoteInput{"residents-18+", true, now, now + 30 * kDayMs}));
  GZ_RETURN_IF_ERROR(votes.Open(supervisor, open_draft.id).status());
  return true;
}

Result<bool> SeedDemoTownshipBudget(BudgetStore& budget_store, VoteStore& vote_store, ElectorateSource& electorate,
                                    const std::string& township, const access::Principal& drafter,
                                    const access::Principal& opener, const std::vector<access::Principal>& villagers) {
  if (villagers.empty() || ScopeOfDivision(township) != Scope::kTownship) return false;
  GZ_ASSIGN_OR_RETURN(std::vector<BudgetRound> existing, budget_store.ListRounds({township}, 1));
  if (!existing.empty()) return false;
  const SystemClock& clock = SystemClock::Instance();
  VoteService votes(vote_store, electorate, clock);
  BudgetService budget(budget_store, votes, clock);
  const int64_t now = votes.NowMs();
  GZ_ASSIGN_OR_RETURN(BudgetRound round,
                      budget.CreateRound(drafter, RoundInput{township, "2027年度街道级民生项目（参与式预算）", 800000, "mes"}));
  const std::vector<DemoProject> projects = {
      {"成功村至马家渡村连接路拓宽", "两村之间的村道只有3米宽，会车困难，拓宽至5米并加装护栏。", 380000, nullptr},
      {"街道卫生院流动诊疗车", "每周两次到各村巡回义诊，方便老人就近看病。", 260000, nullptr},
      {"马家渡村渡口安全设施", "渡口增设救生圈、护栏和夜间照明。", 90000, nullptr},
      {"各村文化广场共享图书角", "每村一处图书角，街道统一配书、轮换。", 70000, nullptr},
      {"中小学放学托管（一年）", "为双职工家庭提供放学后托管和作业辅导。", 150000, nullptr},
      {"街道办公楼装修", "办公楼外墙翻新。", 300000, "不属于村民民生项目，不在本轮参与式预算范围内"},
  };
  GZ_RETURN_IF_ERROR(ProposeAndReview(budget, round, projects, drafter, villagers));
  GZ_ASSIGN_OR_RETURN(Vote draft,
                      budget.DraftVote(drafter, round.id, BudgetVoteInput{"residents-18+", true, now, now + 30 * kDayMs}));
  GZ_RETURN_IF_ERROR(votes.Open(opener, draft.id).status());
  return true;
}

}  // namespace gz::votes
