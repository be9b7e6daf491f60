// The service on a temporary SQLite store with the real audit trail and a test log: a table
// `test_log` written through the LogAppend callable in the opening and closing transactions, so
// "open / closed if and only if logged", one ballot per elector under concurrency and the frozen
// rules are checked against the real database.
#include "modules/votes/vote_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "crypto/crypto.h"
#include "crypto/secrets.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/votes/problems.h"
#include "modules/votes/sql/sql_vote_store.h"
#include "modules/votes/sql/vote_migrations.h"
#include "storage/backends_for_test.h"
#include "storage/migrate.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/testing.h"

namespace gz::votes {
namespace {

using access::Role;
using namespace std::chrono_literals;

constexpr char kVillage[] = "420114001205";
constexpr int64_t kCadre = 301, kCadre2 = 302, kSupervisor = 351, kTownship = 401, kHelper = 501;
// Residents 1001..1005 are adults of the electorate: 1001-1002 one household (2001), 1003 (2002),
// 1004 (2003), 1005 (2004). 1006 lives in the village but is not on it (a minor).
constexpr int64_t kOutsider = 1006;

class FixedElectorate final : public ElectorateSource {
 public:
  Result<std::vector<Elector>> Electorate(const access::Principal&, const std::string&, ElectorateRule rule,
                                          const residents::CivilDate& as_of) override {
    last_as_of = as_of;
    const int64_t households[] = {2001, 2001, 2002, 2003, 2004};
    std::vector<Elector> out;
    for (int i = 0; i < 5; ++i)
      out.push_back(Elector{1001 + i, rule == ElectorateRule::kHouseholds ? households[i] : 1001 + i});
    return out;
  }
  residents::CivilDate last_as_of;
};

class VoteServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto db = storage::OpenTemporaryStoreForTest();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : VoteMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock).ok());
    ASSERT_TRUE(db_->Write([](storage::Tx& tx) {
                     return tx.ExecScript("CREATE TABLE test_log (idx INTEGER PRIMARY KEY, village TEXT, entry BLOB)");
                   }).ok());
    store = std::make_unique<SqlVoteStore>(
        *db_, [this](storage::Tx& tx, std::string_view village, std::string_view entry) -> Result<std::uint64_t> {
          if (fail_log) return Unavailable("tlog/test-failure");
          GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                              tx.Query("INSERT INTO test_log (idx, village, entry) VALUES "
                                       "((SELECT COUNT(*) FROM test_log), $1, $2) RETURNING idx",
                                       {std::string(village), storage::Blob{std::string(entry)}}));
          return static_cast<std::uint64_t>(rs.rows[0].Int(0));
        });
    service = std::make_unique<VoteService>(*store, electorate, clock);
  }

  access::Principal Staff(int64_t account) {
    access::Principal p;
    p.self.account_id = account;
    Role role = account == kSupervisor ? Role::kSupervisor : account == kTownship ? Role::kTownshipOfficial : Role::kVillageCadre;
    p.self.grants.push_back(access::Grant{0, role, account == kTownship ? "420114001000" : kVillage});
    return p;
  }
  access::Principal Villager(int64_t resident, int64_t household = 0) {
    access::Principal p;
    p.self.account_id = resident + 100000;
    p.self.resident_id = resident;
    p.self.household_id = household;
    p.self.village = kVillage;
    p.self.grants.push_back(access::Grant{0, Role::kVillager, kVillage});
    return p;
  }

  int64_t Now() const { return service->NowMs(); }

  DraftInput Input(std::string method = "single", bool secret = true, std::string channel = "online",
                   std::string rule = "residents-18+") {
    DraftInput in;
    in.village = kVillage;
    in.question = "是否同意硬化三组村道？";
    in.options = {"同意", "不同意", "弃权"};
    in.method = std::move(method);
    in.electorate = std::move(rule);
    in.secret = secret;
    in.channel = std::move(channel);
    in.opens_at_ms = Now();
    in.closes_at_ms = Now() + 3600'000;
    return in;
  }

  Vote OpenVote(const DraftInput& in) {
    Result<Vote> d = service->Draft(Staff(kCadre), in);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    Result<Vote> o = service->Open(Staff(kSupervisor), d->id);
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : Vote{};
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql));
                     n = rs.rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }
  std::vector<std::string> LogEntries() {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT entry FROM test_log ORDER BY idx"));
                     for (const auto& r : rs.rows) out.push_back(r.Text(0));
                     return Status::Ok();
                   }).ok());
    return out;
  }

  FakeClock clock{WallTime(std::chrono::milliseconds(1767225600000))};
  std::unique_ptr<storage::Db> db_;
  FixedElectorate electorate;
  std::unique_ptr<SqlVoteStore> store;
  std::unique_ptr<VoteService> service;
  bool fail_log = false;
};

