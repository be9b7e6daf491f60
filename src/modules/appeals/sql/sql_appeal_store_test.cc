// SqlAppealStore on SQLite: round trips, the facts the rates read, the sweep's queries and their
// indexes, inbox reach, and the schema's refusals of plaintext and of rows written around it.
#include "modules/appeals/sql/sql_appeal_store.h"

#include <gtest/gtest.h>

#include <tuple>

#include "modules/appeals/testing/appeal_test_env.h"

namespace gz::appeals {
namespace {

using namespace testing;  // NOLINT

std::string Plan(AppealTestEnv& env, const std::string& sql, const storage::Params& params) {
  std::string plan;
  Status s = env.db().Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("EXPLAIN QUERY PLAN " + sql, params));
    for (const auto& row : rs.rows) plan += row.Text(row.size() - 1) + "\n";
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return plan;
}

TEST(SqlAppealStore, RowsRoundTripAndFactsMatchThem) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  SubmitRequest r = env.Request("井水浑浊，疑似被污染", "water_supply");
  r.location = Location{30.5, 114.0, "老井"};
  r.anonymous_to_public = true;
  Appeal b = env.Submit(env.HelperForVillager(), r);
  env.Must(env.Who(kCadre), b.id, Action::kAccept);
  env.Must(env.Who(kCadre), b.id, Action::kStart);
  env.Must(env.Who(kCadre), b.id, Action::kAnswer, "已请水务站检测");
  env.Must(env.Who(kVillager), b.id, Action::kRate, "", std::nullopt, Rating::kDissatisfied, false);
  env.Advance(std::chrono::hours(30));
  ASSERT_EQ(env.sweeper->RunOnce()->escalated, 2);  // a: acceptance; b (reopened): acceptance

  for (int64_t id : {a.id, b.id}) {
    Appeal got = *env.service->Get(id);
    EXPECT_EQ(got.state, AppealState::kEscalated);
    auto facts = env.store->LoadFacts(FactsQuery{{kVillage}, 0, env.Now() + 1});
    ASSERT_TRUE(facts.ok());
    ASSERT_EQ(facts->size(), 2u);
    const AppealFacts& f = facts->at(0).id == id ? facts->at(0) : facts->at(1);
    const AppealFacts expected = FactsOf(got);
    EXPECT_EQ(f.unit, expected.unit);
    EXPECT_EQ(f.state, expected.state);
    EXPECT_EQ(f.accept_due_ms, expected.accept_due_ms);
    EXPECT_EQ(f.answer_due_ms, expected.answer_due_ms);
    EXPECT_EQ(f.first_answer_due_ms, expected.first_answer_due_ms);
    EXPECT_EQ(f.first_accepted_at_ms, expected.first_accepted_at_ms);
    EXPECT_EQ(f.accepted_on_time, expected.accepted_on_time);
    EXPECT_EQ(f.first_answered_at_ms, expected.first_answered_at_ms);
    EXPECT_EQ(f.rating, expected.rating);
    EXPECT_EQ(f.solved, expected.solved);
    EXPECT_EQ(f.reopen_count, expected.reopen_count);
    EXPECT_EQ(f.escalation_count, expected.escalation_count);
  }
  Appeal got_b = *env.service->Get(b.id);
  EXPECT_TRUE(got_b.anonymous_to_public);
  EXPECT_EQ(got_b.channel, Channel::kHelper);
  EXPECT_EQ(got_b.consent_id, kConsent);
  EXPECT_EQ(got_b.rating, Rating::kDissatisfied);
  EXPECT_EQ(got_b.rated_via, RatedVia::kSubmitter);
  EXPECT_EQ(got_b.reopen_count, 1);
  EXPECT_TRUE(got_b.location_sealed);
  EXPECT_EQ(env.service->ReadContent(env.Who(kVillager), got_b, "查看")->location->description, "老井");
  EXPECT_FALSE(env.service->Get(a.id)->location_sealed.has_value());
}

