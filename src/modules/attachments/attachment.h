// An attachment: an image file that belongs to an object of another module (a photo of an
// appeal; later a scan of a disclosure), stored sanitized (image_sanitizer.h) and sealed.
//
// Layer: attachments domain.
//
// The bytes are personal data (a photo of a villager's home shows where and how they live): they
// are sealed with crypto::FieldCipher, bound to the row (id, owner, division, hash), so sealed
// bytes copied to another row fail to open. In clear: the owner, the division (the tenant), the
// format, the dimensions, the size, who added it and when, and the SHA-256 of the bytes as
// served, which a published record (issue #5's transparency log) can name without revealing the
// image. Opening re-checks that hash, so a swapped or altered file is refused even if it was
// sealed with the right key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/attachments/image_format.h"

namespace gz::attachments {

struct Attachment {
  int64_t id = 0;           // crypto::NewRowId
  std::string owner_type;   // the owning module's noun: "appeal"
  int64_t owner_id = 0;
  std::string division;     // the owner's 12-digit division code
  ImageFormat format = ImageFormat::kJpeg;
  int width = 0;
  int height = 0;
  int64_t byte_size = 0;
  std::string sha256;       // lower-case hex SHA-256 of the bytes as stored and served
  int64_t added_by = 0;     // the account that uploaded it
  int64_t acting_for = 0;   // the villager a helper acted for, else 0
  int64_t consent_id = 0;   // the helper's consent, else 0
  int64_t added_at_ms = 0;
};

struct SealedAttachment {
  Attachment info;
  std::string sealed;  // FieldCipher envelope of the bytes
};

// 1..32 characters of a-z, 0-9 and '_'.
bool IsOwnerType(std::string_view type);

// Fills info.byte_size and info.sha256 from `bytes` and seals them. REQUIRES: info.id, owner
// and division set.
SealedAttachment SealAttachment(const crypto::FieldCipher& cipher, Attachment info, std::string_view bytes);

// The bytes, after checking the seal (kFailedPrecondition "crypto/integrity-failure" for altered
// or moved bytes, as FieldCipher::Open) and that their size and SHA-256 are the recorded ones
// (the same error otherwise).
Result<std::string> OpenAttachment(const crypto::FieldCipher& cipher, const SealedAttachment& attachment);

}  // namespace gz::attachments