TEST_F(VoteServiceTest, FullFlowPublishesRulesBeforeAndTallyAfter) {
  Result<Vote> d = service->Draft(Staff(kCadre), Input());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(service->Draft(Villager(1001), Input()).status().slug(), problems::kNotAllowed);
  // Not the drafter; not before it is open.
  EXPECT_EQ(service->Open(Staff(kCadre), d->id).status().slug(), problems::kOwnDraft);
  EXPECT_EQ(service->Cast(Villager(1001), d->id, {0}).slug(), problems::kNotOpen);
  EXPECT_TRUE(LogEntries().empty());

  Result<Vote> v = service->Open(Staff(kCadre2), d->id);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->electorate_size, 5);
  EXPECT_EQ(v->electorate_as_of, "2026-01-01");
  ASSERT_EQ(LogEntries().size(), 1u);
  EXPECT_EQ(LogEntries()[0], v->rules_entry);
  EXPECT_NE(v->rules_entry.find("\"format\":\"gongzhi-vote-rules/1\""), std::string::npos);
  EXPECT_EQ(service->Open(Staff(kSupervisor), d->id).status().slug(), problems::kNotADraft);

  ASSERT_TRUE(service->Cast(Villager(1001), v->id, {0}).ok());
  ASSERT_TRUE(service->Cast(Villager(1003), v->id, {0}).ok());
  ASSERT_TRUE(service->Cast(Villager(1004), v->id, {1}).ok());
  EXPECT_EQ(service->Cast(Villager(1001), v->id, {1}).slug(), problems::kAlreadyVoted);
  EXPECT_EQ(service->Cast(Villager(kOutsider), v->id, {1}).slug(), problems::kNotEligible);
  EXPECT_EQ(service->Cast(Villager(1005), v->id, {0, 1}).slug(), problems::kBadBallot);
  Result<BallotStatus> mine = service->StatusOf(Villager(1001), v->id);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->eligible && mine->voted);
  EXPECT_FALSE(service->StatusOf(Villager(1005), v->id)->voted);

  // Not before the closing time, by staff or by a read.
  EXPECT_EQ(service->Close(Staff(kTownship), v->id).status().slug(), problems::kTooEarly);
  EXPECT_EQ(service->CloseIfDue(v->id)->state, State::kOpen);
  clock.Advance(3600s);
  EXPECT_EQ(service->Cast(Villager(1005), v->id, {0}).slug(), problems::kNotOpen);
  Result<Vote> closed = service->Close(Staff(kTownship), v->id);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  ASSERT_EQ(LogEntries().size(), 2u);
  EXPECT_EQ(LogEntries()[1], closed->tally_entry);
  EXPECT_NE(closed->tally_entry.find("\"ballots\":3"), std::string::npos);
  EXPECT_NE(closed->tally_entry.find("\"counts\":[2,1,0]"), std::string::npos);
  EXPECT_NE(closed->tally_entry.find("\"electorate_size\":5"), std::string::npos);
  EXPECT_NE(closed->tally_entry.find("\"rules_sha256\":\"" + crypto::Sha256Hex(v->rules_entry) + "\""), std::string::npos);

  // Recomputed from the stored ballots, the tally equals the published one.
  Result<Results> r = service->ResultsOf(v->id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->recount_matches);
  EXPECT_EQ(r->participants, 3);
  EXPECT_EQ(r->tally->winners, (std::vector<int>{0}));
  EXPECT_EQ(service->Close(Staff(kTownship), v->id).status().slug(), problems::kNotOpen);
  EXPECT_EQ(LogEntries().size(), 2u);
}