// The bulk path of the seeders: more rows than one multi-row statement takes (100), the last
// statement shorter; each row and its submission entry as Insert writes them.
TEST(SqlAppealStore, InsertManyWritesWhatInsertWritesInMultiRowStatements) {
  AppealTestEnv env;
  const Appeal model = env.Submit();
  const std::vector<TimelineEntry> entries = *env.store->Timeline(model.id);
  ASSERT_EQ(entries.size(), 1u);
  std::vector<Change> changes;
  for (int64_t i = 0; i < 250; ++i) {
    Change c;
    c.appeal = model;
    c.appeal.id = model.id + 1000 + i;
    c.appeal.submitted_at_ms = model.submitted_at_ms + i;
    c.entry = entries[0];
    c.entry.id = entries[0].id + 1000 + i;
    c.entry.appeal_id = c.appeal.id;
    c.now_ms = c.appeal.submitted_at_ms;
    c.audit = access::EventFor(env.Who(kVillager), "appeals.submit");
    c.audit.object_type = "appeal";
    c.audit.object_id = std::to_string(c.appeal.id);
    c.audit.division = c.appeal.village;
    changes.push_back(std::move(c));
  }
  Status inserted = env.store->InsertMany(changes);
  ASSERT_TRUE(inserted.ok()) << inserted.ToString();
  for (int64_t i : {0, 99, 100, 199, 200, 249}) {
    const Change& c = changes[static_cast<size_t>(i)];
    std::optional<Appeal> got = *env.store->Get(c.appeal.id);
    ASSERT_TRUE(got.has_value()) << i;
    EXPECT_EQ(got->village, model.village);
    EXPECT_EQ(got->category, model.category);
    EXPECT_EQ(got->state, model.state);
    EXPECT_EQ(got->unit, model.unit);
    EXPECT_EQ(got->text_sealed, model.text_sealed);
    EXPECT_EQ(got->submitted_at_ms, c.appeal.submitted_at_ms);
    EXPECT_EQ(got->accept_due_ms, model.accept_due_ms);
    EXPECT_EQ(got->version, 1);
    std::vector<TimelineEntry> timeline = *env.store->Timeline(c.appeal.id);
    ASSERT_EQ(timeline.size(), 1u) << i;
    EXPECT_EQ(timeline[0].id, c.entry.id);
    EXPECT_EQ(timeline[0].action, entries[0].action);
    EXPECT_EQ(timeline[0].to, entries[0].to);
    EXPECT_EQ(timeline[0].details, entries[0].details);
  }
  auto facts = env.store->LoadFacts(FactsQuery{{kVillage}, 0, env.Now() + 1000});
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->size(), 251u);

  // A change that needs more than two rows is refused before anything is written.
  Change with_deadline = changes[0];
  with_deadline.appeal.id += 5000;
  with_deadline.entry.id += 5000;
  with_deadline.entry.appeal_id = with_deadline.appeal.id;
  with_deadline.deadline = DeadlineKey{with_deadline.appeal.id, DeadlineKind::kAccept, 1, env.Now()};
  EXPECT_EQ(env.store->InsertMany(std::vector<Change>{with_deadline}).code(), Code::kInternal);
  EXPECT_FALSE(env.store->Get(with_deadline.appeal.id)->has_value());
}

TEST(SqlAppealStore, TheSweepQueriesUseTheirIndexes) {
  AppealTestEnv env;
  if (env.db().dialect() != storage::Dialect::kSqlite)
    GTEST_SKIP() << "reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner picks by table statistics";
  env.Submit();
  const char* checks[][2] = {
      {"SELECT a.id FROM appeals_appeals a WHERE a.accept_due_ms IS NOT NULL AND a.accept_due_ms <= $1", "appeals_accept_due"},
      {"SELECT a.id FROM appeals_appeals a WHERE a.answer_due_ms IS NOT NULL AND a.state IN ('accepted', 'in_progress') "
       "AND a.answer_due_ms <= $1",
       "appeals_answer_due"},
      {"SELECT a.id FROM appeals_appeals a WHERE a.rating_due_ms IS NOT NULL AND a.rating_due_ms <= $1", "appeals_rating_due"},
  };
  for (const auto& c : checks) {
    std::string plan = Plan(env, c[0], {int64_t{5}});
    EXPECT_NE(plan.find(c[1]), std::string::npos) << plan;
  }
}

