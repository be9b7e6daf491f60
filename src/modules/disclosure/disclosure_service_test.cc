// The service on a temporary SQLite store with the real audit trail and a test log: a table
// `test_log` written through the LogAppend callable in the publishing transaction, so "published
// if and only if logged" and the frozen rows are checked against the real database.
#include "modules/disclosure/disclosure_service.h"

#include <gtest/gtest.h>

#include <map>

#include "crypto/crypto.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/disclosure/question_sweep.h"
#include "modules/disclosure/sql/disclosure_migrations.h"
#include "modules/disclosure/sql/sql_disclosure_store.h"
#include "storage/migrate.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/backends_for_test.h"

namespace gz::disclosure {
namespace {

using access::Role;

constexpr char kVillage[] = "420114001205";
constexpr char kSibling[] = "420114001206";
constexpr int64_t kCadre = 301, kCadre2 = 302, kSupervisor = 351, kVillager = 101, kSiblingVillager = 103,
                  kSiblingCadre = 304;

class NullSink final : public access::AuditSink {
 public:
  Status Append(const access::AuditEvent& e) override {
    events.push_back(e);
    return failing ? Unavailable("audit/unavailable") : Status::Ok();
  }
  std::vector<access::AuditEvent> events;
  bool failing = false;
};

class FakeEscalation final : public QuestionEscalation {
 public:
  Result<int64_t> Escalate(const Question& q, const Item&) override {
    ++calls;
    appeals.emplace(q.id, q.asked_by);  // idempotent per question id, as the port requires
    return q.id;
  }
  int calls = 0;
  std::map<int64_t, int64_t> appeals;
};

class DisclosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto db = storage::OpenTemporaryStoreForTest();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : DisclosureMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock).ok());
    ASSERT_TRUE(db_->Write([](storage::Tx& tx) {
                     return tx.ExecScript(tx.dialect() == storage::Dialect::kPostgres
                                           ? "CREATE TABLE test_log (idx BIGINT PRIMARY KEY, village TEXT, entry BYTEA)"
                                           : "CREATE TABLE test_log (idx INTEGER PRIMARY KEY, village TEXT, entry BLOB)");
                   }).ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*cipher));
    store = std::make_unique<SqlDisclosureStore>(
        *db_, [this](storage::Tx& tx, std::string_view village, std::string_view entry) -> Result<std::uint64_t> {
          if (fail_log) return Unavailable("tlog/test-failure");
          if (entry.empty() || entry.size() > 65535) return InvalidArgument("tlog/bad-entry");
          GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                              tx.Query("INSERT INTO test_log (idx, village, entry) VALUES "
                                       "((SELECT COUNT(*) FROM test_log), $1, $2) RETURNING idx",
                                       {std::string(village), storage::Blob{std::string(entry)}}));
          return static_cast<std::uint64_t>(rs.rows[0].Int(0));
        });
    service = std::make_unique<DisclosureService>(*store, *cipher_, sink, clock);
  }

  access::Principal Who(int64_t account) {
    access::Principal p;
    p.self.account_id = account;
    auto grant = [&](Role role, const char* scope) { p.self.grants.push_back(access::Grant{0, role, scope}); };
    switch (account) {
      case kCadre: case kCadre2: p.self.village = kVillage; grant(Role::kVillageCadre, kVillage); break;
      case kSupervisor: p.self.village = kVillage; grant(Role::kSupervisor, kVillage); break;
      case kVillager: p.self.village = kVillage; grant(Role::kVillager, kVillage); break;
      case kSiblingVillager: p.self.village = kSibling; grant(Role::kVillager, kSibling); break;
      case kSiblingCadre: p.self.village = kSibling; grant(Role::kVillageCadre, kSibling); break;
    }
    return p;
  }

  DraftInput Finance(std::string period = "2026-01") {
    DraftInput in;
    in.village = kVillage;
    in.kind = "finance_statement";
    in.period = std::move(period);
    in.title = "财务收支公开";
    in.rows = {{"上级转移支付", true, 1000000}, {"保洁工资", false, 240000}};
    return in;
  }

  Item MustDraft(const access::Principal& by, const DraftInput& in) {
    Result<Item> d = service->Draft(by, in);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : Item{};
  }

  Result<Item> PreviewAndPublish(const access::Principal& by, int64_t id) {
    GZ_ASSIGN_OR_RETURN(Preview p, service->PreviewFor(by, id));
    return service->Publish(by, id, p.entry_sha256, p.published_at_ms);
  }

  int64_t Count(std::string_view sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql));
                     n = rs.rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }
  Status Exec(std::string_view sql) {
    return db_->Write([&](storage::Tx& tx) { return tx.Exec(sql).status(); });
  }

  FakeClock clock;
  NullSink sink;
  bool fail_log = false;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  std::unique_ptr<SqlDisclosureStore> store;
  std::unique_ptr<DisclosureService> service;
};

