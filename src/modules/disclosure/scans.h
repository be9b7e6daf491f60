// Scans of receipts, contracts and minutes attached to disclosure items (附件).
//
// Layer: disclosure domain. Reuses the attachments module: the upload goes through
// attachments::ImageSanitizer (JPEG, PNG, WebP; re-encoded without metadata) and is stored sealed
// in the attachments tables, owned by the village (owner type "disclosure_village", owner id the
// village code). The SHA-256 an item names is the hash of the bytes the SERVER stored and serves,
// computed here, never one the client claims: a drafter can only name scans uploaded to the same
// village (DisclosureService::Draft checks), and whoever downloads a scan of a published item can
// hash it and find that hash in the logged entry.
//
// A scan named by a published item is public, like the paper on the notice board: drafters
// must attach only what may be posted there (docs/disclosure.md). Scans of drafts are read by
// staff of the village only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/attachments/attachment.h"
#include "modules/attachments/attachment_store.h"
#include "modules/attachments/image_sanitizer.h"
#include "modules/disclosure/item.h"

namespace gz::disclosure {

inline constexpr std::string_view kScanOwnerType = "disclosure_village";

struct ScanFile {
  attachments::Attachment info;
  std::string bytes;
};

class DisclosureScans {
 public:
  // All must outlive the object.
  DisclosureScans(attachments::AttachmentStore& files, const attachments::ImageSanitizer& sanitizer,
                  const crypto::FieldCipher& cipher, const Clock& clock);

  // A cadre of the village uploads a scan. The sanitizer's problems (type, size, dimensions,
  // hostile files); kPermissionDenied "disclosure/not-allowed" {action: upload}.
  Result<attachments::Attachment> Upload(const access::Principal& by, const std::string& village, std::string_view bytes,
                                         std::string_view content_type);
  // True when every hash names a scan uploaded to `village`.
  Result<bool> AllKnown(const std::string& village, const std::vector<std::string>& hashes);
  // The scan with `sha256` that `item` names (kNotFound "attachments/attachment-not-found"
  // otherwise), opened and checked against its hash.
  Result<ScanFile> Read(const Item& item, std::string_view sha256);
  // The scan with `sha256` uploaded to `village`, for another module that names it (a meeting of
  // the deliberation module); the caller decides who may read it and audits the read.
  Result<ScanFile> ReadOfVillage(const std::string& village, std::string_view sha256);

  const attachments::ImageSanitizer& sanitizer() const { return sanitizer_; }

 private:
  attachments::AttachmentStore& files_;
  const attachments::ImageSanitizer& sanitizer_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
};

}  // namespace gz::disclosure
