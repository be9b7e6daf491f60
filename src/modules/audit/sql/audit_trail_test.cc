// The AuditTrail service on the SQL store and a real SQLite file: search filters, narrowing by
// scope, the villager's two views, its own use audited (fail closed), and Verify detecting
// every kind of tampering (T-INTEG), done with raw SQL after dropping the append-only triggers.
#include "modules/audit/audit_trail.h"

#include <gtest/gtest.h>

#include "modules/audit/problems.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/audit/sql/sql_audit_store.h"
#include "storage/sqlite/testing.h"

namespace gz::audit {
namespace {

using namespace std::chrono_literals;

class FailingSink final : public access::AuditSink {
 public:
  Status Append(const access::AuditEvent&) override { return Unavailable("audit/unavailable", "test"); }
};

access::AuditEvent Ev(std::string action, std::string division, int64_t actor = 7) {
  access::AuditEvent e;
  e.action = std::move(action);
  e.division = std::move(division);
  e.actor_account = actor;
  e.roles = "village_cadre@420114001205";
  return e;
}

std::vector<int64_t> Seqs(const AuditPage& page) {
  std::vector<int64_t> out;
  for (const auto& r : page.items) out.push_back(r.seq);
  return out;
}

std::unique_ptr<storage::Db> MigratedDb() {
  auto db = storage::sqlite::OpenTemporarySqliteForTest();
  if (!db.ok()) return nullptr;
  FakeClock clock;
  if (!storage::ApplyMigrations(**db, AuditMigrations(), clock).ok()) return nullptr;
  return std::move(db).value();
}

class AuditTrailTest : public ::testing::Test {
 protected:
  AuditTrailTest() : db_(MigratedDb()), sink_(*db_, clock_), store_(*db_), trail_(store_, sink_) {}

  void Add(access::AuditEvent e) {
    ASSERT_TRUE(sink_.Append(e).ok());
    clock_.Advance(1s);
  }

