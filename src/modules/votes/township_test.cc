// Township-wide budget rounds on the real SQL stores (both backends) with the real registry
// electorate over a seeded register of three villages: two of the township 420114001000 (成功村
// 420114001205, 马家渡村 420114001206) and one of another township (永安村 420114003202).
//   - the electorate of a township vote is every adult of its villages, and nobody else's;
//   - who may do what: township officials of the township manage (maker-checker between two of
//     them), village cadres of its villages are refused (403 inside their tenant), officials and
//     villagers of another township get 404, villagers of both villages propose and vote;
//   - one ballot per voter under concurrency, also for a township vote;
//   - the /3 log entries, the recount and the pabulib export; village entries stay /2;
//   - the migration's county_code on the large tables and the scope check on rounds.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "access/policy.h"
#include "crypto/crypto.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/residents/seed_demo.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "modules/residents/testing/in_memory_resident_store.h"
#include "modules/votes/budget.h"
#include "modules/votes/electorate.h"
#include "modules/votes/problems.h"
#include "modules/votes/sql/sql_budget_store.h"
#include "modules/votes/sql/sql_vote_store.h"
#include "modules/votes/sql/vote_migrations.h"
#include "modules/votes/vote_service.h"
#include "pb/pb.h"
#include "storage/backends_for_test.h"
#include "storage/migrate.h"