TEST_F(DisclosureTest, MakerCheckerPublishesTheExactPreviewedBytesIntoTheLog) {
  Item draft = MustDraft(Who(kCadre), Finance());
  EXPECT_EQ(draft.state, State::kDraft);
  Result<Preview> preview = service->PreviewFor(Who(kSupervisor), draft.id);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_EQ(preview->publisher_role, "supervisor");
  clock.Advance(std::chrono::minutes(5));
  Result<Item> published = service->Publish(Who(kSupervisor), draft.id, preview->entry_sha256, preview->published_at_ms);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(published->state, State::kPublished);
  EXPECT_EQ(published->log_index, 0);
  EXPECT_EQ(published->entry, preview->entry);
  Result<Item> stored = service->Get(draft.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->entry, preview->entry);
  EXPECT_EQ(stored->log_index, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM test_log"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'disclosure.publish'"), 1);
  // Published once only.
  EXPECT_EQ(PreviewAndPublish(Who(kSupervisor), draft.id).status().slug(), "disclosure/not-a-draft");
}

TEST_F(DisclosureTest, NobodyPublishesTheirOwnDraftAndFinanceNeedsASupervisor) {
  DraftInput resolution;
  resolution.village = kVillage;
  resolution.kind = "resolution";
  resolution.period = "2026-02";
  resolution.title = "村民代表会议决议";
  resolution.text = "同意修建村道";
  Item r = MustDraft(Who(kCadre), resolution);
  EXPECT_EQ(service->PreviewFor(Who(kCadre), r.id).status().slug(), "disclosure/own-draft");
  Result<Item> by_other_cadre = PreviewAndPublish(Who(kCadre2), r.id);
  ASSERT_TRUE(by_other_cadre.ok()) << by_other_cadre.status().ToString();
  EXPECT_EQ(by_other_cadre->publisher_role, "village_cadre");

  Item f = MustDraft(Who(kCadre), Finance());
  EXPECT_EQ(service->PreviewFor(Who(kCadre2), f.id).status().slug(), "disclosure/not-allowed");
  EXPECT_EQ(service->PreviewFor(Who(kSiblingCadre), f.id).status().slug(), "disclosure/not-allowed");
  EXPECT_EQ(service->Draft(Who(kSupervisor), Finance()).status().slug(), "disclosure/not-allowed");
  // The database refuses a row whose publisher is its drafter, whatever the code above does.
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET state = 'published', published_by = drafted_by, published_at_ms = 1, "
                    "publisher_role = 'supervisor', entry = " +
                    std::string(db_->dialect() == storage::Dialect::kPostgres ? "'\\x7b7d'::bytea" : "x'7b7d'") +
                    ", log_index = 99 WHERE kind = 'finance_statement'")
                   .ok());
}