TEST_F(VoteServiceTest, RulesAreFrozenInTheDatabase) {
  Vote v = OpenVote(Input());
  for (const char* sql : {"UPDATE votes SET question = 'x?' WHERE id = $1", "UPDATE votes SET closes_at_ms = closes_at_ms + 1 WHERE id = $1",
                          "UPDATE votes SET state = 'draft' WHERE id = $1", "DELETE FROM votes WHERE id = $1",
                          "DELETE FROM votes_electorate WHERE vote_id = $1"}) {
    Status s = db_->Write([&](storage::Tx& tx) { return tx.Exec(sql, {v.id}).status(); });
    EXPECT_FALSE(s.ok()) << sql;
  }
  // A draft's rules cannot be edited either: they are what the opener checked.
  Result<Vote> d = service->Draft(Staff(kCadre), Input());
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(db_->Write([&](storage::Tx& tx) {
                    return tx.Exec("UPDATE votes SET options = 'a\nb' WHERE id = $1", {d->id}).status();
                  }).ok());
}

TEST_F(VoteServiceTest, AFailedLogAppendOpensNothing) {
  Result<Vote> d = service->Draft(Staff(kCadre), Input());
  ASSERT_TRUE(d.ok());
  fail_log = true;
  EXPECT_FALSE(service->Open(Staff(kSupervisor), d->id).ok());
  EXPECT_EQ(service->Get(d->id)->state, State::kDraft);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_electorate"), 0);
  fail_log = false;
  EXPECT_TRUE(service->Open(Staff(kSupervisor), d->id).ok());
}

// 50 ballots of one voter at once, on 8 threads, through the service and the real SQLite store:
// exactly one is counted, the others answer votes/already-voted.
TEST_F(VoteServiceTest, FiftyParallelBallotsOfOneVoterCountOnce) {
  Vote v = OpenVote(Input());
  std::atomic<int> next{0}, ok{0}, already{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      while (next.fetch_add(1) < 50) {
        Status s = service->Cast(Villager(1003), v.id, {next.load() % 3});
        if (s.ok()) ++ok;
        else if (s.slug() == problems::kAlreadyVoted) ++already;
        else ++other;
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(already.load(), 49);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_participation"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_ballots"), 1);
}

TEST_F(VoteServiceTest, OneBallotPerHouseholdUnderThatRule) {
  Vote v = OpenVote(Input("single", true, "online", "households"));
  EXPECT_EQ(v.electorate_size, 4);
  ASSERT_TRUE(service->Cast(Villager(1002), v.id, {1}).ok());
  EXPECT_EQ(service->Cast(Villager(1001), v.id, {0}).slug(), problems::kAlreadyVoted);
  EXPECT_TRUE(service->StatusOf(Villager(1001), v.id)->voted);
}

TEST_F(VoteServiceTest, SecretBallotsCarryNoVoterNoTimeNamedOnesDo) {
  Vote secret = OpenVote(Input("approval", true));
  Vote named = OpenVote(Input("approval", false));
  ASSERT_TRUE(service->Cast(Villager(1001), secret.id, {0, 2}).ok());
  ASSERT_TRUE(service->Cast(Villager(1001), named.id, {0, 2}).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_ballots WHERE vote_id = " + std::to_string(secret.id) +
                  " AND unit_id IS NULL AND cast_at_ms IS NULL"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_ballots WHERE vote_id = " + std::to_string(named.id) +
                  " AND unit_id = 1001 AND cast_at_ms IS NOT NULL"),
            1);
  // The tables share no column a join could use but the vote: no rowid on either.
  EXPECT_FALSE(db_->Read([](storage::Tx& tx) { return tx.Query("SELECT rowid FROM votes_ballots").status(); }).ok());
  EXPECT_FALSE(db_->Read([](storage::Tx& tx) { return tx.Query("SELECT rowid FROM votes_participation").status(); }).ok());
  // The audit record of a cast says who, never what.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'votes.cast'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'votes.cast' AND details <> ''"), 0);
}