namespace gz::votes {
namespace {

using access::Role;

constexpr char kTownship[] = "420114001000";
constexpr char kOtherTownship[] = "420114003000";
constexpr char kVillageA[] = "420114001205";
constexpr char kVillageB[] = "420114001206";
constexpr char kOtherVillage[] = "420114003202";
constexpr int64_t kOfficial = 401, kOfficial2 = 402, kOtherOfficial = 403, kCadreA = 301, kSupervisorA = 351;

class TownshipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*cipher));
    residents::SeedOptions options;
    options.reference_date = residents::CivilDate{2026, 1, 1};
    options.min_households_per_village = 8;
    options.max_households_per_village = 12;
    const std::vector<std::string> villages = {kVillageA, kVillageB, kOtherVillage};
    ASSERT_TRUE(residents::SeedDemoResidents(register_, *cipher_, villages, options).ok());
    sealed_ = std::make_unique<residents::SealedPersonalDataReader>(register_, *cipher_);
    audited_ = std::make_unique<residents::AuditedPersonalDataReader>(*sealed_, sink_);
    // The division tree's answer for the township; a stray code of another township in it must
    // not widen the electorate.
    electorate_ = std::make_unique<RegistryElectorate>(
        register_, *audited_, [](const std::string& township) -> Result<std::vector<std::string>> {
          if (township == kTownship) return std::vector<std::string>{kVillageA, kVillageB, kOtherVillage};
          return std::vector<std::string>{kOtherVillage};
        });

    auto db = storage::OpenTemporaryStoreForTest();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : VoteMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock).ok());
    ASSERT_TRUE(db_->Write([](storage::Tx& tx) {
                     return tx.ExecScript("CREATE TABLE test_log (idx INTEGER PRIMARY KEY, village TEXT, entry TEXT)");
                   }).ok());
    vote_store = std::make_unique<SqlVoteStore>(
        *db_, [](storage::Tx& tx, std::string_view division, std::string_view entry) -> Result<std::uint64_t> {
          GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                              tx.Query("INSERT INTO test_log (idx, village, entry) VALUES "
                                       "((SELECT COUNT(*) FROM test_log), $1, $2) RETURNING idx",
                                       {std::string(division), std::string(entry)}));
          return static_cast<std::uint64_t>(rs.rows[0].Int(0));
        });
    budget_store = std::make_unique<SqlBudgetStore>(*db_);
    votes = std::make_unique<VoteService>(*vote_store, *electorate_, clock);
    budget = std::make_unique<BudgetService>(*budget_store, *votes, clock);
  }

  static access::Principal Staff(int64_t account, Role role, const std::string& scope) {
    access::Principal p;
    p.self.account_id = account;
    p.self.grants.push_back(access::Grant{0, role, scope});
    return p;
  }
  static access::Principal Official() { return Staff(kOfficial, Role::kTownshipOfficial, kTownship); }
  static access::Principal Official2() { return Staff(kOfficial2, Role::kTownshipOfficial, kTownship); }
  static access::Principal OtherOfficial() { return Staff(kOtherOfficial, Role::kTownshipOfficial, kOtherTownship); }
  static access::Principal CadreA() { return Staff(kCadreA, Role::kVillageCadre, kVillageA); }
  static access::Principal SupervisorA() { return Staff(kSupervisorA, Role::kSupervisor, kVillageA); }
  static access::Principal Villager(int64_t resident, const std::string& village) {
    access::Principal p;
    p.self.account_id = resident + 100000;
    p.self.resident_id = resident;
    p.self.village = village;
    p.self.grants.push_back(access::Grant{0, Role::kVillager, village});
    return p;
  }

  // The adults of a village on the test's date (the registry's answer for the village alone).
  std::vector<int64_t> AdultsOf(const std::string& village) {
    Result<std::vector<Elector>> e = electorate_->Electorate(Official(), village, ElectorateRule::kResidents18,
                                                             residents::CivilDate{2026, 1, 1});
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    std::vector<int64_t> out;
    if (e.ok())
      for (const Elector& x : *e) out.push_back(x.resident_id);
    return out;
  }

  int64_t Now() const { return votes->NowMs(); }

  // A township round with three accepted projects, proposed by villagers of both villages.
  BudgetRound RoundWithProjects() {
    Result<BudgetRound> r = budget->CreateRound(Official(), RoundInput{kTownship, "2027年度街道级民生项目", 500000, "mes"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    const int64_t a = AdultsOf(kVillageA).front(), b = AdultsOf(kVillageB).front();
    const std::vector<std::pair<access::Principal, ProjectInput>> proposals = {
        {Villager(a, kVillageA), ProjectInput{"连接路拓宽", "两村之间", 300000}},
        {Villager(b, kVillageB), ProjectInput{"渡口安全设施", "", 90000}},
        {Villager(a, kVillageA), ProjectInput{"图书角", "", 70000}},
    };
    for (const auto& [who, in] : proposals) {
      Result<BudgetProject> p = budget->Propose(who, r->id, in);
      EXPECT_TRUE(p.ok()) << p.status().ToString();
      EXPECT_TRUE(budget->Review(Official(), p->id, true, "").ok());
    }
    return r.ok() ? *r : BudgetRound{};
  }

  Vote OpenTownshipVote(int64_t closes_in_ms = 3600'000) {
    BudgetRound r = RoundWithProjects();
    Result<Vote> d = budget->DraftVote(Official(), r.id, BudgetVoteInput{"residents-18+", true, Now(), Now() + closes_in_ms});
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    Result<Vote> o = votes->Open(Official2(), d->id);
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : Vote{};
  }

  int64_t Count(const std::string& sql, const storage::Params& params = {}) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql, params));
                     n = rs.rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }

  FakeClock clock{WallTime(std::chrono::milliseconds(1767225600000))};  // 2026-01-01
  residents::InMemoryResidentStore register_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  residents::FakeAuditSink sink_;
  std::unique_ptr<residents::SealedPersonalDataReader> sealed_;
  std::unique_ptr<residents::AuditedPersonalDataReader> audited_;
  std::unique_ptr<RegistryElectorate> electorate_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<SqlVoteStore> vote_store;
  std::unique_ptr<SqlBudgetStore> budget_store;
  std::unique_ptr<VoteService> votes;
  std::unique_ptr<BudgetService> budget;
};