TEST_F(DisclosureTest, StalePreviewsAreRefused) {
  Item d = MustDraft(Who(kCadre), Finance());
  Result<Preview> p = service->PreviewFor(Who(kSupervisor), d.id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(service->Publish(Who(kSupervisor), d.id, std::string(64, '0'), p->published_at_ms).status().slug(),
            "disclosure/preview-stale");
  clock.Advance(std::chrono::minutes(61));
  EXPECT_EQ(service->Publish(Who(kSupervisor), d.id, p->entry_sha256, p->published_at_ms).status().slug(),
            "disclosure/preview-stale");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM test_log"), 0);
}

TEST_F(DisclosureTest, ALogFailureLeavesTheDraftUnpublished) {
  Item d = MustDraft(Who(kCadre), Finance());
  fail_log = true;
  EXPECT_EQ(PreviewAndPublish(Who(kSupervisor), d.id).status().slug(), "tlog/test-failure");
  EXPECT_EQ(service->Get(d.id)->state, State::kDraft);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'disclosure.publish'"), 0);
  fail_log = false;
  EXPECT_TRUE(PreviewAndPublish(Who(kSupervisor), d.id).ok());
}

TEST_F(DisclosureTest, PublishedRowsAreFrozenByTheDatabase) {
  Item d = MustDraft(Who(kCadre), Finance());
  ASSERT_TRUE(PreviewAndPublish(Who(kSupervisor), d.id).ok());
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET title = '改过的标题'").ok());
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET body_json = '{}'").ok());
  EXPECT_FALSE(Exec("DELETE FROM disclosure_items").ok());
  EXPECT_EQ(service->Get(d.id)->title, "财务收支公开");
}

TEST_F(DisclosureTest, TheDrafterRevisesOrDiscardsADraftUntilItIsPublished) {
  Item d = MustDraft(Who(kCadre), Finance());
  Result<Preview> before = service->PreviewFor(Who(kSupervisor), d.id);
  ASSERT_TRUE(before.ok());

  DraftInput changed = Finance("2026-02");
  changed.title = "二月财务收支公开";
  changed.rows = {{"上级转移支付", true, 1000000}, {"保洁工资", false, 250000}};
  EXPECT_EQ(service->Revise(Who(kCadre2), d.id, changed).status().slug(), "disclosure/not-your-draft");
  EXPECT_EQ(service->Revise(Who(kSiblingCadre), d.id, changed).status().slug(), "disclosure/not-allowed");
  DraftInput other_kind = changed;
  other_kind.kind = "income_expense";
  EXPECT_EQ(service->Revise(Who(kCadre), d.id, other_kind).status().slug(), "disclosure/bad-body");
  Result<Item> revised = service->Revise(Who(kCadre), d.id, changed);
  ASSERT_TRUE(revised.ok()) << revised.status().ToString();
  EXPECT_EQ(revised->id, d.id);
  EXPECT_EQ(revised->drafted_at_ms, d.drafted_at_ms);
  EXPECT_EQ(service->Get(d.id)->title, "二月财务收支公开");
  EXPECT_EQ(service->Get(d.id)->period, "2026-02");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'disclosure.revise'"), 1);

  // The preview taken before the revision no longer publishes: the checker approves what is public.
  EXPECT_EQ(service->Publish(Who(kSupervisor), d.id, before->entry_sha256, before->published_at_ms).status().slug(),
            "disclosure/preview-stale");
  Result<Item> published = PreviewAndPublish(Who(kSupervisor), d.id);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_NE(published->entry.find("二月财务收支公开"), std::string::npos);
  EXPECT_NE(published->entry.find("250000"), std::string::npos);

  // Once published: no revision, no discarding, whatever the code or a hand-written statement does.
  EXPECT_EQ(service->Revise(Who(kCadre), d.id, Finance()).status().slug(), "disclosure/not-a-draft");
  EXPECT_EQ(service->Discard(Who(kCadre), d.id).slug(), "disclosure/not-a-draft");
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET title = '改过的标题'").ok());

  Item gone = MustDraft(Who(kCadre), Finance("2026-03"));
  EXPECT_EQ(service->Discard(Who(kCadre2), gone.id).slug(), "disclosure/not-your-draft");
  EXPECT_TRUE(service->Discard(Who(kCadre), gone.id).ok());
  EXPECT_EQ(service->Get(gone.id).status().slug(), "disclosure/item-not-found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_records WHERE action = 'disclosure.discard'"), 1);
}

TEST_F(DisclosureTest, TheDatabaseKeepsWhatADraftIs) {
  Item d = MustDraft(Who(kCadre), Finance());
  EXPECT_TRUE(Exec("UPDATE disclosure_items SET title = '新标题'").ok());
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET kind = 'income_expense'").ok());
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET village_code = '420114001206'").ok());
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET drafted_by = 302").ok());
  // Publishing must not slip a content change in with it.
  EXPECT_FALSE(Exec("UPDATE disclosure_items SET state = 'published', published_by = 351, published_at_ms = 1, "
                    "publisher_role = 'supervisor', entry = x'7b7d', log_index = 7, title = '发布时改的'")
                   .ok());
  EXPECT_EQ(service->Get(d.id)->state, State::kDraft);
}

