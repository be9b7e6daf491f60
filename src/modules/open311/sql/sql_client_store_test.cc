// SqlClientStore on SQLite: round trips, the schema's own refusals (a client changes only by its
// revocation, once; nothing is deleted; tokens never change), and the lookups' indexes.
#include "modules/open311/sql/sql_client_store.h"

#include <gtest/gtest.h>

#include "modules/open311/problems.h"
#include "modules/open311/testing/open311_test_env.h"

namespace gz::open311 {
namespace {

using testing::Open311TestEnv;

std::string Plan(Open311TestEnv& env, const std::string& sql, const storage::Params& params) {
  std::string plan;
  Status s = env.appeals.db().Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("EXPLAIN QUERY PLAN " + sql, params));
    for (const auto& row : rs.rows) plan += row.Text(row.size() - 1) + "\n";
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return plan;
}

TEST(SqlClientStore, RoundTripsAndFindsByKeyHash) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  auto got = env.store->Get(c.client.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, c.client);
  auto by_hash = env.store->FindByKeyHash(KeyHash(c.key));
  ASSERT_TRUE(by_hash.ok() && by_hash->has_value());
  EXPECT_EQ((*by_hash)->id, c.client.id);
  EXPECT_FALSE(env.store->FindByKeyHash(KeyHash("other"))->has_value());
  EXPECT_FALSE(env.store->Get(1)->has_value());
}

TEST(SqlClientStore, TheSchemaAllowsOnlyOneRevocationAndNoDeletion) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  const storage::Params id = {c.client.id};
  EXPECT_FALSE(env.appeals.Exec("UPDATE open311_clients SET name = 'x' WHERE id = $1", id).ok());
  EXPECT_FALSE(env.appeals.Exec("UPDATE open311_clients SET scope_code = '420114000000' WHERE id = $1", id).ok());
  EXPECT_FALSE(env.appeals.Exec("UPDATE open311_clients SET key_hash = randomblob(32) WHERE id = $1", id).ok());
  EXPECT_FALSE(env.appeals.Exec("DELETE FROM open311_clients WHERE id = $1", id).ok());
  EXPECT_FALSE(env.appeals.Exec("UPDATE open311_clients SET revoked_by = 5 WHERE id = $1", id).ok())
      << "a revoker without a revocation time";
  EXPECT_TRUE(env.appeals.Exec("UPDATE open311_clients SET revoked_at_ms = 1, revoked_by = 5 WHERE id = $1", id).ok());
  EXPECT_FALSE(env.appeals.Exec("UPDATE open311_clients SET revoked_at_ms = NULL, revoked_by = 0 WHERE id = $1", id).ok())
      << "a revocation is final";
  EXPECT_FALSE(env.appeals
                   .Exec("INSERT INTO open311_clients (id, name, scope_code, key_hash, key_hint, created_by, "
                         "created_at_ms, revoked_at_ms, revoked_by, revoke_reason) VALUES (9, 'y', '420114000000', $1, "
                         "'gz311_abcd', 0, 1, NULL, 0, '')",
                         {storage::Blob{KeyHash(c.key)}})
                   .ok())
      << "two clients never share a key";
  EXPECT_FALSE(env.appeals
                   .Exec("INSERT INTO open311_clients (id, name, scope_code, key_hash, key_hint, created_by, "
                         "created_at_ms, revoked_at_ms, revoked_by, revoke_reason) VALUES (9, 'y', '420114000000', "
                         "'plaintext key here, not a hash', 'gz311_abcd', 0, 1, NULL, 0, '')")
                   .ok())
      << "only a 32-byte hash fits";
}

TEST(SqlClientStore, RevokeRacesLoseCleanly) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  access::AuditEvent e;
  e.action = "open311.client_revoke";
  ASSERT_TRUE(env.store->Revoke(c.client.id, 0, "", e, 10).ok());
  EXPECT_EQ(env.store->Revoke(c.client.id, 0, "", e, 11).slug(), problems::kAlreadyRevoked);
  EXPECT_EQ(env.store->Revoke(777, 0, "", e, 11).slug(), problems::kClientNotFound);
  EXPECT_EQ(env.appeals.AuditRows("open311.client_revoke"), 1) << "no audit record for a revocation that did not happen";
}

TEST(SqlClientStore, TokensMapToAppealsAndNeverChange) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  ASSERT_TRUE(env.store->InsertToken("tok-0123456789abcdef", c.client.id, 4242, 1).ok());
  EXPECT_EQ(env.store->AppealOfToken("tok-0123456789abcdef")->value_or(0), 4242);
  EXPECT_FALSE(env.store->AppealOfToken("tok-unknown-0123456")->has_value());
  EXPECT_FALSE(env.store->InsertToken("tok-0123456789abcdef", c.client.id, 4243, 2).ok());
  EXPECT_FALSE(env.store->InsertToken("tok-fedcba9876543210", 999, 4243, 2).ok()) << "a token of no client";
  EXPECT_FALSE(env.appeals.Exec("UPDATE open311_tokens SET appeal_id = 1").ok());
  EXPECT_FALSE(env.appeals.Exec("DELETE FROM open311_tokens").ok());
}

TEST(SqlClientStore, LookupsUseTheirIndexes) {
  Open311TestEnv env;
  EXPECT_NE(Plan(env, "SELECT id FROM open311_clients WHERE key_hash = $1", {storage::Blob{std::string(32, 'x')}})
                .find("sqlite_autoindex_open311_clients"),
            std::string::npos);
  EXPECT_NE(Plan(env, "SELECT id FROM open311_clients WHERE scope_code BETWEEN $1 AND $2 ORDER BY id DESC",
                 {std::string("420114000000"), std::string("420114999999")})
                .find("open311_clients_by_scope"),
            std::string::npos);
  EXPECT_NE(Plan(env, "SELECT appeal_id FROM open311_tokens WHERE token = $1", {std::string("x")}).find("INDEX"),
            std::string::npos);
}

}  // namespace
}  // namespace gz::open311