TEST(Scope, FollowsTheDivisionCode) {
  EXPECT_EQ(ScopeOfDivision("420114001205"), Scope::kVillage);
  EXPECT_EQ(ScopeOfDivision("420114001000"), Scope::kTownship);
  EXPECT_EQ(ScopeOfDivision("441900003000"), Scope::kTownship);  // a township of a city without counties
  EXPECT_EQ(ScopeOfDivision("420114000000"), std::nullopt);
  EXPECT_EQ(ScopeOfDivision("000114001000"), std::nullopt);
  EXPECT_EQ(ScopeOfDivision("42011400100"), std::nullopt);
  EXPECT_EQ(ScopeOfDivision("42011400100x"), std::nullopt);
  EXPECT_EQ(TownshipOfVillage("420114001205"), "420114001000");
  EXPECT_EQ(TownshipOfVillage("420114001000"), "");
  EXPECT_TRUE(ReachesVillage("420114001000", "420114001206"));
  EXPECT_TRUE(ReachesVillage("420114001205", "420114001205"));
  EXPECT_FALSE(ReachesVillage("420114001205", "420114001206"));
  EXPECT_FALSE(ReachesVillage("420114001000", "420114003202"));
  EXPECT_FALSE(ReachesVillage("420114001000", "420114001000"));
  EXPECT_FALSE(ReachesVillage("420114000000", "420114001205"));
}

TEST_F(TownshipTest, ElectorateIsEveryAdultOfTheTownshipsVillagesAndNobodyElse) {
  const std::vector<int64_t> a = AdultsOf(kVillageA), b = AdultsOf(kVillageB), other = AdultsOf(kOtherVillage);
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  ASSERT_FALSE(other.empty());
  Result<std::vector<Elector>> township =
      electorate_->Electorate(Official(), kTownship, ElectorateRule::kResidents18, residents::CivilDate{2026, 1, 1});
  ASSERT_TRUE(township.ok()) << township.status().ToString();
  std::set<int64_t> got;
  for (const Elector& e : *township) got.insert(e.resident_id);
  std::set<int64_t> want(a.begin(), a.end());
  want.insert(b.begin(), b.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.size(), township->size());  // one row per resident
  for (int64_t r : other) EXPECT_FALSE(got.contains(r)) << "resident " << r << " of another township";

  // Households: one unit per household of either village.
  Result<std::vector<Elector>> households =
      electorate_->Electorate(Official(), kTownship, ElectorateRule::kHouseholds, residents::CivilDate{2026, 1, 1});
  ASSERT_TRUE(households.ok());
  EXPECT_EQ(households->size(), township->size());
  std::set<int64_t> units;
  for (const Elector& e : *households) units.insert(e.unit_id);
  EXPECT_LT(units.size(), households->size());

  // Without a division tree a township electorate is refused, never guessed.
  RegistryElectorate no_tree(register_, *audited_);
  EXPECT_EQ(no_tree.Electorate(Official(), kTownship, ElectorateRule::kResidents18, residents::CivilDate{2026, 1, 1})
                .status()
                .slug(),
            problems::kBadVote);
}