// The statements the store really runs (not copies): the rates read the covering index alone, for
// a county as for a village, and the open-appeal count at every submission reads only the
// submitter's index entries. Before, the count scanned the whole table and the rates looked up
// every row in the table, a second random read per appeal.
TEST(SqlAppealStore, TheRatesAndTheOpenCountUseTheirIndexesOnly) {
  AppealTestEnv env;
  if (env.db().dialect() != storage::Dialect::kSqlite)
    GTEST_SKIP() << "reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner picks by table statistics";
  env.Submit();
  for (const char* scope : {kCounty, kTownship, kVillage}) {
    std::optional<StoreStatement> facts = FactsStatement(FactsQuery{{scope}, 0, env.Now() + 1});
    ASSERT_TRUE(facts);
    std::string plan = Plan(env, facts->sql, facts->params);
    EXPECT_NE(plan.find("COVERING INDEX appeals_rates"), std::string::npos) << scope << ":\n" << plan;
  }
  EXPECT_FALSE(FactsStatement(FactsQuery{{}, 0, 1}));
  StoreStatement by_account = CountOpenStatement(kVillager, 0);
  std::string plan = Plan(env, by_account.sql, by_account.params);
  EXPECT_NE(plan.find("COVERING INDEX appeals_open_by_submitter"), std::string::npos) << plan;
  StoreStatement by_resident = CountOpenStatement(0, kNoAccountResident);
  plan = Plan(env, by_resident.sql, by_resident.params);
  EXPECT_NE(plan.find("COVERING INDEX appeals_open_by_resident"), std::string::npos) << plan;
}

// The service streams the facts (ForEachFact) into RatesAccumulator; the figures are those of
// ComputeRates over the loaded facts (metrics_test checks ComputeRates by hand), for every grouping.
TEST(SqlAppealStore, StreamedRatesEqualTheRatesOfTheLoadedFacts) {
  AppealTestEnv env;
  std::vector<Appeal> appeals;
  for (int i = 0; i < 6; ++i) appeals.push_back(env.Submit());
  appeals.push_back(env.Submit(env.Who(kSiblingVillager), env.Request("邻村的井水浑浊", "water_supply")));
  env.Must(env.Who(kCadre), appeals[0].id, Action::kAccept);
  env.Must(env.Who(kCadre), appeals[0].id, Action::kStart);
  env.Must(env.Who(kCadre), appeals[0].id, Action::kAnswer, "已修好");
  env.Must(env.Who(kVillager), appeals[0].id, Action::kRate, "", std::nullopt, Rating::kSatisfied, true);
  env.Must(env.Who(kCadre), appeals[1].id, Action::kAccept);
  env.Must(env.Who(kCadre), appeals[1].id, Action::kStart);
  env.Must(env.Who(kCadre), appeals[1].id, Action::kAnswer, "已处理");
  env.Must(env.Who(kVillager), appeals[1].id, Action::kRate, "", std::nullopt, Rating::kDissatisfied, false);
  env.Must(env.Who(kCadre), appeals[2].id, Action::kReject, "不属于受理范围");
  env.Must(env.Who(kVillager), appeals[3].id, Action::kWithdraw);
  env.Advance(std::chrono::hours(30));
  ASSERT_GT(env.sweeper->RunOnce()->escalated, 0);

  const FactsQuery q{{kCounty}, 0, env.Now() + 1};
  auto facts = env.store->LoadFacts(q);
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), appeals.size());
  for (GroupBy g : {GroupBy::kVillage, GroupBy::kTownship, GroupBy::kCounty, GroupBy::kUnit}) {
    auto streamed = env.service->Rates(q, g);
    ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
    std::vector<GroupRates> expected = ComputeRates(*facts, g, env.Now());
    ASSERT_EQ(streamed->size(), expected.size()) << GroupByCode(g);
    for (size_t i = 0; i < expected.size(); ++i) {
      const GroupRates& a = (*streamed)[i];
      const GroupRates& b = expected[i];
      EXPECT_EQ(a.key, b.key);
      EXPECT_EQ(std::tie(a.submitted, a.open, a.awaiting_rating, a.closed, a.rejected, a.withdrawn, a.escalated_ever, a.overdue),
                std::tie(b.submitted, b.open, b.awaiting_rating, b.closed, b.rejected, b.withdrawn, b.escalated_ever, b.overdue))
          << GroupByCode(g) << " " << a.key;
      EXPECT_EQ(a.response, b.response);
      EXPECT_EQ(a.resolution, b.resolution);
      EXPECT_EQ(a.satisfaction, b.satisfaction);
      EXPECT_EQ(a.reopen, b.reopen);
      EXPECT_EQ(a.time_to_answer, b.time_to_answer);
    }
  }
  // A callback's error stops the stream and is returned.
  int seen = 0;
  Status stopped = env.store->ForEachFact(q, [&](const AppealFacts&) { return ++seen == 2 ? Aborted("test/stop") : Status::Ok(); });
  EXPECT_EQ(stopped.slug(), "test/stop");
  EXPECT_EQ(seen, 2);
}