TEST_F(VoteServiceTest, AHelperCastsForAVillagerUnderConsent) {
  Vote v = OpenVote(Input());
  access::Principal helper;
  helper.self.account_id = kHelper;
  helper.self.grants.push_back(access::Grant{0, Role::kHelper, kVillage});
  helper.acting_for = access::ActingFor{77, Villager(1004).self, {"votes.cast"}};
  ASSERT_TRUE(service->Cast(helper, v.id, {2}).ok());
  Result<BallotStatus> s = service->StatusOf(Villager(1004), v.id);
  EXPECT_TRUE(s->voted && s->cast_by_helper);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM votes_participation WHERE cast_by = 501 AND consent_id = 77"), 1);
  // A helper without a villager to act for is nobody on the electorate.
  access::Principal alone = helper;
  alone.acting_for.reset();
  EXPECT_EQ(service->Cast(alone, v.id, {2}).slug(), problems::kNotEligible);
}

TEST_F(VoteServiceTest, ClosingOnReadHappensExactlyOnce) {
  Vote v = OpenVote(Input("ranked"));
  ASSERT_TRUE(service->Cast(Villager(1001), v.id, {0}).ok());
  ASSERT_TRUE(service->Cast(Villager(1003), v.id, {1}).ok());
  ASSERT_TRUE(service->Cast(Villager(1004), v.id, {1, 0}).ok());
  ASSERT_TRUE(service->Cast(Villager(1005), v.id, {2, 1}).ok());
  clock.Advance(2h);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      Result<Vote> r = service->CloseIfDue(v.id);
      if (!r.ok() || r->state != State::kClosed) ++failures;
    });
  for (std::thread& t : threads) t.join();
  // Every caller gets the closed vote, also those that lost the race (VoteService::CloseIfDue).
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(LogEntries().size(), 2u);  // the rules and ONE tally
  Result<Results> r = service->ResultsOf(v.id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->recount_matches);
  EXPECT_EQ(r->vote.closed_by, 0);
  // A 1, B 2, C 1 of 4: no majority; A and C tie for fewest with one first preference each, so C
  // (listed last) goes and its ballot moves to B: B 3 of 4.
  ASSERT_EQ(r->tally->rounds.size(), 2u);
  EXPECT_EQ(r->tally->rounds[0].eliminated, 2);
  EXPECT_EQ(r->tally->winners, (std::vector<int>{1}));
}

TEST_F(VoteServiceTest, PaperCountsOfTwoClerksMustAgree) {
  Vote v = OpenVote(Input("single", true, "paper"));
  EXPECT_EQ(service->Cast(Villager(1001), v.id, {0}).slug(), problems::kNotOpen);
  PaperCount c{0, 4, 1, {2, 1, 0}, 0};
  EXPECT_EQ(service->EnterPaperCount(Staff(kCadre), v.id, c).status().slug(), problems::kTooEarly);
  clock.Advance(3600s);
  ASSERT_TRUE(service->EnterPaperCount(Staff(kCadre), v.id, c).ok());
  EXPECT_EQ(service->Close(Staff(kCadre), v.id).status().slug(), problems::kCountsDiffer);
  Result<PaperStatus> s = service->EnterPaperCount(Staff(kSupervisor), v.id, PaperCount{0, 4, 1, {1, 2, 0}, 0});
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->agreed);
  EXPECT_EQ(s->differences, (std::vector<std::string>{"options[0]", "options[1]"}));
  EXPECT_EQ(service->Close(Staff(kCadre), v.id).status().slug(), problems::kCountsDiffer);
  EXPECT_EQ(service->CloseIfDue(v.id)->state, State::kOpen);
  // A third clerk cannot outvote the two.
  EXPECT_EQ(service->EnterPaperCount(Staff(kCadre2), v.id, c).status().slug(), problems::kCountsDiffer);
  // The supervisor recounts and enters again: now they agree, and the tally is published.
  s = service->EnterPaperCount(Staff(kSupervisor), v.id, c);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->agreed);
  Result<Vote> closed = service->Close(Staff(kCadre), v.id);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_NE(closed->tally_entry.find("\"ballots\":4,\"blank\":1,\"channel\":\"paper\""), std::string::npos);
  EXPECT_TRUE(service->ResultsOf(v.id)->recount_matches);
  // Closed: the counts are frozen too.
  EXPECT_EQ(service->EnterPaperCount(Staff(kSupervisor), v.id, c).status().slug(), problems::kNotOpen);
  EXPECT_FALSE(db_->Write([&](storage::Tx& tx) {
                    return tx.Exec("UPDATE votes_paper_counts SET ballots = 5 WHERE vote_id = $1", {v.id}).status();
                  }).ok());
}

}  // namespace
}  // namespace gz::votes
