// Migration appeals/2 on SQLite (the Open311 channel): it rebuilds the four appeals tables, so it
// must carry every row over, leave every index and trigger of appeals/1 exactly as it was, keep
// the foreign keys, and add only what Open311 needs (client_id, the channel, the capacity).
#include <gtest/gtest.h>

#include <map>

#include "core/clock.h"
#include "modules/appeals/sql/appeal_migrations.h"
#include "modules/appeals/sql/sql_appeal_store.h"
#include "modules/audit/sql/audit_migrations.h"
#include "storage/migrate.h"
#include "storage/sqlite/testing.h"

namespace gz::appeals {
namespace {

using storage::Params;
using storage::ResultSet;
using storage::Tx;

class AppealMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    for (const auto& m : audit::AuditMigrations()) upto1_.push_back(m);
    all_ = upto1_;
    ASSERT_GE(AppealMigrations().size(), 2u);
    upto1_.push_back(AppealMigrations()[0]);
    // Up to appeals/2 only: later versions add their own objects (appeals/3: supporters).
    all_.push_back(AppealMigrations()[0]);
    all_.push_back(AppealMigrations()[1]);
  }

  Status Exec(std::string_view sql, const Params& p = {}) {
    return db_->Write([&](Tx& tx) -> Status { return tx.Exec(sql, p).status(); });
  }
  int64_t Count(std::string_view sql, const Params& p = {}) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                  GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query(sql, p));
                  n = rs.rows.front().Int(0);
                  return Status::Ok();
                }).ok());
    return n;
  }
  // name -> "type|table|sql" of every appeals index and trigger (and the tables named).
  std::map<std::string, std::string> Schema(bool tables) {
    std::map<std::string, std::string> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                  GZ_ASSIGN_OR_RETURN(ResultSet rs, tx.Query("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                                             "WHERE name LIKE 'appeals%' ORDER BY name"));
                  for (const auto& row : rs.rows) {
                    if (row.Text(0) == "table" && !tables) continue;
                    out[row.Text(1)] = row.Text(0) + "|" + row.Text(2) + "|" + (row.IsNull(3) ? "" : row.Text(3));
                  }
                  return Status::Ok();
                }).ok());
    return out;
  }

  // One appeal with a timeline entry, an inbox entry and a deadline event, written the way
  // appeals/1 stored them.
  void WriteVersion1Rows() {
    ASSERT_TRUE(Exec("INSERT INTO appeals_appeals (id, county_code, village_code, submitter_account, submitter_resident, "
                     "recorded_by, consent_id, channel, category, unit_level, unit_division, unit_department, state, "
                     "anonymous_to_public, text_sealed, reopen_count, contest_count, escalation_count, accept_due_ms, "
                     "accept_round, answer_due_ms, answer_round, first_accept_due_ms, first_answer_due_ms, "
                     "submitted_at_ms, updated_at_ms, version) VALUES (1001, '420114', '420114001205', 101, 9101, 101, "
                     "0, 'self', 'street_lights', 'village', '420114001205', '', 'submitted', 1, randomblob(64), 0, 0, "
                     "0, 2000, 1, 3000, 1, 2000, 3000, 1000, 1000, 1)")
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, "
                     "consent_id, capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES "
                     "(5001, 1001, 1, 1000, 101, 0, 0, 'submitter', 'submit', NULL, 'submitted', 'public', NULL, "
                     "'{\"category\":\"street_lights\"}')")
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO appeals_inbox (id, recipient_kind, recipient_account, unit_level, division, appeal_id, "
                     "village_code, kind, created_at_ms, read_at_ms, read_by) VALUES (6001, 'unit', 0, 'village', "
                     "'420114001205', 1001, '420114001205', 'submit', 1000, NULL, 0)")
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO appeals_deadline_events (appeal_id, kind, deadline_round, due_ms, fired_at_ms, "
                     "timeline_seq) VALUES (1001, 'accept', 1, 2000, 2500, 2)")
                    .ok());
  }

  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
  std::vector<storage::Migration> upto1_, all_;
};

TEST_F(AppealMigrationTest, CarriesEveryRowOverAndKeepsEveryIndexAndTrigger) {
  ASSERT_TRUE(storage::ApplyMigrations(*db_, upto1_, clock_).ok());
  WriteVersion1Rows();
  const std::map<std::string, std::string> before = Schema(false);
  const std::map<std::string, std::string> tables_before = Schema(true);
  ASSERT_EQ(before.count("appeals_appeals_lifecycle_only"), 1u);

  int applied = 0;
  Status migrated = storage::ApplyMigrations(*db_, all_, clock_, &applied);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(applied, 1);

  std::map<std::string, std::string> after = Schema(false);
  ASSERT_EQ(after.count("appeals_appeals_client_fixed"), 1u);
  after.erase("appeals_appeals_client_fixed");
  EXPECT_EQ(after, before) << "appeals/2 must recreate the indexes and triggers of appeals/1 exactly";
  // The tables that needed no change are the same text too; nothing is left of the old copies.
  const std::map<std::string, std::string> tables_after = Schema(true);
  EXPECT_EQ(tables_after.at("appeals_inbox"), tables_before.at("appeals_inbox"));
  EXPECT_EQ(tables_after.at("appeals_deadline_events"), tables_before.at("appeals_deadline_events"));
  EXPECT_EQ(tables_after.at("appeals_deadline_rules"), tables_before.at("appeals_deadline_rules"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sqlite_schema WHERE name LIKE 'appeals_v1%'"), 0);
  for (const auto& [name, text] : tables_after)
    EXPECT_EQ(text.find("appeals_v1"), std::string::npos) << name << ": " << text;

  // The rows, with client_id 0, readable by the store.
  SqlAppealStore store(*db_);
  Result<std::optional<Appeal>> a = store.Get(1001);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->channel, Channel::kSelf);
  EXPECT_EQ((*a)->client_id, 0);
  EXPECT_EQ((*a)->submitter_resident, 9101);
  EXPECT_TRUE((*a)->anonymous_to_public);
  auto timeline = store.Timeline(1001);
  ASSERT_TRUE(timeline.ok());
  ASSERT_EQ(timeline->size(), 1u);
  EXPECT_EQ(timeline->front().details, "{\"category\":\"street_lights\"}");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals_inbox WHERE appeal_id = 1001"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals_deadline_events WHERE appeal_id = 1001"), 1);
}

