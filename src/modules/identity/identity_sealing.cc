#include "modules/identity/identity_sealing.h"

#include "crypto/problems.h"

namespace gz::identity {
namespace {

Result<std::string> OpenColumn(const crypto::FieldCipher& cipher, std::string_view column, std::string_view sealed,
                               const AccountRow& row) {
  Result<std::string> opened = cipher.Open(sealed, AccountAd(column, row));
  if (!opened.ok()) return Status(opened.status()).With("column", std::string(column));
  return opened;
}

}  // namespace

std::string AccountAd(std::string_view column, const AccountRow& row) {
  std::string ad = "identity_accounts.";
  ad += column;
  ad += ':';
  ad += std::to_string(row.id);
  ad += '|';
  ad += row.home_division;
  return ad;
}

std::string PhoneIndex(const crypto::FieldCipher& cipher, std::string_view normalized_phone) {
  return cipher.BlindIndex(kPhoneIndexDomain, normalized_phone);
}

std::string InvitationIndex(const crypto::FieldCipher& cipher, std::string_view code) {
  return cipher.BlindIndex(kInvitationIndexDomain, code);
}

void SealName(const crypto::FieldCipher& cipher, AccountRow& row, std::string_view name) {
  row.name_sealed = cipher.Seal(name, AccountAd("name", row));
}

void SealPhone(const crypto::FieldCipher& cipher, AccountRow& row, std::string_view normalized_phone) {
  row.phone_sealed = cipher.Seal(normalized_phone, AccountAd("phone", row));
  row.phone_index = PhoneIndex(cipher, normalized_phone);
}

void SealPasswordHash(const crypto::FieldCipher& cipher, AccountRow& row, std::string_view encoded_hash) {
  row.password_sealed = cipher.Seal(encoded_hash, AccountAd("password", row));
}

std::string SealTotp(const crypto::FieldCipher& cipher, const AccountRow& row, std::string_view column,
                     std::string_view secret) {
  return cipher.Seal(secret, AccountAd(column, row));
}

Result<std::string> OpenName(const crypto::FieldCipher& cipher, const AccountRow& row) {
  return OpenColumn(cipher, "name", row.name_sealed, row);
}

Result<std::optional<std::string>> OpenPhone(const crypto::FieldCipher& cipher, const AccountRow& row) {
  if (row.phone_sealed.has_value() != row.phone_index.has_value())
    return FailedPrecondition(std::string(crypto::problems::kIntegrityFailure)).With("column", "phone_index");
  if (!row.phone_sealed) return std::optional<std::string>();
  GZ_ASSIGN_OR_RETURN(std::string phone, OpenColumn(cipher, "phone", *row.phone_sealed, row));
  if (PhoneIndex(cipher, phone) != *row.phone_index)
    return FailedPrecondition(std::string(crypto::problems::kIntegrityFailure), "blind index does not match")
        .With("column", "phone_index");
  return std::optional<std::string>(std::move(phone));
}

Result<std::optional<std::string>> OpenPasswordHash(const crypto::FieldCipher& cipher, const AccountRow& row) {
  if (!row.password_sealed) return std::optional<std::string>();
  GZ_ASSIGN_OR_RETURN(std::string hash, OpenColumn(cipher, "password", *row.password_sealed, row));
  return std::optional<std::string>(std::move(hash));
}

Result<std::optional<std::string>> OpenTotp(const crypto::FieldCipher& cipher, const AccountRow& row,
                                            std::string_view column) {
  const std::optional<std::string>& sealed = column == "totp" ? row.totp_sealed : row.totp_pending_sealed;
  if (!sealed) return std::optional<std::string>();
  GZ_ASSIGN_OR_RETURN(std::string secret, OpenColumn(cipher, column, *sealed, row));
  return std::optional<std::string>(std::move(secret));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 8) return phone.empty() ? std::string() : std::string("****");
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

std::string MaskName(std::string_view name) {
  if (name.empty()) return {};
  size_t first = 1;
  while (first < name.size() && (static_cast<unsigned char>(name[first]) & 0xC0) == 0x80) ++first;
  size_t rest = 0;
  for (size_t i = first; i < name.size(); ++i)
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) ++rest;
  return std::string(name.substr(0, first)) + std::string(std::min<size_t>(std::max<size_t>(rest, 1), 3), '*');
}

}  // namespace gz::identity
