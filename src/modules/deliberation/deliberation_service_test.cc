// The service and the sweep on a temporary SQLite store with the real audit trail: a matter
// through every step, refusals on failed quorum and majority, publications that complete only
// once another person published them, flagged spending, proposals with one support per person,
// the threshold's deadline and the exactly-once escalation, moderation with public reasons.
#include "modules/deliberation/deliberation_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "crypto/crypto.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/deliberation/problems.h"
#include "modules/deliberation/proposal_sweep.h"
#include "modules/deliberation/sql/deliberation_migrations.h"
#include "modules/deliberation/sql/sql_deliberation_store.h"
#include "storage/backends_for_test.h"
#include "storage/migrate.h"
#include "storage/sqlite/testing.h"

namespace gz::deliberation {
namespace {

using access::Role;

constexpr char kVillage[] = "420114001205";
constexpr char kSibling[] = "420114001206";
constexpr int64_t kCadre = 301, kSiblingCadre = 304, kAdmin = 401, kHelper = 201;
constexpr int64_t kDay = 86'400'000;

// The disclosure module as this one sees it: drafts, and publication by "another person".
class FakeDisclosures final : public Disclosures {
 public:
  Result<int64_t> DraftResolution(const access::Principal& by, const std::string& village, const std::string& title,
                                  const std::string& text, const std::vector<std::string>&) override {
    const int64_t id = next++;
    drafts[id] = Draft{by.self.account_id, village, title, text};
    return id;
  }
  Result<std::optional<int64_t>> PublishedAt(int64_t id) override {
    auto it = published.find(id);
    if (it == published.end()) return std::optional<int64_t>();
    return std::optional<int64_t>(it->second);
  }
  Result<bool> ScansKnown(const std::string& village, const std::vector<std::string>& hashes) override {
    for (const std::string& h : hashes)
      if (scans.count(village + h) == 0) return false;
    return true;
  }
  Result<Scan> ReadScan(const std::string& village, const std::string& sha256) override {
    if (scans.count(village + sha256) == 0) return NotFound("attachments/attachment-not-found");
    return Scan{"scan of " + sha256, "image/png", "png"};
  }
  struct Draft {
    int64_t by;
    std::string village, title, text;
  };
  int64_t next = 9001;
  std::map<int64_t, Draft> drafts;
  std::map<int64_t, int64_t> published;
  std::set<std::string> scans;
};

class FakeEscalation final : public ProposalEscalation {
 public:
  Result<int64_t> Escalate(const Proposal& p) override {
    ++calls;
    appeals.emplace(p.id, p.raised_by);  // idempotent per id, as the port requires
    return p.id;
  }
  int calls = 0;
  std::map<int64_t, int64_t> appeals;
};

class DeliberationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto db = storage::OpenTemporaryStoreForTest();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : DeliberationMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock).ok());
    store = std::make_unique<SqlDeliberationStore>(*db_);
    service = std::make_unique<DeliberationService>(*store, clock, &disclosures);
  }

  static access::Principal Who(int64_t account, Role role = Role::kVillager, const char* village = kVillage) {
    access::Principal p;
    p.self.account_id = account;
    p.self.village = village;
    p.self.grants.push_back(access::Grant{0, role, village});
    return p;
  }
  static access::Principal Cadre() { return Who(kCadre, Role::kVillageCadre); }

  int64_t Now() const { return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count(); }

  MeetingInput Meeting(std::string body, Attendance a, Tally t, std::vector<NamedVote> named = {}) {
    MeetingInput in;
    in.body = std::move(body);
    in.held_at_ms = Now() - 1000;
    in.notice_at_ms = Now() - 11 * kDay;
    in.attendance = a;
    in.tally = t;
    in.named = std::move(named);
    in.minutes = "会议纪要";
    return in;
  }

  std::vector<NamedVote> Named(int for_votes, int against) {
    std::vector<NamedVote> v;
    for (int i = 0; i < for_votes; ++i) v.push_back({"委员" + std::to_string(i), "for"});
    for (int i = 0; i < against; ++i) v.push_back({"委员反" + std::to_string(i), "against"});
    return v;
  }

  int64_t AuditCount(std::string_view action) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                     GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                                         tx.Query("SELECT COUNT(*) FROM audit_records WHERE action = $1", {std::string(action)}));
                     n = rs.rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }

  FakeClock clock;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<SqlDeliberationStore> store;
  FakeDisclosures disclosures;
  std::unique_ptr<DeliberationService> service;
};