TEST_F(TownshipTest, OnlyOfficialsOfTheTownshipManageItsRounds) {
  // Opening a round: a township official of the township; not a village cadre of one of its
  // villages, not an official of another township.
  EXPECT_EQ(budget->CreateRound(CadreA(), RoundInput{kTownship, "街道轮次", 1000, "greedy"}).status().slug(), problems::kNotAllowed);
  EXPECT_EQ(budget->CreateRound(OtherOfficial(), RoundInput{kTownship, "街道轮次", 1000, "greedy"}).status().slug(),
            problems::kNotAllowed);
  EXPECT_EQ(budget->CreateRound(Official(), RoundInput{"420114000000", "县级轮次", 1000, "greedy"}).status().slug(),
            problems::kBadRound);
  // A township official does not run a village's round.
  EXPECT_EQ(budget->CreateRound(Official(), RoundInput{kVillageA, "村级轮次", 1000, "greedy"}).status().slug(),
            problems::kNotAllowed);

  BudgetRound round = RoundWithProjects();
  EXPECT_EQ(round.scope(), Scope::kTownship);
  const int64_t b = AdultsOf(kVillageB).front(), other = AdultsOf(kOtherVillage).front();
  // A villager of another township proposes nothing here.
  EXPECT_EQ(budget->Propose(Villager(other, kOtherVillage), round.id, ProjectInput{"外镇项目", "", 1000}).status().slug(),
            problems::kNotAllowed);
  Result<BudgetProject> extra = budget->Propose(Villager(b, kVillageB), round.id, ProjectInput{"托管", "", 150000});
  ASSERT_TRUE(extra.ok()) << extra.status().ToString();
  EXPECT_EQ(budget->Review(CadreA(), extra->id, true, "").status().slug(), problems::kNotAllowed);
  EXPECT_EQ(budget->Review(OtherOfficial(), extra->id, true, "").status().slug(), problems::kNotAllowed);
  EXPECT_EQ(budget->DraftVote(CadreA(), round.id, BudgetVoteInput{"residents-18+", true, Now(), Now() + 3600'000}).status().slug(),
            problems::kNotAllowed);

  // The round is listed for its township and for each of its villages, not for other villages.
  auto listed = [&](const std::string& division) {
    Result<std::vector<BudgetRound>> rounds = budget->ListRounds(division);
    EXPECT_TRUE(rounds.ok());
    return rounds.ok() && std::any_of(rounds->begin(), rounds->end(), [&](const BudgetRound& r) { return r.id == round.id; });
  };
  EXPECT_TRUE(listed(kTownship));
  EXPECT_TRUE(listed(kVillageA));
  EXPECT_TRUE(listed(kVillageB));
  EXPECT_FALSE(listed(kOtherVillage));
  EXPECT_FALSE(listed(kOtherTownship));

  // Maker-checker between two officials of the township; village staff do not open it.
  Result<Vote> draft = budget->DraftVote(Official(), round.id, BudgetVoteInput{"residents-18+", true, Now(), Now() + 3600'000});
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(draft->village, kTownship);
  EXPECT_EQ(votes->Open(Official(), draft->id).status().slug(), problems::kOwnDraft);
  EXPECT_EQ(votes->Open(CadreA(), draft->id).status().slug(), problems::kNotAllowed);
  EXPECT_EQ(votes->Open(SupervisorA(), draft->id).status().slug(), problems::kNotAllowed);
  EXPECT_EQ(votes->Open(OtherOfficial(), draft->id).status().slug(), problems::kNotAllowed);
  ASSERT_TRUE(votes->Open(Official2(), draft->id).ok());

  // A township vote exists only as a township round's.
  DraftInput poll;
  poll.village = kTownship;
  poll.question = "街道投票";
  poll.options = {"是", "否"};
  poll.method = "single";
  poll.electorate = "residents-18+";
  poll.opens_at_ms = Now();
  poll.closes_at_ms = Now() + 3600'000;
  EXPECT_EQ(votes->Draft(Official(), poll).status().slug(), problems::kBadVote);
}

// The object-level target the routes hand to the gate: a township round reaches its villages.
TEST_F(TownshipTest, GateTargetsAdmitTheTownshipsVillagersAndHideItFromOtherTownships) {
  const int64_t a = AdultsOf(kVillageA).front(), other = AdultsOf(kOtherVillage).front();
  auto decide = [&](const access::Principal& who, std::string_view permission) {
    return access::Check(who, permission, VoteService::TargetFor(kTownship, who, permission));
  };
  EXPECT_EQ(decide(Villager(a, kVillageA), "votes.propose_project"), access::Decision::kAllow);
  EXPECT_EQ(decide(Villager(a, kVillageA), "votes.cast"), access::Decision::kAllow);
  EXPECT_EQ(decide(Official(), "votes.budget_manage"), access::Decision::kAllow);
  EXPECT_EQ(decide(Official(), "votes.open"), access::Decision::kAllow);
  // Another township: 404 (its existence is not revealed).
  EXPECT_EQ(decide(Villager(other, kOtherVillage), "votes.propose_project"), access::Decision::kNotFound);
  EXPECT_EQ(decide(Villager(other, kOtherVillage), "votes.cast"), access::Decision::kNotFound);
  EXPECT_EQ(decide(OtherOfficial(), "votes.budget_manage"), access::Decision::kNotFound);
  EXPECT_EQ(decide(OtherOfficial(), "votes.open"), access::Decision::kNotFound);
  // A cadre of one of its villages is inside: the gate admits to the village, the service refuses
  // (403), as the service test above shows.
  EXPECT_EQ(VoteService::TargetFor(kTownship, CadreA(), "votes.budget_manage").division, kVillageA);
  // A village round is its village, whoever asks.
  EXPECT_EQ(VoteService::TargetFor(kVillageA, OtherOfficial(), "votes.open").division, kVillageA);
}

TEST_F(TownshipTest, VillagersOfBothVillagesVoteOnceEachAndTheTallyIsLoggedAsTownship) {
  Vote vote = OpenTownshipVote();
  ASSERT_NE(vote.id, 0);
  const std::vector<int64_t> a = AdultsOf(kVillageA), b = AdultsOf(kVillageB), other = AdultsOf(kOtherVillage);
  EXPECT_EQ(vote.electorate_size, static_cast<int64_t>(a.size() + b.size()));
  EXPECT_NE(vote.rules_entry.find("\"format\":\"gongzhi-vote-rules/3\""), std::string::npos) << vote.rules_entry;
  EXPECT_NE(vote.rules_entry.find("\"scope\":\"township\""), std::string::npos);
  EXPECT_NE(vote.rules_entry.find("\"township\":\"420114001000\""), std::string::npos);
  EXPECT_EQ(vote.rules_entry.find("\"village\""), std::string::npos);

  // One ballot per voter under concurrency: 50 casts of one villager of village B on 8 threads.
  std::atomic<int> ok{0}, already{0}, other_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 7; ++i) {
        if (ok + already + other_errors >= 50) return;
        Status s = votes->Cast(Villager(b.front(), kVillageB), vote.id, Choice{1, 2});
        if (s.ok()) ++ok;
        else if (s.slug() == problems::kAlreadyVoted) ++already;
        else ++other_errors;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_GE(ok + already, 50);

  // Villagers of village A vote too; a villager of another township is not on the electorate.
  for (size_t i = 0; i < 3 && i < a.size(); ++i) EXPECT_TRUE(votes->Cast(Villager(a[i], kVillageA), vote.id, Choice{0}).ok());
  EXPECT_EQ(votes->Cast(Villager(other.front(), kOtherVillage), vote.id, Choice{0}).slug(), problems::kNotEligible);
  Result<BallotStatus> mine = votes->StatusOf(Villager(b.front(), kVillageB), vote.id);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->eligible);
  EXPECT_TRUE(mine->voted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_participation WHERE vote_id = $1", {vote.id}), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_ballots WHERE vote_id = $1", {vote.id}), 4);

  // Closing: village staff inside the township do not close a township vote; its officials do.
  clock.Advance(std::chrono::hours(2));
  EXPECT_EQ(votes->Close(CadreA(), vote.id).status().slug(), problems::kNotAllowed);
  Result<Vote> closed = votes->Close(Official(), vote.id);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_NE(closed->tally_entry.find("\"format\":\"gongzhi-vote-tally/3\""), std::string::npos) << closed->tally_entry;
  EXPECT_NE(closed->tally_entry.find("\"scope\":\"township\",\"township\":\"420114001000\""), std::string::npos);
  EXPECT_NE(closed->tally_entry.find("\"ballots\":4"), std::string::npos);
  // Both entries went to the log under the township's code.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM test_log WHERE village = $1", {std::string(kTownship)}), 2);

  Result<Results> results = votes->ResultsOf(vote.id);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results->recount_matches);
  ASSERT_TRUE(results->tally && results->tally->budget);
  EXPECT_EQ(results->tally->counts, (std::vector<int64_t>{3, 1, 1}));

  // The pabulib export of a township vote reads back and recomputes the published outcome.
  Result<std::string> pb_text = votes->ExportPabulib(vote.id);
  ASSERT_TRUE(pb_text.ok());
  Result<pb::Instance> instance = pb::ParsePabulib(*pb_text);
  ASSERT_TRUE(instance.ok()) << instance.status().ToString();
  EXPECT_EQ(instance->ballots.size(), 4u);
  std::optional<pb::NamedRule> rule = pb::RuleFromMeta(instance->Meta("rule"));
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(pb::Tally(*instance, rule->rule, rule->completion).selected, results->tally->budget->Chosen(vote.budget_rule).selected);
  EXPECT_EQ(pb_text->find(std::to_string(b.front())), std::string::npos);

  // Sharding: every large row carries the county code of the vote.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_electorate WHERE vote_id = $1 AND county_code = '420114'", {vote.id}),
            vote.electorate_size);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_participation WHERE vote_id = $1 AND county_code = '420114'", {vote.id}), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_ballots WHERE vote_id = $1 AND county_code = '420114'", {vote.id}), 4);
}

