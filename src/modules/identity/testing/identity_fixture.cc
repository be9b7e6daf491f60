#include "modules/identity/testing/identity_fixture.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/identity/identity_sealing.h"
#include "modules/identity/sql/identity_migrations.h"
#include "modules/residents/sql/resident_migrations.h"
#include "storage/migrate.h"
#include "storage/backends_for_test.h"

namespace gz::identity::testing {

IdentityEnv::IdentityEnv(IdentityOptions options) {
  EXPECT_TRUE(crypto::Initialize().ok());
  auto c = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
  EXPECT_TRUE(c.ok());
  cipher.emplace(std::move(c).value());
  auto created = storage::TestStoreForTest::Create();
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  test_store.emplace(std::move(created).value());
  db = OpenAgain();
  std::vector<storage::Migration> all;
  for (const auto& m : audit::AuditMigrations()) all.push_back(m);
  for (const auto& m : residents::ResidentMigrations()) all.push_back(m);
  for (const auto& m : IdentityMigrations()) all.push_back(m);
  Status migrated = storage::ApplyMigrations(*db, all, clock);
  EXPECT_TRUE(migrated.ok()) << migrated.ToString();
  store.emplace(*db, clock);
  residents.emplace(*db);
  options.hash_cost = crypto::PasswordHashCost::Minimal();
  identity.emplace(*store, *cipher, clock, options);
  accounts.emplace(*identity, &*residents);
}

int64_t IdentityEnv::NowMs() const { return identity->NowMs(); }

std::unique_ptr<storage::Db> IdentityEnv::OpenAgain() const {
  auto opened = test_store->Open();
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

int64_t IdentityEnv::AddAccount(std::string_view phone, access::Role role, std::string_view scope,
                                std::optional<std::string> totp_secret) {
  const int64_t now = NowMs();
  AccountRow row;
  row.id = crypto::NewRowId(now);
  row.home_division = std::string(scope);
  row.status = AccountStatus::kActive;
  row.created_at_ms = now;
  SealName(*cipher, row, "测试用户");
  SealPhone(*cipher, row, phone);
  auto hash = identity->HashPassword(kGoodPassword);
  EXPECT_TRUE(hash.ok());
  SealPasswordHash(*cipher, row, *hash);
  if (totp_secret) row.totp_sealed = SealTotp(*cipher, row, "totp", *totp_secret);
  GrantRow grant{crypto::NewRowId(now), row.id, role, std::string(scope), 0, now};
  Status s = store->InsertAccount(row, {grant}, std::nullopt, {});
  EXPECT_TRUE(s.ok()) << s.ToString();
  return row.id;
}

access::Principal IdentityEnv::PrincipalOf(int64_t account_id, int64_t session_id) {
  access::Principal p;
  auto found = store->GetAccount(account_id);
  EXPECT_TRUE(found.ok() && found->has_value());
  if (found.ok() && found->has_value()) p.self = PersonOf(**found);
  p.session_id = session_id;
  p.bearer = true;
  p.request_id = "test-request";
  return p;
}

std::vector<std::string> IdentityEnv::AuditActions() {
  std::vector<std::string> out;
  Status s = db->Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT action, outcome FROM audit_records ORDER BY seq"));
    for (const auto& r : rs.rows) out.push_back(r.Text(0) + ":" + r.Text(1));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

}  // namespace gz::identity::testing