TEST_F(DeliberationTest, AMatterThroughEveryStep) {
  Result<Matter> m = service->OpenMatter(Cadre(), kVillage, "修建村道", "硬化村道 2 公里，预算 60 万元", 0);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->chain_source, "law");
  const int64_t id = m->id;

  // Nothing recorded yet: no advancing.
  EXPECT_EQ(service->Advance(Cadre(), id, 0).status().slug(), problems::kNoMeeting);

  // 1. Party organization proposes (named votes: the tally comes from the names).
  Result<deliberation::Meeting> propose = service->RecordMeeting(Cadre(), id, Meeting("", {5, 5, 0, 0}, {}, Named(4, 1)));
  ASSERT_TRUE(propose.ok()) << propose.status().ToString();
  EXPECT_EQ(propose->tally.in_favour, 4);
  EXPECT_TRUE(propose->outcome.passed);
  ASSERT_TRUE(service->Advance(Cadre(), id, 0).ok());

  // 2. Joint meeting of the two committees.
  ASSERT_TRUE(service->RecordMeeting(Cadre(), id, Meeting("joint_meeting", {9, 8, 0, 0}, {}, Named(6, 2))).ok());
  ASSERT_TRUE(service->Advance(Cadre(), id, 0).ok());

  // 3. Party members' assembly: one below 2/3 is refused with the numbers; then a valid meeting.
  Result<deliberation::Meeting> low = service->RecordMeeting(Cadre(), id, Meeting("party_members", {30, 19, 0, 0}, {19, 0, 0}));
  ASSERT_TRUE(low.ok());
  EXPECT_FALSE(low->outcome.passed);
  Result<Matter> refused = service->Advance(Cadre(), id, 0);
  EXPECT_EQ(refused.status().slug(), problems::kQuorumNotMet);
  EXPECT_NE(refused.status().Arg("explanation").find("到会 19 人，应到 30 人"), std::string::npos);
  ASSERT_TRUE(service->RecordMeeting(Cadre(), id, Meeting("party_members", {30, 20, 0, 0}, {15, 5, 0})).ok());
  EXPECT_EQ(service->Advance(Cadre(), id, 0).status().slug(), problems::kMajorityNotReached);
  ASSERT_TRUE(service->RecordMeeting(Cadre(), id, Meeting("party_members", {30, 20, 0, 0}, {16, 4, 0})).ok());
  ASSERT_TRUE(service->Advance(Cadre(), id, 0).ok());

  // 4. Villager representatives' meeting.
  EXPECT_EQ(service->RecordMeeting(Cadre(), id, Meeting("party_members", {30, 20, 0, 0}, {16, 4, 0})).status().slug(),
            problems::kBadField);
  ASSERT_TRUE(service->RecordMeeting(Cadre(), id, Meeting("representatives_meeting", {45, 30, 0, 0}, {16, 14, 0})).ok());
  // Meetings cannot be recorded at a publication step; publications cannot be drafted at a meeting step.
  EXPECT_EQ(service->DraftPublication(Cadre(), id, "决议内容").status().slug(), problems::kWrongStep);
  ASSERT_TRUE(service->Advance(Cadre(), id, 0).ok());
  EXPECT_EQ(service->RecordMeeting(Cadre(), id, Meeting("", {5, 5, 0, 0}, {5, 0, 0})).status().slug(), problems::kWrongStep);

  // Spending before the resolution is public is flagged.
  Result<Spending> early = service->RecordSpending(Cadre(), id, 1'000'000, "预付工程款", Now() - 1000, 0);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->flagged);

  // 5. Resolution published: a disclosure draft; the step completes only once published.
  Result<Publication> res = service->DraftPublication(Cadre(), id, "村民代表会议决议：同意修建村道");
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->kind, "resolution");
  EXPECT_NE(disclosures.drafts[res->item_id].text.find("【村民会议或村民代表会议决议】应到 45，实到 30，赞成 16"), std::string::npos)
      << disclosures.drafts[res->item_id].text;
  EXPECT_EQ(service->DraftPublication(Cadre(), id, "再来一次").status().slug(), problems::kWrongStep);
  EXPECT_EQ(service->Advance(Cadre(), id, 0).status().slug(), problems::kNotPublished);
  disclosures.published[res->item_id] = Now();
  clock.Advance(std::chrono::seconds(10));
  ASSERT_TRUE(service->Advance(Cadre(), id, 0).ok());
  Result<Spending> later = service->RecordSpending(Cadre(), id, 2'000'000, "工程款", Now(), 0);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->flagged);

  // 6. Result published, linked to the resolution.
  Result<Publication> result = service->DraftPublication(Cadre(), id, "村道已完工并验收");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->kind, "result");
  EXPECT_NE(disclosures.drafts[result->item_id].text.find("【关联决议公开】公开事项编号 " + std::to_string(res->item_id)),
            std::string::npos);
  disclosures.published[result->item_id] = Now();
  Result<Matter> done = service->Advance(Cadre(), id, 0);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, MatterState::kCompleted);
  EXPECT_EQ(service->Advance(Cadre(), id, 0).status().slug(), problems::kMatterClosed);

  Result<MatterView> view = service->View(id);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->resolution_published);
  EXPECT_EQ(view->flagged_spending, 1);
  EXPECT_EQ(view->meetings.size(), 6u);  // the two failed meetings are kept
  Result<std::vector<Spending>> flagged = service->Flagged({"420114001000"}, 50);
  ASSERT_TRUE(flagged.ok());
  ASSERT_EQ(flagged->size(), 1u);
  EXPECT_EQ((*flagged)[0].id, early->id);
  EXPECT_TRUE(service->Flagged({"420114003000"}, 50)->empty());

  EXPECT_EQ(AuditCount("deliberation.record_meeting"), 6);
  EXPECT_EQ(AuditCount("deliberation.advance"), 6);
  EXPECT_EQ(AuditCount("deliberation.draft_publication"), 2);
  // Recorded meetings are kept as recorded (the database refuses changes).
  EXPECT_FALSE(db_->Write([](storage::Tx& tx) {
                    return tx.Exec("UPDATE deliberation_meetings SET passed = 1").status();
                  }).ok());
}