TEST_F(TownshipTest, TheStoreRefusesAScopeThatContradictsTheCodeAndAWrongCounty) {
  // A round claiming to be township-wide with a village code, and the reverse.
  for (const auto& [code, scope] : std::vector<std::pair<std::string, std::string>>{
           {kVillageA, "township"}, {kTownship, "village"}, {"420114000000", "township"}}) {
    Status s = db_->Write([&](storage::Tx& tx) -> Status {
      return tx.Exec("INSERT INTO votes_budget_rounds (id, village_code, title, budget, rule, created_by, created_at_ms, scope) "
                     "VALUES (9, $1, '错误轮次', 100, 'greedy', 1, 1, $2)",
                     {code, scope})
          .status();
    });
    EXPECT_FALSE(s.ok()) << code << " " << scope;
  }
  // Electorate rows must name the county of their vote.
  Vote vote = OpenTownshipVote();
  Status wrong = db_->Write([&](storage::Tx& tx) -> Status {
    return tx.Exec("INSERT INTO votes_electorate (vote_id, resident_id, unit_id, county_code) VALUES ($1, 999999, 999999, '420115')",
                   {vote.id})
        .status();
  });
  EXPECT_FALSE(wrong.ok());
  Status missing = db_->Write([&](storage::Tx& tx) -> Status {
    return tx.Exec("INSERT INTO votes_electorate (vote_id, resident_id, unit_id) VALUES ($1, 999998, 999998)", {vote.id}).status();
  });
  EXPECT_FALSE(missing.ok());
}

