// SeedDemoAccounts: the demo accounts of every role (docs: README.md of this module and the
// project README), for `serve --demo` and `gongzhi seed-demo`.
//
// Layer: identity domain (service). Every account's password is kDemoPassword; staff accounts
// have TOTP enrolled with a secret derived from the phone number (DemoTotpSecret: base32 of the
// first 20 bytes of SHA-256("gongzhi demo totp " + phone)), so that the secrets are fixed,
// printable in docs and computable by tests. Demo data only: a real deployment bootstraps its
// first operator with `gongzhi account add`.
//
// Villagers are linked to seeded residents: 15400000001 to the first head of household of
// 420114001205 (成功村), 15400000002 to the second (another household), 15400000012 to the first
// of 420114001206 (马家渡村); unlinked if the village has no residents.
// Idempotent: an account whose phone already exists is left as it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/role.h"
#include "core/status.h"
#include "modules/identity/identity_service.h"
#include "modules/residents/resident_store.h"

namespace gz::identity {

inline constexpr std::string_view kDemoPassword = "gongzhi-demo-2026";
inline constexpr std::string_view kDemoCounty = "420114";

struct DemoAccount {
  std::string phone;
  access::Role role = access::Role::kVillager;
  std::string scope;        // canonical 12-digit code
  std::string scope_name;   // 成功村, 蔡甸街道, 蔡甸区 ...
  std::string totp_secret;  // base32; empty for villagers
  std::string note;         // what the account is for in tests
  int64_t account_id = 0;
  bool created = false;     // false: it was there already
};

// The base32 TOTP secret of a demo staff account.
std::string DemoTotpSecret(std::string_view phone);

// Creates the 13 demo accounts of the demo county 420114 (蔡甸区). For another county it creates
// nothing and returns an empty list (the table names Caidian's villages).
Result<std::vector<DemoAccount>> SeedDemoAccounts(IdentityService& identity, residents::ResidentStore* residents,
                                                  std::string_view county);

}  // namespace gz::identity
