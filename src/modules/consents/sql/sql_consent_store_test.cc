// SqlConsentStore on SQLite: the hot-path query and its index, the merge rule of the port, and
// the schema's own refusals (a consent is never edited, evidence is never plaintext).
#include "modules/consents/sql/sql_consent_store.h"

#include <gtest/gtest.h>

#include "modules/consents/testing/consent_test_env.h"

namespace gz::consents {
namespace {

using testing::ConsentTestEnv;

Status Exec(storage::Db& db, std::string_view sql, const storage::Params& params = {}) {
  return db.Write([&](storage::Tx& tx) -> Status { return tx.Exec(sql, params).status(); });
}

// A consent row written straight into the table (around the service's overlap rule).
Status InsertRaw(storage::Db& db, int64_t id, std::string_view actions, int64_t from, int64_t until) {
  return Exec(db,
              "INSERT INTO consents_consents (id, villager_account, helper_account, village_code, actions, "
              "valid_from_ms, valid_until_ms, method, recorded_by, recorded_at_ms) "
              "VALUES ($1, 101, 201, '420114001205', $2, $3, $4, 'in_app', 101, $3)",
              {id, std::string(actions), from, until});
}

TEST(SqlConsentStore, FindActiveIsOneIndexedQuery) {
  ConsentTestEnv env;
  if (env.db().dialect() != storage::Dialect::kSqlite)
    GTEST_SKIP() << "reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner picks by table statistics";
  std::string plan;
  ASSERT_TRUE(env.db()
                  .Read([&](storage::Tx& tx) -> Status {
                    GZ_ASSIGN_OR_RETURN(
                        storage::ResultSet rs,
                        tx.Query("EXPLAIN QUERY PLAN SELECT id, actions FROM consents_consents WHERE helper_account = $1 "
                                 "AND villager_account = $2 AND revoked_at_ms IS NULL AND valid_until_ms > $3 "
                                 "AND valid_from_ms <= $3 ORDER BY id DESC",
                                 {int64_t{201}, int64_t{101}, int64_t{5}}));
                    for (const auto& row : rs.rows) plan += row.Text(row.size() - 1) + "\n";
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_NE(plan.find("USING INDEX consents_active_pair"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN consents_consents\n"), std::string::npos) << plan;
}

TEST(SqlConsentStore, FindActiveMergesOverlappingRowsUnderTheNewestId) {
  ConsentTestEnv env;
  ASSERT_TRUE(InsertRaw(env.db(), 10, "me.read", 1000, 5000).ok());
  ASSERT_TRUE(InsertRaw(env.db(), 11, "me.read residents.read", 2000, 6000).ok());
  ASSERT_TRUE(InsertRaw(env.db(), 12, "residents.reveal", 7000, 9000).ok());  // later, not active at 3000
  auto at = [&](int64_t now) {
    auto a = env.store->FindActive(201, 101, now);
    EXPECT_TRUE(a.ok());
    return *a;
  };
  auto both = at(3000);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->id, 11);
  EXPECT_EQ(both->actions, (std::vector<std::string>{"me.read", "residents.read"}));
  EXPECT_EQ(at(1500)->id, 10);
  EXPECT_FALSE(at(999));
  EXPECT_FALSE(at(6500));
  EXPECT_EQ(at(8999)->actions, (std::vector<std::string>{"residents.reveal"}));
  ASSERT_TRUE(Exec(env.db(), "UPDATE consents_consents SET revoked_at_ms = 1, revoked_by = 101 WHERE id = 11").ok());
  EXPECT_EQ(at(3000)->id, 10);
}

TEST(SqlConsentStore, AConsentIsNeverEditedOnlyRevokedOnce) {
  ConsentTestEnv env;
  ASSERT_TRUE(InsertRaw(env.db(), 20, "me.read", 1000, 5000).ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_consents SET actions = 'me.read residents.reveal' WHERE id = 20").ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_consents SET valid_until_ms = 9999 WHERE id = 20").ok());
  EXPECT_FALSE(Exec(env.db(), "DELETE FROM consents_consents WHERE id = 20").ok());
  // Revoking is the one change; and it cannot be undone or redone.
  ASSERT_TRUE(Exec(env.db(), "UPDATE consents_consents SET revoked_at_ms = 3000, revoked_by = 101 WHERE id = 20").ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_consents SET revoked_at_ms = NULL, revoked_by = NULL WHERE id = 20").ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_consents SET revoked_at_ms = 4000 WHERE id = 20").ok());
  // And a revocation that also edits something else is refused.
  ASSERT_TRUE(InsertRaw(env.db(), 21, "me.read", 6000, 8000).ok());
  EXPECT_FALSE(Exec(env.db(),
                    "UPDATE consents_consents SET revoked_at_ms = 7000, revoked_by = 101, helper_account = 202 "
                    "WHERE id = 21")
                   .ok());
}

TEST(SqlConsentStore, TheSchemaRestatesTheRules) {
  ConsentTestEnv env;
  // Longer than 366 days.
  EXPECT_FALSE(InsertRaw(env.db(), 30, "me.read", 0, 31622400001).ok());
  EXPECT_TRUE(InsertRaw(env.db(), 31, "me.read", 0, 31622400000).ok());
  // In-person without its evidence facts; phone call without a call time; unknown method.
  for (const char* method : {"in_person_signature", "phone_call", "carrier_pigeon"}) {
    EXPECT_FALSE(Exec(env.db(),
                      "INSERT INTO consents_consents (id, villager_account, helper_account, village_code, actions, "
                      "valid_from_ms, valid_until_ms, method, recorded_by, recorded_at_ms) "
                      "VALUES (32, 101, 201, '420114001205', 'me.read', 1, 2, $1, 101, 1)",
                      {std::string(method)})
                     .ok())
        << method;
  }
  // Plaintext evidence (a TEXT bind, or too short to be an envelope) is refused.
  EXPECT_FALSE(Exec(env.db(), "INSERT INTO consents_evidence (consent_id, kind, content_sealed) VALUES (31, 'image', $1)",
                    {std::string(100, 'x')})
                   .ok());
  EXPECT_FALSE(Exec(env.db(), "INSERT INTO consents_evidence (consent_id, kind, content_sealed) VALUES (31, 'image', $1)",
                    {storage::Blob{"short"}})
                   .ok());
  // Same account on both sides.
  EXPECT_FALSE(Exec(env.db(),
                    "INSERT INTO consents_consents (id, villager_account, helper_account, village_code, actions, "
                    "valid_from_ms, valid_until_ms, method, recorded_by, recorded_at_ms) "
                    "VALUES (33, 101, 101, '420114001205', 'me.read', 1, 2, 'in_app', 101, 1)")
                   .ok());
}

TEST(SqlConsentStore, DatabaseFileHoldsNoPlaintextEvidence) {
  ConsentTestEnv env;
  const std::string attestation = "CANARY-attestation-7f3a 村民张某电话同意";
  GrantRequest r = env.InApp(101, 201);
  r.method = Method::kPhoneCall;
  r.attestation = attestation;
  auto c = env.service->Grant(env.Who(201), r);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  bool found = false;
  ASSERT_TRUE(env.db()
                  .Read([&](storage::Tx& tx) -> Status {
                    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT * FROM consents_evidence"));
                    for (const auto& row : rs.rows)
                      for (size_t i = 0; i < row.size(); ++i) found |= row.Text(i).find("CANARY") != std::string::npos;
                    GZ_ASSIGN_OR_RETURN(storage::ResultSet cs, tx.Query("SELECT * FROM consents_consents"));
                    for (const auto& row : cs.rows)
                      for (size_t i = 0; i < row.size(); ++i) found |= row.Text(i).find("CANARY") != std::string::npos;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(found);
}

}  // namespace
}  // namespace gz::consents

namespace gz::consents {
namespace {

// Version 2 rebuilds consents_consents (SQLite cannot change a CHECK): a store made by version 1,
// with consents, evidence and a revocation, comes out with every row, its foreign keys and its
// guards intact.
TEST(SqlConsentStore, TheSmsMigrationKeepsEveryRowAndGuard) {
  ASSERT_TRUE(crypto::Initialize().ok());
  auto opened = storage::sqlite::OpenTemporarySqliteForTest();
  ASSERT_TRUE(opened.ok());
  storage::Db& db = **opened;
  FakeClock clock;
  std::vector<storage::Migration> v1;
  for (const auto& m : audit::AuditMigrations()) v1.push_back(m);
  v1.push_back(ConsentMigrations().at(0));
  ASSERT_TRUE(storage::ApplyMigrations(db, v1, clock).ok());
  ASSERT_TRUE(InsertRaw(db, 40, "me.read", 0, 1000).ok());
  ASSERT_TRUE(Exec(db,
                   "INSERT INTO consents_consents (id, villager_account, helper_account, village_code, actions, "
                   "valid_from_ms, valid_until_ms, method, evidence_sha256, evidence_media_type, evidence_bytes, "
                   "recorded_by, recorded_at_ms) VALUES (41, 102, 201, '420114001205', 'me.read', 0, 1000, "
                   "'in_person_signature', $1, 'image/png', 10, 201, 0)",
                   {std::string(64, 'a')})
                  .ok());
  ASSERT_TRUE(Exec(db, "INSERT INTO consents_evidence (consent_id, kind, content_sealed) VALUES (41, 'image', $1)",
                   {storage::Blob{std::string(50, 'x')}})
                  .ok());
  ASSERT_TRUE(Exec(db, "UPDATE consents_consents SET revoked_at_ms = 5, revoked_by = 101 WHERE id = 40").ok());

  std::vector<storage::Migration> all = v1;
  all.push_back(ConsentMigrations().at(1));
  int applied = 0;
  Status migrated = storage::ApplyMigrations(db, all, clock, &applied);
  ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  EXPECT_EQ(applied, 1);

  SqlConsentStore store(db);
  auto revoked = store.Get(40);
  ASSERT_TRUE(revoked.ok() && revoked->has_value());
  EXPECT_EQ((*revoked)->revoked_at_ms, 5);
  auto in_person = store.Get(41);
  ASSERT_TRUE(in_person.ok() && in_person->has_value());
  ASSERT_TRUE((*in_person)->evidence);
  auto evidence = store.GetEvidence(41);
  ASSERT_TRUE(evidence.ok() && evidence->has_value());
  EXPECT_EQ((*evidence)->sealed, std::string(50, 'x'));
  // The guards came back: no edit, no delete, no orphan evidence; sms_code is now a method.
  EXPECT_FALSE(Exec(db, "UPDATE consents_consents SET actions = 'x' WHERE id = 41").ok());
  EXPECT_FALSE(Exec(db, "DELETE FROM consents_consents WHERE id = 41").ok());
  EXPECT_FALSE(Exec(db, "UPDATE consents_evidence SET kind = 'attestation'").ok());
  EXPECT_FALSE(Exec(db, "INSERT INTO consents_evidence (consent_id, kind, content_sealed) VALUES (999, 'image', $1)",
                    {storage::Blob{std::string(50, 'x')}})
                   .ok());
  EXPECT_TRUE(Exec(db,
                   "INSERT INTO consents_consents (id, villager_account, helper_account, village_code, actions, "
                   "valid_from_ms, valid_until_ms, method, recorded_by, recorded_at_ms) "
                   "VALUES (42, 101, 202, '420114001205', 'me.read', 1, 2, 'sms_code', 202, 1)")
                  .ok());
  auto active = store.FindActive(201, 102, 500);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->has_value());
}

// A challenge only counts wrong tries, one at a time, and is used once; it is never deleted.
TEST(SqlConsentStore, ChallengeRowsOnlyCountTriesAndAreUsedOnce) {
  ConsentTestEnv env;
  const std::string index(34, 'i');
  ASSERT_TRUE(Exec(env.db(),
                   "INSERT INTO consents_sms_challenges (id, villager_account, helper_account, village_code, actions, "
                   "valid_from_ms, valid_until_ms, code_index, attempts, requested_by, requested_at_ms, expires_at_ms) "
                   "VALUES (50, 101, 201, '420114001205', 'me.read', 0, 1000, $1, 0, 201, 0, 600000)",
                   {storage::Blob{index}})
                  .ok());
  EXPECT_TRUE(Exec(env.db(), "UPDATE consents_sms_challenges SET attempts = 1 WHERE id = 50").ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_sms_challenges SET attempts = 0 WHERE id = 50").ok()) << "no reset";
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_sms_challenges SET attempts = 3 WHERE id = 50").ok()) << "one at a time";
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_sms_challenges SET expires_at_ms = 9999999 WHERE id = 50").ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_sms_challenges SET code_index = $1 WHERE id = 50",
                    {storage::Blob{std::string(34, 'j')}})
                   .ok());
  EXPECT_FALSE(Exec(env.db(), "DELETE FROM consents_sms_challenges WHERE id = 50").ok());
  ASSERT_TRUE(InsertRaw(env.db(), 51, "me.read", 0, 1000).ok());
  EXPECT_TRUE(Exec(env.db(), "UPDATE consents_sms_challenges SET consent_id = 51 WHERE id = 50").ok());
  EXPECT_FALSE(Exec(env.db(), "UPDATE consents_sms_challenges SET attempts = 2 WHERE id = 50").ok()) << "used: frozen";
}

}  // namespace
}  // namespace gz::consents