// votes/3 on a store that already holds votes: the county code is filled in, and the rows stay
// append-only afterwards (the triggers dropped for the backfill are back).
TEST(TownshipMigration, FillsTheCountyOfRowsAlreadyThereAndKeepsThemAppendOnly) {
  ASSERT_TRUE(crypto::Initialize().ok());
  auto db = storage::OpenTemporaryStoreForTest();
  ASSERT_TRUE(db.ok());
  FakeClock clock{WallTime(std::chrono::milliseconds(1767225600000))};
  std::vector<storage::Migration> before;
  for (const auto& m : audit::AuditMigrations()) before.push_back(m);
  for (const auto& m : VoteMigrations())
    if (m.version < 3) before.push_back(m);
  ASSERT_TRUE(storage::ApplyMigrations(**db, before, clock).ok());
  ASSERT_TRUE((*db)->Write([](storage::Tx& tx) -> Status {
                   GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes (id, village_code, question, options, method, electorate_rule, "
                                              "secret, channel, opens_at_ms, closes_at_ms, state, drafted_by, drafted_at_ms) "
                                              "VALUES (7, '420114001205', '旧的表决', 'a\nb', 'single', 'residents-18+', 1, "
                                              "'online', 1, 2, 'draft', 1, 1)")
                                          .status());
                   GZ_RETURN_IF_ERROR(
                       tx.Exec("INSERT INTO votes_electorate (vote_id, resident_id, unit_id) VALUES (7, 11, 11), (7, 12, 12)").status());
                   GZ_RETURN_IF_ERROR(tx.Exec("INSERT INTO votes_participation (vote_id, unit_id, cast_by, consent_id, cast_at_ms) "
                                              "VALUES (7, 11, 5, 0, 1)")
                                          .status());
                   return tx.Exec("INSERT INTO votes_ballots (vote_id, ballot_id, choice) VALUES (7, '0123456789abcdef0123456789abcdef', '[0]')")
                       .status();
                 }).ok());
  std::vector<storage::Migration> all;
  for (const auto& m : audit::AuditMigrations()) all.push_back(m);
  for (const auto& m : VoteMigrations()) all.push_back(m);
  ASSERT_TRUE(storage::ApplyMigrations(**db, all, clock).ok());
  for (const std::string table : {"votes_electorate", "votes_participation", "votes_ballots"}) {
    int64_t filled = -1, total = -1;
    ASSERT_TRUE((*db)->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                                         tx.Query("SELECT COUNT(*), SUM(CASE WHEN county_code = '420114' THEN 1 ELSE 0 END) FROM " + table));
                     total = rs.rows[0].Int(0);
                     filled = rs.rows[0].Int(1);
                     return Status::Ok();
                   }).ok());
    EXPECT_GT(total, 0) << table;
    EXPECT_EQ(filled, total) << table;
    EXPECT_FALSE((*db)->Write([&](storage::Tx& tx) { return tx.Exec("UPDATE " + table + " SET county_code = '420115'").status(); }).ok())
        << table << " must stay append-only";
    EXPECT_FALSE((*db)->Write([&](storage::Tx& tx) { return tx.Exec("DELETE FROM " + table).status(); }).ok())
        << table << " must stay append-only";
  }
}

