// How identity seals its personal fields and secrets, and the digests it stores instead of tokens.
//
// Layer: identity domain. Associated data binds every sealed column to its row:
//   identity_accounts.<column>:<account id>|<home division>
// so a ciphertext copied to another account or column, or an account moved to another village
// in the database file, fails to open (T-INTEG). Blind-index domains keep the phone index of
// accounts unrelated to the residents' one and to invitation codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/identity/account.h"

namespace gz::identity {

inline constexpr std::string_view kPhoneIndexDomain = "identity.phone";
inline constexpr std::string_view kInvitationIndexDomain = "identity.invitation";

std::string AccountAd(std::string_view column, const AccountRow& row);

std::string PhoneIndex(const crypto::FieldCipher& cipher, std::string_view normalized_phone);
std::string InvitationIndex(const crypto::FieldCipher& cipher, std::string_view code);

// REQUIRES: row.id and row.home_division set (they are bound into the envelope).
void SealName(const crypto::FieldCipher& cipher, AccountRow& row, std::string_view name);
void SealPhone(const crypto::FieldCipher& cipher, AccountRow& row, std::string_view normalized_phone);
void SealPasswordHash(const crypto::FieldCipher& cipher, AccountRow& row, std::string_view encoded_hash);
std::string SealTotp(const crypto::FieldCipher& cipher, const AccountRow& row, std::string_view column,
                     std::string_view secret);

// kFailedPrecondition "crypto/integrity-failure" (argument "column") when a field does not open
// or the phone does not match its index.
Result<std::string> OpenName(const crypto::FieldCipher& cipher, const AccountRow& row);
Result<std::optional<std::string>> OpenPhone(const crypto::FieldCipher& cipher, const AccountRow& row);
Result<std::optional<std::string>> OpenPasswordHash(const crypto::FieldCipher& cipher, const AccountRow& row);
Result<std::optional<std::string>> OpenTotp(const crypto::FieldCipher& cipher, const AccountRow& row,
                                            std::string_view column);  // "totp" | "totp_pending"

// "154****0001" (first 3 and last 4 digits), "" for none.
std::string MaskPhone(std::string_view phone);
// First character, then one '*' per further character (at most 3): "演***".
std::string MaskName(std::string_view name);

}  // namespace gz::identity
