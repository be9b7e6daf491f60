// The store on a real SQLite file: no phone, name, password or token in clear on disk (T-DATA-1),
// sealed fields moved between rows are detected (T-INTEG), and the database refuses clear text
// in sealed columns.
#include "modules/identity/sql/sql_identity_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "modules/identity/identity_sealing.h"
#include "modules/identity/testing/identity_fixture.h"

namespace gz::identity {
namespace {

using access::Role;
using testing::IdentityEnv;
using testing::kGoodPassword;
using testing::kVillage;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SqlIdentityStore, NothingInClearOnDisk) {
  IdentityEnv env;
  int64_t cadre = env.AddAccount("15400000005", Role::kVillageCadre, kVillage);
  auto r = env.accounts->RegisterVillager(env.PrincipalOf(cadre), {std::string(kVillage), "王小明", "15400000021", 0});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(env.accounts->AcceptInvitation(r->invitation.code, "15400000021", kGoodPassword, {"127.0.0.1", "r"}).ok());
  auto s = env.identity->SignIn({"15400000021", std::string(kGoodPassword), std::nullopt, SessionKind::kCookie}, {"127.0.0.1", "r"});
  ASSERT_TRUE(s.ok());
  const std::string location = env.db->Describe();
  if (env.db->dialect() != storage::Dialect::kSqlite)
    GTEST_SKIP() << "reads the SQLite file; TheSchemaRefusesClearTextInSealedColumns covers PostgreSQL";
  const std::string path = location.substr(std::string("sqlite://").size());
  std::string bytes = ReadBytes(path) + ReadBytes(path + "-wal");
  ASSERT_GT(bytes.size(), 0u);
  // The clear columns are there, so the search below looks at the right bytes.
  ASSERT_NE(bytes.find("420114001205"), std::string::npos);
  for (std::string_view secret : {std::string_view("15400000021"), std::string_view("15400000005"),
                                  std::string_view("王小明"), kGoodPassword, std::string_view("$argon2id"),
                                  std::string_view(s->token), std::string_view(s->csrf_token),
                                  std::string_view(r->invitation.code)})
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
}

// FindSession reads the session, the account and its grants in one joined statement: every grant
// once, in id order; an account without grants has none (the LEFT JOIN's NULL row is no grant);
// a removed grant or a deleted session counts at the next lookup.
TEST(SqlIdentityStore, FindSessionBringsTheAccountAndEveryGrantInOneStatement) {
  IdentityEnv env;
  const int64_t id = env.AddAccount("15400000031", Role::kVillageCadre, kVillage);
  const int64_t now = env.NowMs();
  auto add = [&](std::vector<GrantRow> grants, std::vector<int64_t> remove, std::optional<SessionRow> session,
                 int64_t delete_session) {
    return env.store->UpdateAccount(id, [&](AccountRow&, const std::vector<GrantRow>&, AccountUpdate& u) -> Status {
      u.write_account = false;
      u.add_grants = grants;
      u.remove_grants = remove;
      u.new_session = session;
      u.delete_session = delete_session;
      return Status::Ok();
    });
  };
  SessionRow session{crypto::NewRowId(now), std::string(32, 'a'), id, SessionKind::kBearer, std::nullopt, false,
                     now, now, now + 3600000};
  const GrantRow second{crypto::NewRowId(now) + 7, id, Role::kSupervisor, std::string(kVillage), 0, now};
  ASSERT_TRUE(add({second}, {}, session, 0).ok());

  auto found = env.store->FindSession(session.token_hash);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->session, session);
  EXPECT_EQ((*found)->account.account.id, id);
  ASSERT_EQ((*found)->account.grants.size(), 2u);
  EXPECT_LT((*found)->account.grants[0].id, (*found)->account.grants[1].id);
  EXPECT_EQ((*found)->account.grants, (*env.store->GetAccount(id))->grants);

  std::vector<int64_t> all;
  for (const GrantRow& g : (*found)->account.grants) all.push_back(g.id);
  ASSERT_TRUE(add({}, all, std::nullopt, 0).ok());
  found = env.store->FindSession(session.token_hash);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->account.account.id, id);
  EXPECT_TRUE((*found)->account.grants.empty());

  EXPECT_FALSE(env.store->FindSession(std::string(32, 'b'))->has_value());
  ASSERT_TRUE(add({}, {}, std::nullopt, session.id).ok());
  EXPECT_FALSE(env.store->FindSession(session.token_hash)->has_value());
}

TEST(SqlIdentityStore, SealedFieldsMovedBetweenAccountsAreDetected) {
  IdentityEnv env;
  int64_t a = env.AddAccount("15400000001", Role::kVillager, kVillage);
  int64_t b = env.AddAccount("15400000002", Role::kVillager, kVillage);
  // Copy b's sealed password hash and phone into a, as someone editing the file would.
  Status edited = env.db->Write([&](storage::Tx& tx) -> Status {
    return tx
        .Exec("UPDATE identity_accounts SET password_sealed = (SELECT password_sealed FROM identity_accounts WHERE id = $2), "
              "phone_sealed = (SELECT phone_sealed FROM identity_accounts WHERE id = $2) WHERE id = $1",
              {a, b})
        .status();
  });
  ASSERT_TRUE(edited.ok()) << edited.ToString();
  auto row = env.store->GetAccount(a);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ(OpenPasswordHash(*env.cipher, (*row)->account).status().slug(), crypto::problems::kIntegrityFailure);
  EXPECT_EQ(OpenPhone(*env.cipher, (*row)->account).status().slug(), crypto::problems::kIntegrityFailure);
  // Signing in to the edited account fails closed (no session), it does not pass.
  EXPECT_FALSE(env.identity->SignIn({"15400000001", std::string(kGoodPassword), std::nullopt, SessionKind::kBearer},
                                    {"127.0.0.1", "r"})
                   .ok());
}

TEST(SqlIdentityStore, TheSchemaRefusesClearTextInSealedColumns) {
  IdentityEnv env;
  int64_t a = env.AddAccount("15400000001", Role::kVillager, kVillage);
  Status s = env.db->Write([&](storage::Tx& tx) -> Status {
    return tx.Exec("UPDATE identity_accounts SET name_sealed = $2 WHERE id = $1", {a, std::string("王小明 in clear, long enough to pass a length check")}).status();
  });
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace gz::identity