TEST_F(AppealMigrationTest, TheRebuiltTablesStillRefuseWhatTheyRefused) {
  ASSERT_TRUE(storage::ApplyMigrations(*db_, upto1_, clock_).ok());
  WriteVersion1Rows();
  ASSERT_TRUE(storage::ApplyMigrations(*db_, all_, clock_).ok());

  // Foreign keys: none dangles, and a child of a missing appeal is refused.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_FALSE(Exec("INSERT INTO appeals_inbox (id, recipient_kind, recipient_account, unit_level, division, appeal_id, "
                    "village_code, kind, created_at_ms, read_at_ms, read_by) VALUES (6002, 'unit', 0, 'village', "
                    "'420114001205', 999, '420114001205', 'submit', 1000, NULL, 0)")
                   .ok());
  // The triggers of appeals/1.
  EXPECT_FALSE(Exec("DELETE FROM appeals_appeals WHERE id = 1001").ok());
  EXPECT_FALSE(Exec("UPDATE appeals_appeals SET category = 'water_supply' WHERE id = 1001").ok());
  EXPECT_FALSE(Exec("UPDATE appeals_timeline SET details = '' WHERE id = 5001").ok());
  EXPECT_FALSE(Exec("DELETE FROM appeals_deadline_events WHERE appeal_id = 1001").ok());
  EXPECT_FALSE(Exec("DELETE FROM appeals_inbox WHERE id = 6001").ok());
  // The new one: nobody re-attributes an appeal, not even with a proper version step.
  EXPECT_FALSE(Exec("UPDATE appeals_appeals SET client_id = 7, channel = 'open311', version = 2 WHERE id = 1001").ok());
  EXPECT_TRUE(Exec("UPDATE appeals_appeals SET category = 'water_supply', version = 2 WHERE id = 1001").ok());

  // The channel and the client go together; only an Open311 appeal lacks recorded_by; only a
  // client's or the system's entry lacks an actor.
  const std::string insert =
      "INSERT INTO appeals_appeals (id, county_code, village_code, submitter_account, submitter_resident, recorded_by, "
      "consent_id, channel, category, unit_level, unit_division, unit_department, state, anonymous_to_public, "
      "text_sealed, reopen_count, contest_count, escalation_count, accept_due_ms, accept_round, answer_due_ms, "
      "answer_round, first_accept_due_ms, first_answer_due_ms, submitted_at_ms, updated_at_ms, version, client_id) "
      "VALUES ($1, '420114', '420114001205', 101, 0, $2, 0, $3, 'street_lights', 'village', '420114001205', '', "
      "'submitted', 0, randomblob(64), 0, 0, 0, 2000, 1, 3000, 1, 2000, 3000, 1000, 1000, 1, $4)";
  EXPECT_FALSE(Exec(insert, {int64_t{1002}, int64_t{0}, std::string("open311"), int64_t{0}}).ok());
  EXPECT_FALSE(Exec(insert, {int64_t{1002}, int64_t{0}, std::string("self"), int64_t{0}}).ok());
  EXPECT_FALSE(Exec(insert, {int64_t{1002}, int64_t{101}, std::string("self"), int64_t{7}}).ok());
  EXPECT_TRUE(Exec(insert, {int64_t{1002}, int64_t{0}, std::string("open311"), int64_t{7}}).ok());
  const std::string entry =
      "INSERT INTO appeals_timeline (id, appeal_id, seq, at_ms, actor_account, acting_for_account, consent_id, "
      "capacity, action, from_state, to_state, visibility, note_sealed, details) VALUES ($1, 1002, $2, 1000, $3, 101, "
      "0, $4, 'submit', NULL, 'submitted', 'public', NULL, '')";
  EXPECT_FALSE(Exec(entry, {int64_t{5002}, int64_t{1}, int64_t{101}, std::string("client")}).ok());
  EXPECT_FALSE(Exec(entry, {int64_t{5002}, int64_t{1}, int64_t{0}, std::string("submitter")}).ok());
  EXPECT_FALSE(Exec(entry, {int64_t{5002}, int64_t{1}, int64_t{0}, std::string("robot")}).ok());
  EXPECT_TRUE(Exec(entry, {int64_t{5002}, int64_t{1}, int64_t{0}, std::string("client")}).ok());
}

}  // namespace
}  // namespace gz::appeals