TEST(SqlAppealStore, ListDueSeesOnlyUnhandledDeadlinesOfTheCurrentRound) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  EXPECT_TRUE(env.store->ListDue(env.Now(), 100)->empty());
  env.Advance(std::chrono::hours(24));
  auto due = env.store->ListDue(env.Now(), 100);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->at(0), (DeadlineKey{a.id, DeadlineKind::kAccept, 1, a.first_accept_due_ms}));
  ASSERT_EQ(env.sweeper->RunOnce()->escalated, 1);
  EXPECT_TRUE(env.store->ListDue(env.Now(), 100)->empty());
  env.Advance(std::chrono::hours(24));
  due = env.store->ListDue(env.Now(), 100);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->at(0).round, 2);
}

TEST(SqlAppealStore, WritesAreRefusedCleanly) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  // The same id twice.
  Change dup;
  dup.appeal = *env.service->Get(a.id);
  dup.entry.id = crypto::NewRowId(env.Now());
  dup.entry.appeal_id = a.id;
  dup.entry.seq = 1;
  dup.entry.capacity = "submitter";
  dup.entry.action = "submit";
  dup.audit.action = "appeals.submit";
  EXPECT_EQ(env.store->Insert(dup).slug(), "storage/conflict");
  // An update of an appeal that does not exist.
  Change missing = dup;
  missing.appeal.id = 12345;
  missing.appeal.version = 2;
  missing.expected_version = 1;
  missing.entry.seq = 2;
  missing.entry.action = "accept";
  missing.entry.from = AppealState::kSubmitted;
  EXPECT_EQ(env.store->Update(missing).slug(), "appeals/appeal-not-found");
  // Version and seq must follow each other (a bug in the caller, refused before any SQL).
  Change skipped = missing;
  skipped.appeal.id = a.id;
  skipped.appeal.version = 3;
  EXPECT_EQ(env.store->Update(skipped).code(), Code::kInternal);
  EXPECT_EQ(env.Count("SELECT COUNT(*) FROM appeals_timeline"), 1);
}

TEST(SqlAppealStore, SealedColumnsRefusePlaintext) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  // A text bind where an envelope belongs: refused by the CHECK on typeof().
  EXPECT_FALSE(env.Exec("UPDATE appeals_appeals SET text_sealed = $2, version = version + 1 WHERE id = $1",
                        {a.id, std::string(100, 'x')})
                   .ok());
  EXPECT_FALSE(env.Exec("UPDATE appeals_appeals SET text_sealed = $2, version = version + 1 WHERE id = $1",
                        {a.id, storage::Blob{"short"}})
                   .ok());
  EXPECT_FALSE(env.Exec("INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, "
                        "consent_id, capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES "
                        "(1, $1, 2, 0, 301, 0, 0, 'handler', 'note', 'submitted', 'submitted', 'public', $2, '')",
                        {a.id, std::string(60, 'x')})
                   .ok());
  // Internal visibility only on notes; a system entry has no actor and a person's entry has one.
  EXPECT_FALSE(env.Exec("INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, "
                        "consent_id, capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES "
                        "(2, $1, 2, 0, 301, 0, 0, 'handler', 'accept', 'submitted', 'accepted', 'internal', NULL, '')",
                        {a.id})
                   .ok());
  EXPECT_FALSE(env.Exec("INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, "
                        "consent_id, capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES "
                        "(3, $1, 2, 0, 301, 0, 0, 'system', 'escalate', 'submitted', 'escalated', 'public', NULL, '')",
                        {a.id})
                   .ok());
  // Control: a well-formed entry passes (seq 2 is free).
  EXPECT_TRUE(env.Exec("INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, "
                       "consent_id, capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES "
                       "(4, $1, 2, 0, 301, 0, 0, 'handler', 'note', 'submitted', 'submitted', 'internal', NULL, '')",
                       {a.id})
                  .ok());
  // ... and a second entry with that seq does not.
  EXPECT_FALSE(env.Exec("INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, "
                        "consent_id, capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES "
                        "(5, $1, 2, 0, 301, 0, 0, 'handler', 'note', 'submitted', 'submitted', 'internal', NULL, '')",
                        {a.id})
                   .ok());
}