TEST_F(DisclosureTest, CorrectionsReferenceAPublishedItemOfTheSameVillageAndKind) {
  Item first = MustDraft(Who(kCadre), Finance());
  DraftInput fix = Finance();
  fix.corrects = first.id;
  fix.correction_reason = "保洁工资金额有误";
  EXPECT_EQ(service->Draft(Who(kCadre), fix).status().slug(), "disclosure/bad-correction");  // not published yet
  ASSERT_TRUE(PreviewAndPublish(Who(kSupervisor), first.id).ok());
  DraftInput no_reason = fix;
  no_reason.correction_reason = "";
  EXPECT_EQ(service->Draft(Who(kCadre), no_reason).status().slug(), "disclosure/bad-correction");
  DraftInput other_kind = fix;
  other_kind.kind = "income_expense";
  EXPECT_EQ(service->Draft(Who(kCadre), other_kind).status().slug(), "disclosure/bad-correction");
  fix.rows[1].amount_fen = 250000;
  Item correction = MustDraft(Who(kCadre), fix);
  EXPECT_TRUE(service->CorrectedBy(first.id)->empty());  // a draft corrects nothing yet
  Result<Item> published = PreviewAndPublish(Who(kSupervisor), correction.id);
  ASSERT_TRUE(published.ok());
  EXPECT_NE(published->entry.find("\"corrects\":{\"id\":\"" + std::to_string(first.id) + "\",\"reason\":\"保洁工资金额有误\"}"),
            std::string::npos);
  EXPECT_EQ(*service->CorrectedBy(first.id), std::vector<int64_t>{correction.id});
  EXPECT_EQ(service->Get(first.id)->state, State::kPublished);  // both stay visible
  EXPECT_EQ(published->log_index, 1);
}

