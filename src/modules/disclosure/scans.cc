// Layer: disclosure domain (see scans.h).
#include "modules/disclosure/scans.h"

#include <algorithm>
#include <chrono>

#include "access/audit_event.h"
#include "access/role.h"
#include "crypto/crypto.h"
#include "modules/attachments/problems.h"
#include "modules/disclosure/problems.h"

namespace gz::disclosure {
namespace {

int64_t OwnerIdOf(const std::string& village) { return IsVillageCode(village) ? std::stoll(village) : 0; }

}  // namespace

DisclosureScans::DisclosureScans(attachments::AttachmentStore& files, const attachments::ImageSanitizer& sanitizer,
                                 const crypto::FieldCipher& cipher, const Clock& clock)
    : files_(files), sanitizer_(sanitizer), cipher_(cipher), clock_(clock) {}

Result<attachments::Attachment> DisclosureScans::Upload(const access::Principal& by, const std::string& village,
                                                        std::string_view bytes, std::string_view content_type) {
  const bool cadre = std::any_of(by.self.grants.begin(), by.self.grants.end(), [&](const access::Grant& g) {
    return g.role == access::Role::kVillageCadre && access::ScopeContains(g.scope, village);
  });
  if (by.anonymous() || by.acting_for || !cadre || !IsVillageCode(village))
    return PermissionDenied(std::string(problems::kNotAllowed)).With("action", "upload");
  GZ_ASSIGN_OR_RETURN(attachments::CleanImage clean, sanitizer_.Sanitize(bytes, content_type));
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  attachments::Attachment info;
  info.id = crypto::NewRowId(now);
  info.owner_type = std::string(kScanOwnerType);
  info.owner_id = OwnerIdOf(village);
  info.division = village;
  info.format = clean.format;
  info.width = clean.width;
  info.height = clean.height;
  info.added_by = by.self.account_id;
  info.added_at_ms = now;
  attachments::SealedAttachment sealed = attachments::SealAttachment(cipher_, std::move(info), clean.bytes);
  access::AuditEvent e = access::EventFor(by, "disclosure.upload_scan");
  e.division = village;
  e.object_type = "attachment";
  e.object_id = std::to_string(sealed.info.id);
  e.details = "{\"sha256\":\"" + sealed.info.sha256 + "\",\"bytes\":" + std::to_string(sealed.info.byte_size) + "}";
  GZ_RETURN_IF_ERROR(files_.Insert(sealed, e, now));
  return sealed.info;
}

Result<bool> DisclosureScans::AllKnown(const std::string& village, const std::vector<std::string>& hashes) {
  if (hashes.empty()) return true;
  GZ_ASSIGN_OR_RETURN(std::vector<attachments::Attachment> known, files_.List(kScanOwnerType, OwnerIdOf(village)));
  for (const std::string& h : hashes) {
    if (std::none_of(known.begin(), known.end(), [&](const attachments::Attachment& a) { return a.sha256 == h; }))
      return false;
  }
  return true;
}

Result<ScanFile> DisclosureScans::Read(const Item& item, std::string_view sha256) {
  const Status missing = NotFound(std::string(attachments::problems::kAttachmentNotFound));
  if (std::find(item.attachments.begin(), item.attachments.end(), sha256) == item.attachments.end()) return missing;
  return ReadOfVillage(item.village, sha256);
}

Result<ScanFile> DisclosureScans::ReadOfVillage(const std::string& village, std::string_view sha256) {
  const Status missing = NotFound(std::string(attachments::problems::kAttachmentNotFound));
  GZ_ASSIGN_OR_RETURN(std::vector<attachments::Attachment> known, files_.List(kScanOwnerType, OwnerIdOf(village)));
  for (const attachments::Attachment& a : known) {
    if (a.sha256 != sha256) continue;
    GZ_ASSIGN_OR_RETURN(std::optional<attachments::SealedAttachment> sealed, files_.Get(a.id));
    if (!sealed) return missing;
    GZ_ASSIGN_OR_RETURN(std::string bytes, attachments::OpenAttachment(cipher_, *sealed));
    return ScanFile{sealed->info, std::move(bytes)};
  }
  return missing;
}

}  // namespace gz::disclosure