TEST_F(DeliberationTest, OnlyCadresOfTheVillageRecordAndCountsMustBePossible) {
  Result<Matter> m = service->OpenMatter(Cadre(), kVillage, "集体资产处置", "", 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(service->OpenMatter(Who(kSiblingCadre, Role::kVillageCadre, kSibling), kVillage, "x事项", "", 0).status().slug(),
            problems::kNotAllowed);
  EXPECT_EQ(service->RecordMeeting(Who(kSiblingCadre, Role::kVillageCadre, kSibling), m->id,
                                   Meeting("", {5, 5, 0, 0}, {}, Named(5, 0)))
                .status()
                .slug(),
            problems::kNotAllowed);
  EXPECT_EQ(service->RecordMeeting(Cadre(), m->id, Meeting("", {5, 6, 0, 0}, {}, Named(5, 0))).status().slug(),
            problems::kBadMeeting);
  // A named body needs the names; the count alone is not accepted.
  EXPECT_EQ(service->RecordMeeting(Cadre(), m->id, Meeting("", {5, 5, 0, 0}, {5, 0, 0})).status().slug(), problems::kBadField);
  // Scans must be ones the server stored for the village.
  MeetingInput with_scan = Meeting("", {5, 5, 0, 0}, {}, Named(5, 0));
  with_scan.attachments = {std::string(64, 'a')};
  EXPECT_EQ(service->RecordMeeting(Cadre(), m->id, with_scan).status().Arg("reason"), "unknown-scan");
  disclosures.scans.insert(std::string(kVillage) + std::string(64, 'a'));
  Result<deliberation::Meeting> recorded = service->RecordMeeting(Cadre(), m->id, with_scan);
  ASSERT_TRUE(recorded.ok());

  // The attendance sheet: staff of the area read it, each read audited with its purpose first;
  // villagers, other villages' staff, other meetings and other hashes get nothing.
  const std::string hash(64, 'a');
  const int64_t before = AuditCount("deliberation.read_scan");
  Result<Disclosures::Scan> scan = service->ReadMeetingScan(Cadre(), m->id, recorded->id, hash, "meeting-record-review");
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->bytes, "scan of " + hash);
  EXPECT_EQ(AuditCount("deliberation.read_scan"), before + 1);
  EXPECT_TRUE(service->ReadMeetingScan(Who(kAdmin, Role::kCountyAdmin, "420114000000"), m->id, recorded->id, hash, "audit").ok());
  EXPECT_EQ(service->ReadMeetingScan(Who(kCadre + 50), m->id, recorded->id, hash, "curious").status().slug(), problems::kNotAllowed);
  EXPECT_EQ(service->ReadMeetingScan(Who(kSiblingCadre, Role::kVillageCadre, kSibling), m->id, recorded->id, hash, "x")
                .status()
                .slug(),
            problems::kNotAllowed);
  EXPECT_EQ(service->ReadMeetingScan(Cadre(), m->id, recorded->id + 1, hash, "x").status().slug(), problems::kMeetingNotFound);
  EXPECT_EQ(service->ReadMeetingScan(Cadre(), m->id, recorded->id, std::string(64, 'b'), "x").status().slug(),
            "attachments/attachment-not-found");
  EXPECT_EQ(service->ReadMeetingScan(Cadre(), m->id, recorded->id, hash, "").status().slug(), problems::kBadField);
  EXPECT_EQ(AuditCount("deliberation.read_scan"), before + 2);
}