TEST_F(DisclosureTest, SubsidyListsAreMaskedAndOriginalsSealedAndAuditedOnRead) {
  DraftInput in;
  in.village = kVillage;
  in.kind = "subsidy_list";
  in.period = "2026-Q1";
  in.title = "2026年第一季度临时救助发放名单";
  in.recipients = {{"王小明", "420114195001011234", "15400009999", 60000, ""}};
  Item d = MustDraft(Who(kCadre), in);
  EXPECT_EQ(d.body_json.find("小明"), std::string::npos);
  EXPECT_EQ(d.body_json.find("15400009999"), std::string::npos);
  EXPECT_NE(d.body_json.find("王**"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM disclosure_items WHERE CAST(recipients_sealed AS TEXT) LIKE '%15400009999%'"), 0);
  Result<Preview> p = service->PreviewFor(Who(kSupervisor), d.id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->entry.find("小明"), std::string::npos);
  EXPECT_NE(p->entry.find("420114********1234"), std::string::npos);

  sink.failing = true;  // fail closed
  EXPECT_FALSE(service->Originals(Who(kCadre), d, "核对发放").ok());
  sink.failing = false;
  Result<std::vector<Recipient>> originals = service->Originals(Who(kCadre), d, "核对发放");
  ASSERT_TRUE(originals.ok()) << originals.status().ToString();
  ASSERT_EQ(originals->size(), 1u);
  EXPECT_EQ((*originals)[0].name, "王小明");
  EXPECT_EQ((*originals)[0].phone, "15400009999");
  EXPECT_EQ((*originals)[0].amount_fen, 60000);
  EXPECT_EQ(sink.events.back().action, "disclosure.read_personal");
  EXPECT_EQ(sink.events.back().purpose, "核对发放");
}

TEST_F(DisclosureTest, ListsThatCannotFitTheLogAreRefusedAtDrafting) {
  DraftInput in;
  in.village = kVillage;
  in.kind = "subsidy_list";
  in.period = "2026-Q1";
  in.title = "很长的名单";
  for (int i = 0; i < 500; ++i) in.recipients.push_back({"欧阳明华", "420114195001011234", "", 60000, std::string(50, 'x')});
  Result<Item> d = service->Draft(Who(kCadre), in);
  EXPECT_EQ(d.status().slug(), "disclosure/too-large");
}

TEST_F(DisclosureTest, QuestionsByVillagersAnsweredOnceOrEscalatedExactlyOnce) {
  Item d = MustDraft(Who(kCadre), Finance());
  EXPECT_EQ(service->Ask(Who(kVillager), d, "保洁工资为什么这么高？").status().slug(), "disclosure/cannot-ask");  // a draft
  Item item = *PreviewAndPublish(Who(kSupervisor), d.id);
  EXPECT_EQ(service->Ask(Who(kSiblingVillager), item, "保洁工资为什么这么高？").status().slug(), "disclosure/cannot-ask");
  EXPECT_EQ(service->Ask(Who(kVillager), item, "?").status().slug(), "disclosure/bad-question");
  Result<Question> q1 = service->Ask(Who(kVillager), item, "保洁工资为什么这么高？");
  Result<Question> q2 = service->Ask(Who(kVillager), item, "上级转移支付是哪个项目的？");
  ASSERT_TRUE(q1.ok() && q2.ok());
  ASSERT_TRUE(service->Answer(Who(kCadre), *q1, "两名保洁员三个月的工资").ok());
  EXPECT_EQ(service->Answer(Who(kCadre), *service->GetQuestion(q1->id), "再答").status().slug(),
            "disclosure/already-answered");

  FakeEscalation escalation;
  QuestionSweeper sweeper(*store, escalation, clock, 7);
  EXPECT_EQ(sweeper.RunOnce()->escalated, 0);  // not yet 7 days
  clock.Advance(std::chrono::hours(24 * 7 + 1));
  Result<QuestionSweepReport> r = sweeper.RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->escalated, 1);
  EXPECT_EQ(service->GetQuestion(q2->id)->appeal_id, q2->id);
  EXPECT_EQ(sweeper.RunOnce()->escalated, 0);  // a second run (or a restart) escalates nothing again
  EXPECT_EQ(escalation.calls, 1);
  EXPECT_EQ(service->Answer(Who(kCadre), *service->GetQuestion(q2->id), "迟到的答复").status().slug(),
            "disclosure/already-answered");
  EXPECT_FALSE(Exec("DELETE FROM disclosure_questions").ok());
}

TEST_F(DisclosureTest, CalendarShowsPublishedAndMissing) {
  // FakeClock starts 2026-01-01Z; move to 20 February (Beijing): January is past its deadline.
  clock.Advance(std::chrono::hours(24 * 50));
  Item jan = MustDraft(Who(kCadre), Finance("2026-01"));
  ASSERT_TRUE(PreviewAndPublish(Who(kSupervisor), jan.id).ok());
  Result<std::vector<CalendarSlot>> cal = service->Calendar(kVillage, 2026);
  ASSERT_TRUE(cal.ok());
  int published = 0, missing = 0;
  for (const CalendarSlot& s : *cal) {
    if (s.kind == Kind::kFinanceStatement && s.period == "2026-01") {
      EXPECT_EQ(s.status, SlotStatus::kPublishedLate);
    }
    if (s.kind == Kind::kIncomeExpense && s.period == "2026-01") {
      EXPECT_EQ(s.status, SlotStatus::kMissing);
    }
    published += s.status == SlotStatus::kPublishedLate;
    missing += s.status == SlotStatus::kMissing;
  }
  EXPECT_EQ(published, 1);
  EXPECT_GE(missing, 1);
  Result<std::vector<CalendarSlot>> flagged = service->Missing({kVillage});
  ASSERT_TRUE(flagged.ok());
  EXPECT_FALSE(flagged->empty());
  ASSERT_TRUE(service->SetCadence(Who(kCadre), kVillage, Cadence::kQuarterly).ok());
  EXPECT_EQ(*service->CadenceOf(kVillage), Cadence::kQuarterly);
  EXPECT_EQ(service->SetCadence(Who(kSupervisor), kVillage, Cadence::kMonthly).slug(), "disclosure/not-allowed");
}

}  // namespace
}  // namespace gz::disclosure