TEST(SqlAppealStore, InboxReachIsByLevelAndSubtree) {
  AppealTestEnv env;
  Appeal a = env.Submit();
  Appeal b = env.Submit(env.Who(kSiblingVillager), env.Request("马家渡村道路塌方", "roads"));
  env.Must(env.Who(kCadre), a.id, Action::kTransfer, "请县里处理", CountyUnitOf(kVillage));
  auto list = [&](InboxReach reach) {
    InboxQuery q;
    q.reach = std::move(reach);
    auto r = env.store->ListInbox(q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->size() : 0u;
  };
  InboxReach county;
  county.units = {{UnitLevel::kCounty, kCounty}};
  EXPECT_EQ(list(county), 1u);  // the transfer, not the villages' entries
  InboxReach villages_of_township;
  villages_of_township.units = {{UnitLevel::kVillage, kTownship}};  // a cadre with a township-wide grant
  EXPECT_EQ(list(villages_of_township), 2u);
  InboxReach one_village;
  one_village.units = {{UnitLevel::kVillage, kSibling}};
  EXPECT_EQ(list(one_village), 1u);
  InboxReach garbage;
  garbage.units = {{UnitLevel::kVillage, "4201x"}};
  garbage.supervised = {"not a code"};
  EXPECT_EQ(list(garbage), 0u);
  (void)b;
}

TEST(SqlAppealStore, DeadlineRulesAreReplacedNotDuplicated) {
  AppealTestEnv env;
  access::AuditEvent e;
  e.action = "appeals.set_deadline";
  ASSERT_TRUE(env.store->PutDeadlineRule({kCounty, "roads", {kHourMs, kDayMs}, 401, 1}, e, 1).ok());
  ASSERT_TRUE(env.store->PutDeadlineRule({kCounty, "roads", {2 * kHourMs, 2 * kDayMs}, 401, 2}, e, 2).ok());
  auto rules = env.store->DeadlineRules({kCounty, kVillage});
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ(rules->at(0).durations, (DeadlineDurations{2 * kHourMs, 2 * kDayMs}));
  EXPECT_EQ(rules->at(0).set_at_ms, 2);
  EXPECT_EQ(env.AuditRows("appeals.set_deadline"), 2);
  // The table's own bounds hold even around the service.
  EXPECT_FALSE(env.Exec("INSERT INTO appeals_deadline_rules VALUES ('420114001000', 'roads', 60000, 86400000, 1, 0)").ok());
  EXPECT_FALSE(env.Exec("INSERT INTO appeals_deadline_rules VALUES ('420114001000', 'roads', 86400000, 3600000, 1, 0)").ok());
  e.action = "appeals.clear_deadline";
  EXPECT_EQ(env.store->DeleteDeadlineRule(kVillage, "roads", e, 3).slug(), "appeals/deadline-rule-not-found");
  ASSERT_TRUE(env.store->DeleteDeadlineRule(kCounty, "roads", e, 3).ok());
  EXPECT_TRUE(env.store->DeadlineRules({kCounty})->empty());
}

}  // namespace
}  // namespace gz::appeals