  void Raw(const std::string& sql) {
    Status s = db_->Write([&](storage::Tx& tx) { return tx.ExecScript(sql); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void DropTriggers() { Raw("DROP TRIGGER audit_records_no_update; DROP TRIGGER audit_records_no_delete;"); }

  static AuditFilter Within(std::vector<std::string> scopes) {
    AuditFilter f;
    f.scopes = std::move(scopes);
    return f;
  }

  // 1 own village, 2 sibling village, 3 other township, 4 no division, 5 another county.
  void SeedPlaces() {
    Add(Ev("residents.reveal", "420114001205"));
    Add(Ev("residents.update", "420114001206", 8));
    Add(Ev("households.create", "420114100201"));
    Add(Ev("auth.sign_in", ""));
    Add(Ev("residents.reveal", "420115001001"));
  }

  static access::AuditEvent Usage(std::string action) {
    access::AuditEvent e;
    e.action = std::move(action);
    e.actor_account = 9;
    e.roles = "auditor@420114000000";
    return e;
  }

  std::vector<int64_t> Search(AuditFilter f) {
    auto page = trail_.Search(f, Usage("audit.search"));
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Seqs(*page) : std::vector<int64_t>{};
  }

  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
  SqlAuditSink sink_;
  SqlAuditStore store_;
  AuditTrail trail_;
};

TEST_F(AuditTrailTest, CountyAuditorSeesTheCountyAndUnplacedRecords) {
  SeedPlaces();
  EXPECT_EQ(Search(Within({"420114000000"})), (std::vector<int64_t>{4, 3, 2, 1}));
}

TEST_F(AuditTrailTest, TownshipAndVillageScopesSeeTheirSubtreeOnly) {
  SeedPlaces();
  EXPECT_EQ(Search(Within({"420114001000"})), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(Search(Within({"420114001205"})), (std::vector<int64_t>{1}));
  EXPECT_EQ(Search(Within({"420114001205", "420114100000"})), (std::vector<int64_t>{3, 1}));
  EXPECT_TRUE(Search(Within({})).empty());
  EXPECT_TRUE(Search(Within({"not-a-code"})).empty());
}

TEST_F(AuditTrailTest, DivisionFilterIsIntersectedWithTheReach) {
  SeedPlaces();
  AuditFilter f = Within({"420114000000"});
  f.division = "420114001206";
  EXPECT_EQ(Search(f), (std::vector<int64_t>{2}));
  f = Within({"420114001000"});
  f.division = "420114";  // wider than the reach: the reach bounds it, no unplaced records
  EXPECT_EQ(Search(f), (std::vector<int64_t>{2, 1}));
  f = Within({"420114001000"});
  f.division = "420115";  // outside the reach: nothing, and nothing said about it
  EXPECT_TRUE(Search(f).empty());
}

TEST_F(AuditTrailTest, FiltersCombine) {
  SeedPlaces();
  AuditFilter f = Within({"420114000000"});
  f.action_prefix = "residents.";
  EXPECT_EQ(Search(f), (std::vector<int64_t>{2, 1}));
  f.actor_account = 8;
  EXPECT_EQ(Search(f), (std::vector<int64_t>{2}));
  f = Within({"420114000000"});
  f.action_prefix = "residents_";  // '_' is literal, not a LIKE wildcard
  EXPECT_TRUE(Search(f).empty());
  f = Within({"420114000000"});
  const int64_t start = NowMs(clock_) - 5000;  // SeedPlaces advanced 5 s
  f.from_ms = start + 1000;
  f.to_ms = start + 3000;
  EXPECT_EQ(Search(f), (std::vector<int64_t>{3, 2}));
  f = Within({"420114000000"});
  f.outcome = "denied";
  EXPECT_TRUE(Search(f).empty());
}

TEST_F(AuditTrailTest, BadFiltersAreRefused) {
  std::vector<std::pair<std::function<void(AuditFilter&)>, std::string>> cases = {
      {[](AuditFilter& f) { f.limit = 0; }, "limit"},
      {[](AuditFilter& f) { f.limit = kMaxPageLimit + 1; }, "limit"},
      {[](AuditFilter& f) { f.action_prefix = "Residents"; }, "action"},
      {[](AuditFilter& f) { f.outcome = "maybe"; }, "outcome"},
      {[](AuditFilter& f) { f.division = "42011x"; }, "division"},
      {[](AuditFilter& f) { f.from_ms = 10, f.to_ms = 5; }, "to_ms"},
  };
  for (auto& [edit, field] : cases) {
    AuditFilter f = Within({"420114000000"});
    edit(f);
    auto page = trail_.Search(f, Usage("audit.search"));
    ASSERT_FALSE(page.ok()) << field;
    EXPECT_EQ(page.status().slug(), problems::kBadFilter);
    EXPECT_EQ(page.status().Arg("field"), field);
  }
}

TEST_F(AuditTrailTest, PagesByCursorWithoutOverlap) {
  for (int i = 0; i < 7; ++i) Add(Ev("residents.update", "420114001205"));
  AuditFilter f = Within({"420114001205"});
  f.limit = 3;
  auto p1 = trail_.Search(f, Usage("audit.search"));
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(Seqs(*p1), (std::vector<int64_t>{7, 6, 5}));
  f.before_seq = p1->next_before_seq;
  auto p2 = trail_.Search(f, Usage("audit.search"));
  EXPECT_EQ(Seqs(*p2), (std::vector<int64_t>{4, 3, 2}));
  f.before_seq = p2->next_before_seq;
  auto p3 = trail_.Search(f, Usage("audit.search"));
  EXPECT_EQ(Seqs(*p3), (std::vector<int64_t>{1}));
  EXPECT_EQ(p3->next_before_seq, 0);
}

TEST_F(AuditTrailTest, SearchIsItselfAuditedAndFailsClosed) {
  SeedPlaces();
  AuditFilter f = Within({"420114000000"});
  f.action_prefix = "residents.";
  ASSERT_TRUE(trail_.Search(f, Usage("audit.search")).ok());
  auto last = store_.ChainAfter(5, 10);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(last->at(0).event.action, "audit.search");
  EXPECT_EQ(last->at(0).event.object_type, "audit_trail");
  EXPECT_EQ(last->at(0).event.details, R"({"action":"residents.","results":2})");

  FailingSink failing;
  AuditTrail closed(store_, failing);
  auto page = closed.Search(f, Usage("audit.search"));
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().slug(), problems::kUnavailable);
  auto exported = closed.Export(f, 10, [](const AuditRecord&) { return Status::Ok(); }, Usage("audit.export"));
  EXPECT_EQ(exported.status().slug(), problems::kUnavailable);
}

TEST_F(AuditTrailTest, ExportStopsAtItsCapAndSaysWhereToContinue) {
  for (int i = 0; i < 25; ++i) Add(Ev("residents.update", "420114001205"));
  std::vector<int64_t> seen;
  auto collect = [&](const AuditRecord& r) {
    seen.push_back(r.seq);
    return Status::Ok();
  };
  auto first = trail_.Export(Within({"420114001205"}), 10, collect, Usage("audit.export"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->rows, 10);
  EXPECT_EQ(seen.front(), 25);
  EXPECT_EQ(seen.back(), 16);
  AuditFilter next = Within({"420114001205"});
  next.before_seq = first->next_before_seq;
  seen.clear();
  auto rest = trail_.Export(next, 100, collect, Usage("audit.export"));
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->rows, 15);
  EXPECT_EQ(rest->next_before_seq, 0);
  EXPECT_EQ(seen.front(), 15);
  EXPECT_EQ(seen.back(), 1);
}

TEST_F(AuditTrailTest, ReadsOfResidentAreTheRevealsAndPersonalReadsAboutThatPerson) {
  auto read = [](std::string action, std::string id, std::string outcome = "ok") {
    access::AuditEvent e = Ev(std::move(action), "420114001205");
    e.object_type = "resident";
    e.object_id = std::move(id);
    e.outcome = std::move(outcome);
    e.purpose = "核对";
    return e;
  };
  Add(read("residents.reveal", "42"));              // 1 yes
  Add(read("residents.reveal", "43"));              // 2 another person
  Add(read("residents.update", "42"));              // 3 a change, not a read
  Add(read("privacy.read_personal", "42"));         // 4 yes
  Add(read("residents.reveal", "42", "denied"));    // 5 refused: nothing was read
  Add(read("residents.revealx", "42"));             // 6 not the suffix
  access::AuditEvent hh = read("households.read_personal", "42");
  hh.object_type = "household";
  Add(hh);                                          // 7 another object type
  auto page = trail_.ReadsOfResident(42, 0, 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Seqs(*page), (std::vector<int64_t>{4, 1}));
  EXPECT_TRUE(trail_.ReadsOfResident(0, 0, 100)->items.empty());
}

TEST_F(AuditTrailTest, ActedForListsWhatHelpersDidInMyName) {
  access::AuditEvent e = Ev("appeals.create", "420114001205", 3);
  e.acting_for_account = 1;
  e.consent_id = 77;
  Add(e);
  Add(Ev("appeals.create", "420114001205", 3));
  e.acting_for_account = 2;
  Add(e);
  auto page = trail_.ActedFor(1, 0, 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Seqs(*page), (std::vector<int64_t>{1}));
  EXPECT_EQ(page->items[0].event.consent_id, 77);
  EXPECT_TRUE(trail_.ActedFor(0, 0, 100)->items.empty());
}

TEST_F(AuditTrailTest, VerifyAcceptsAnIntactChain) {
  auto empty = trail_.Verify();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->ok);
  EXPECT_EQ(empty->records, 0);
  Status seeded = db_->Write([&](storage::Tx& tx) -> Status {
    for (int i = 0; i < 2500; ++i) GZ_RETURN_IF_ERROR(AppendAuditInTx(tx, Ev("residents.update", "420114001205"), i));
    return Status::Ok();
  });
  ASSERT_TRUE(seeded.ok()) << seeded.ToString();
  auto report = trail_.Verify();  // more than two batches
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->records, 2500);
  EXPECT_EQ(report->head_seq, 2500);
  EXPECT_EQ(report->head_hash.size(), 64u);
}

TEST_F(AuditTrailTest, VerifyFindsAnEditedField) {
  SeedPlaces();
  DropTriggers();
  Raw("UPDATE audit_records SET purpose = 'edited' WHERE seq = 3");
  auto report = trail_.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 3);
  EXPECT_EQ(report->reason, "hash-mismatch");
  EXPECT_EQ(report->records, 2);
}

TEST_F(AuditTrailTest, VerifyFindsADeletedRecord) {
  SeedPlaces();
  DropTriggers();
  Raw("DELETE FROM audit_records WHERE seq = 2");
  auto report = trail_.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 2);
  EXPECT_EQ(report->reason, "gap");
}

TEST_F(AuditTrailTest, VerifyFindsARecordRehashedAfterAnEdit) {
  SeedPlaces();
  DropTriggers();
  // A forger who edits record 2 and recomputes its hash still breaks the link to record 3.
  auto rows = store_.ChainAfter(1, 1);
  ASSERT_TRUE(rows.ok());
  AuditRecord forged = rows->at(0);
  forged.event.actor_account = 999;
  forged.hash = ChainHash(forged);
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE audit_records SET actor_account = 999, hash = $1 WHERE seq = 2",
                                           {storage::Blob{forged.hash}}));
    return n == 1 ? Status::Ok() : Internal("not updated");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto report = trail_.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 3);
  EXPECT_EQ(report->reason, "prev-mismatch");
}

TEST_F(AuditTrailTest, VerifyFindsTimeGoingBack) {
  SeedPlaces();
  DropTriggers();
  // Rehash record 4 with an earlier time; verify must still refuse the order.
  auto rows = store_.ChainAfter(3, 1);
  AuditRecord r = rows->at(0);
  r.at_ms -= 10'000;
  std::string hash = ChainHash(r);
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE audit_records SET at_ms = $1, hash = $2 WHERE seq = 4",
                                           {r.at_ms, storage::Blob{hash}}));
    return n == 1 ? Status::Ok() : Internal("not updated");
  });
  ASSERT_TRUE(s.ok());
  auto report = trail_.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 4);
  EXPECT_EQ(report->reason, "time-went-back");
}

TEST_F(AuditTrailTest, VerifyIsAuditedWithItsResult) {
  SeedPlaces();
  auto report = trail_.Verify(Usage("audit.verify"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->records, 5);
  auto last = store_.ChainAfter(5, 1);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(last->at(0).event.action, "audit.verify");
  EXPECT_EQ(last->at(0).event.details, R"({"result":"ok","records":5})");
}

}  // namespace
}  // namespace gz::audit
