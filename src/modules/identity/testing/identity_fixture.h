// A real identity stack on a temporary SQLite store, for the module's tests: audit, residents and
// identity migrations applied, a fresh key ring, a FakeClock, Argon2id at its minimal cost.
//
// Layer: identity testing (may include storage/).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "modules/identity/account_service.h"
#include "modules/identity/identity_service.h"
#include "modules/identity/sql/sql_identity_store.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "storage/backends_for_test.h"
#include "storage/db.h"

namespace gz::identity::testing {

inline constexpr std::string_view kGoodPassword = "correct horse battery";
inline constexpr std::string_view kVillage = "420114001205";
inline constexpr std::string_view kSibling = "420114001206";
inline constexpr std::string_view kTownship = "420114001000";
inline constexpr std::string_view kCounty = "420114000000";

class IdentityEnv {
 public:
  // Asserts (gtest) that everything opened.
  explicit IdentityEnv(IdentityOptions options = {});

  FakeClock clock{WallTime(std::chrono::seconds(1795795200))};  // 2026-11-28T00:00Z
  std::optional<crypto::FieldCipher> cipher;
  std::optional<storage::TestStoreForTest> test_store;  // outlives every Db opened on it
  std::unique_ptr<storage::Db> db;
  std::optional<SqlIdentityStore> store;
  std::optional<residents::SqlResidentStore> residents;
  std::optional<IdentityService> identity;
  std::optional<AccountService> accounts;

  // An active account with `role` over `scope` (home division = scope), password kGoodPassword,
  // and TOTP enrolled with `totp_secret` (raw bytes) when given.
  int64_t AddAccount(std::string_view phone, access::Role role, std::string_view scope,
                     std::optional<std::string> totp_secret = std::nullopt);
  // The principal the guard would build for an account's session.
  access::Principal PrincipalOf(int64_t account_id, int64_t session_id = 0);

  // "action:outcome" of every audit record, in order.
  std::vector<std::string> AuditActions();
  int64_t NowMs() const;
  // Another Db on the same store (its own connections, as a second gongzhi node would have).
  std::unique_ptr<storage::Db> OpenAgain() const;
};

}  // namespace gz::identity::testing