TEST_F(DeliberationTest, WithdrawnWithAReasonAndNeverReopened) {
  Result<Matter> m = service->OpenMatter(Cadre(), kVillage, "出售集体林地", "", 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(service->Withdraw(Cadre(), m->id, "").status().slug(), problems::kBadField);
  Result<Matter> w = service->Withdraw(Cadre(), m->id, "党员大会未通过，暂不推进");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->state, MatterState::kWithdrawn);
  EXPECT_EQ(service->GetMatter(m->id)->closing_note, "党员大会未通过，暂不推进");
  EXPECT_EQ(service->Advance(Cadre(), m->id, 0).status().slug(), problems::kMatterClosed);
  EXPECT_EQ(service->Withdraw(Cadre(), m->id, "再撤一次").status().slug(), problems::kMatterClosed);
  EXPECT_FALSE(db_->Write([&](storage::Tx& tx) {
                    return tx.Exec("UPDATE deliberation_matters SET state = 'open', version = version + 1, closing_note = '' "
                                   "WHERE id = $1",
                                   {m->id}).status();
                  }).ok());
}

TEST_F(DeliberationTest, ChainsByCountyAndByTheVillagesOwnDecision) {
  Chain county = DefaultChain();
  county.steps[2].bodies[0].quorum[0].threshold = Threshold{4, 5, Compare::kAtLeast};
  EXPECT_EQ(service->SetChain(Cadre(), "420114000000", county, "", 0).slug(), problems::kNotAllowed);
  ASSERT_TRUE(service->SetChain(Who(kAdmin, Role::kCountyAdmin, "420114000000"), "420114000000", county, "", 0).ok());
  EXPECT_EQ(service->ChainFor(kVillage)->source, "county:420114000000");
  Chain village = DefaultChain();
  village.steps.insert(village.steps.begin(),
                       StepDef{"canvass", "村民小组酝酿", StepKind::kMeeting, {}, {DefaultChain().steps[1].bodies[0]}});
  EXPECT_EQ(service->SetChain(Cadre(), kVillage, village, "", 0).Arg("field"), "decision");
  ASSERT_TRUE(service->SetChain(Cadre(), kVillage, village, "2026年第1次村民代表会议决议", 0).ok());
  Result<EffectiveChain> effective = service->ChainFor(kVillage);
  EXPECT_EQ(effective->source, "village:420114001205");
  EXPECT_EQ(effective->chain.steps.size(), 7u);
  EXPECT_EQ(service->ChainFor(kSibling)->source, "county:420114000000");
  // A matter keeps the chain it was opened under.
  Result<Matter> m = service->OpenMatter(Cadre(), kVillage, "村规民约修订", "", 0);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(service->SetChain(Cadre(), kVillage, DefaultChain(), "2026年第2次村民代表会议决议", 0).ok());
  EXPECT_EQ(DecodeChain(service->GetMatter(m->id)->chain_text)->steps.size(), 7u);
  Chain loose = DefaultChain();
  loose.steps[3].bodies[1].quorum[0].threshold = Threshold{1, 2, Compare::kAtLeast};
  EXPECT_EQ(service->SetChain(Cadre(), kVillage, loose, "决议", 0).slug(), problems::kBadChain);
}