TEST(Entries, TownshipEntriesAreFormatThreeWithScopeAndTownship) {
  Vote v;
  v.id = 44;
  v.village = "420114001000";
  v.question = "2027年度街道级民生项目";
  v.options = {"连接路", "渡口"};
  v.method = Method::kBudget;
  v.budget = 100;
  v.costs = {60, 40};
  v.budget_rule = BudgetRule::kGreedy;
  v.opens_at_ms = 1767225600000;
  v.closes_at_ms = 1767312000000;
  v.opened_at_ms = 1767225000000;
  v.electorate_as_of = "2026-01-01";
  v.electorate_size = 20;
  v.rules_entry = RulesEntry(v);
  EXPECT_EQ(v.rules_entry,
            "{\"budget\":100,\"budget_rule\":\"greedy\",\"channel\":\"online\",\"closes_at_ms\":1767312000000,"
            "\"costs\":[60,40],\"currency\":\"CNY\",\"electorate\":{\"as_of\":\"2026-01-01\",\"rule\":\"residents-18+\","
            "\"size\":20},\"format\":\"gongzhi-vote-rules/3\",\"method\":\"budget\",\"opened_at_ms\":1767225000000,"
            "\"opens_at_ms\":1767225600000,\"options\":[\"连接路\",\"渡口\"],\"question\":\"2027年度街道级民生项目\","
            "\"scope\":\"township\",\"secret\":true,\"tie_break\":\"more-approvals-then-cheaper-then-listed-first\","
            "\"township\":\"420114001000\",\"vote\":\"44\"}");
  // The same vote in a village keeps format /2 and names the village.
  Vote village = v;
  village.village = "420114001205";
  const std::string rules2 = RulesEntry(village);
  EXPECT_NE(rules2.find("\"format\":\"gongzhi-vote-rules/2\""), std::string::npos);
  EXPECT_NE(rules2.find("\"village\":\"420114001205\""), std::string::npos);
  EXPECT_EQ(rules2.find("\"scope\""), std::string::npos);
  EXPECT_EQ(rules2.find("\"township\""), std::string::npos);
}

}  // namespace
}  // namespace gz::votes
