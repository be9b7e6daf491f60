// Layer: attachments domain (see attachment.h).
#include "modules/attachments/attachment.h"

#include <algorithm>

#include "crypto/secrets.h"

namespace gz::attachments {
namespace {

std::string AssociatedData(const Attachment& a) {
  return "attachments_content.sealed:" + std::to_string(a.id) + "|" + a.owner_type + ":" + std::to_string(a.owner_id) +
         "|" + a.division + "|" + a.sha256;
}

}  // namespace

bool IsOwnerType(std::string_view type) {
  return !type.empty() && type.size() <= 32 &&
         std::all_of(type.begin(), type.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

SealedAttachment SealAttachment(const crypto::FieldCipher& cipher, Attachment info, std::string_view bytes) {
  info.byte_size = static_cast<int64_t>(bytes.size());
  info.sha256 = crypto::Sha256Hex(bytes);
  SealedAttachment out;
  out.sealed = cipher.Seal(bytes, AssociatedData(info));
  out.info = std::move(info);
  return out;
}

Result<std::string> OpenAttachment(const crypto::FieldCipher& cipher, const SealedAttachment& a) {
  GZ_ASSIGN_OR_RETURN(std::string bytes, cipher.Open(a.sealed, AssociatedData(a.info)));
  if (static_cast<int64_t>(bytes.size()) != a.info.byte_size || crypto::Sha256Hex(bytes) != a.info.sha256)
    return FailedPrecondition("crypto/integrity-failure", "attachment bytes differ from their recorded hash");
  return bytes;
}

}  // namespace gz::attachments