TEST_F(DeliberationTest, ProposalsSupportsThresholdAndExactlyOnceEscalation) {
  VillageSettings s;
  s.village = kVillage;
  s.support_threshold = 3;
  s.answer_days = 15;
  ASSERT_TRUE(service->SetSettings(Cadre(), s).ok());
  Result<Proposal> p = service->Propose(Who(101), kVillage, "修建文化广场", "建议利用村委会旁空地修建文化广场，方便村民活动");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->threshold, 3);
  EXPECT_EQ(service->Propose(Who(103, Role::kVillager, kSibling), kVillage, "标题", "内容内容内容内容内容内容").status().slug(),
            problems::kNotAllowed);
  // A helper acting for a villager raises it in the villager's name; the helper is recorded.
  access::Principal helper = Who(kHelper, Role::kHelper);
  helper.acting_for = access::ActingFor{77, Who(102).self, {"deliberation.propose"}};
  Result<Proposal> by_helper = service->Propose(helper, kVillage, "路灯维修", "村东头路灯坏了三盏，晚上出行不便");
  ASSERT_TRUE(by_helper.ok());
  EXPECT_EQ(by_helper->raised_by, 102);
  EXPECT_EQ(by_helper->recorded_by, kHelper);
  EXPECT_EQ(by_helper->consent_id, 77);

  EXPECT_EQ(service->Support(Who(101), *p).status().Arg("reason"), "own-proposal");
  ASSERT_TRUE(service->Support(Who(102), *p).ok());
  EXPECT_EQ(service->Support(Who(102), *p).status().slug(), problems::kAlreadySupported);
  ASSERT_TRUE(service->Support(Who(104), *p).ok());
  Result<Proposal> reached = service->Support(Who(105), *p);
  ASSERT_TRUE(reached.ok());
  EXPECT_EQ(reached->supports, 3);
  EXPECT_EQ(reached->reached_at_ms, Now());
  EXPECT_EQ(reached->answer_due_ms, Now() + 15 * kDay);
  // The UNIQUE constraint holds in the database itself.
  EXPECT_EQ(db_->Write([&](storage::Tx& tx) {
                  return tx.Exec("INSERT INTO deliberation_supports VALUES ($1, 102, 0)", {p->id}).status();
                }).code(),
            Code::kAlreadyExists);

  FakeEscalation escalation;
  ProposalSweeper sweeper(*store, escalation, clock);
  clock.Advance(std::chrono::hours(24 * 15 - 1));
  EXPECT_EQ(sweeper.RunOnce()->escalated, 0);
  clock.Advance(std::chrono::hours(2));
  EXPECT_EQ(sweeper.RunOnce()->escalated, 1);
  EXPECT_EQ(sweeper.RunOnce()->escalated, 0);
  EXPECT_EQ(escalation.calls, 1);
  EXPECT_EQ(escalation.appeals.at(p->id), 101);
  Result<Proposal> after = service->GetProposal(p->id);
  EXPECT_EQ(after->State(), ProposalState::kEscalated);
  EXPECT_EQ(service->Answer(Cadre(), *after, "已研究").slug(), problems::kAlreadyAnswered);
  // Not reached: never escalated.
  EXPECT_EQ(service->GetProposal(by_helper->id)->answer_due_ms, 0);
}

