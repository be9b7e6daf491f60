// Accounts (账户), their role grants, sessions and invitations: the domain types of identity.
//
// Layer: identity domain. Personal fields (phone, display name) and secrets (password hash, TOTP
// secret) travel sealed (crypto::FieldCipher envelopes) in the *Row structs the store sees; the
// store never holds a key. Tokens and invitation codes are stored only as digests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/role.h"

namespace gz::identity {

enum class AccountStatus { kInvited, kActive, kDisabled };
std::string_view AccountStatusCode(AccountStatus s);  // "invited" | "active" | "disabled"
std::optional<AccountStatus> ParseAccountStatus(std::string_view code);

// One row of identity_accounts. Associated data of each sealed column (identity_sealing.cc) binds
// it to the row id and column, so a ciphertext copied to another row or column fails to open.
struct AccountRow {
  int64_t id = 0;
  std::string home_division;  // canonical 12-digit code: the village of a villager, a staff account's area
  AccountStatus status = AccountStatus::kInvited;
  std::string name_sealed;                  // display name
  std::optional<std::string> phone_sealed;  // both or neither
  std::optional<std::string> phone_index;   // blind index (34 bytes), unique over all accounts
  int64_t resident_id = 0;                  // 0: not linked to a registered resident
  int64_t household_id = 0;
  std::optional<std::string> password_sealed;  // sealed Argon2id string; none until an invitation is accepted
  int64_t password_changed_at_ms = 0;
  std::optional<std::string> totp_sealed;          // enrolled TOTP secret (raw bytes, sealed)
  std::optional<std::string> totp_pending_sealed;  // secret handed out, not yet confirmed
  int64_t totp_last_step = 0;                      // highest TOTP step accepted: no code is used twice
  int failed_attempts = 0;                         // consecutive password failures
  int64_t locked_until_ms = 0;                     // password sign-in refused before this instant
  int64_t created_at_ms = 0;
  bool operator==(const AccountRow&) const = default;
};

struct GrantRow {
  int64_t id = 0;
  int64_t account_id = 0;
  access::Role role = access::Role::kVillager;
  std::string scope;  // canonical 12-digit division code
  int64_t granted_by = 0;  // account id; 0: the system (CLI, demo seeding)
  int64_t created_at_ms = 0;
  bool operator==(const GrantRow&) const = default;
};

enum class SessionKind { kCookie, kBearer };
std::string_view SessionKindCode(SessionKind k);  // "cookie" | "bearer"

struct SessionRow {
  int64_t id = 0;
  std::string token_hash;                 // SHA-256 of the 256-bit token (32 bytes)
  int64_t account_id = 0;
  SessionKind kind = SessionKind::kBearer;
  std::optional<std::string> csrf_hash;   // cookie sessions: SHA-256 of the CSRF token
  bool limited = false;                   // staff without TOTP: only TOTP enrolment and sign-out
  int64_t created_at_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t expires_at_ms = 0;              // absolute limit
  bool operator==(const SessionRow&) const = default;
};

struct InvitationRow {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string code_index;  // keyed blind index of the code (a 10-digit code is too small for a plain hash)
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  int64_t used_at_ms = 0;  // 0: unused
  bool operator==(const InvitationRow&) const = default;
};

struct AccountWithGrants {
  AccountRow account;
  std::vector<GrantRow> grants;
};

}  // namespace gz::identity