TEST_F(DeliberationTest, ParallelSupportsFromOnePersonCountOnce) {
  Result<Proposal> p = service->Propose(Who(101), kVillage, "修建文化广场", "建议利用村委会旁空地修建文化广场，方便村民活动");
  ASSERT_TRUE(p.ok());
  std::atomic<int> ok{0}, already{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&] {
      Result<Proposal> r = service->Support(Who(102), *p);
      if (r.ok()) ++ok;
      else if (r.status().slug() == problems::kAlreadySupported) ++already;
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(already.load(), 15);
  EXPECT_EQ(service->GetProposal(p->id)->supports, 1);
}

TEST_F(DeliberationTest, AnsweredOrTakenIntoTheProcedure) {
  Result<Proposal> p = service->Propose(Who(101), kVillage, "修建文化广场", "建议利用村委会旁空地修建文化广场，方便村民活动");
  ASSERT_TRUE(p.ok());
  Result<Matter> m = service->OpenMatter(Cadre(), kVillage, "修建文化广场", "", p->id);
  ASSERT_TRUE(m.ok());
  Result<Proposal> after = service->GetProposal(p->id);
  EXPECT_EQ(after->State(), ProposalState::kInProcedure);
  EXPECT_EQ(after->matter_id, m->id);
  EXPECT_NE(after->answer.find(std::to_string(m->id)), std::string::npos);
  EXPECT_EQ(service->OpenMatter(Cadre(), kVillage, "再开一次", "", p->id).status().slug(), problems::kAlreadyAnswered);
}

TEST_F(DeliberationTest, CommentsHiddenWithAPublicReason) {
  Result<Proposal> p = service->Propose(Who(101), kVillage, "修建文化广场", "建议利用村委会旁空地修建文化广场，方便村民活动");
  ASSERT_TRUE(p.ok());
  Result<Comment> c = service->AddComment(Who(102), *p, "赞成，但要注意噪音");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(service->AddComment(Who(103, Role::kVillager, kSibling), *p, "外村评论").status().slug(), problems::kNotAllowed);
  EXPECT_EQ(service->HideComment(Who(102), *c, "理由").slug(), problems::kNotAllowed);
  ASSERT_TRUE(service->HideComment(Cadre(), *c, "含有他人电话号码").ok());
  Result<Comment> hidden = service->GetComment(c->id);
  EXPECT_EQ(hidden->hidden_reason, "含有他人电话号码");
  EXPECT_EQ(service->HideComment(Cadre(), *hidden, "再次").slug(), problems::kEditConflict);
  EXPECT_FALSE(db_->Write([](storage::Tx& tx) { return tx.Exec("DELETE FROM deliberation_comments").status(); }).ok());
}

}  // namespace
}  // namespace gz::deliberation
