// AppealPhotoService: photos of an appeal (a broken street light, a flooded lane), added by the
// submitter or by staff working on it, seen by whoever may read the appeal.
//
// Layer: appeals domain (service). The routes (api/photo_routes.h) authorize first, as every
// appeal route does: the dispatcher's guard for the permission, then access::Gate::Require on
// AppealService::TargetOf(appeal) (404 outside the caller's area). The service then applies:
//   who    the same people who may add a note (AppealService::AddNote): the submitter (or a
//          helper acting for them under a consent) and staff in a relation to the appeal
//          (handler, next level, escalation target, supervisor); 403 appeals/not-allowed
//          {action: "photo"} for anyone else;
//   when   not once the appeal is closed or withdrawn (409 appeals/transition-not-allowed);
//   how many  at most PhotoSettings::max_per_appeal (409 attachments/too-many {limit});
//   what   the file goes through attachments::ImageSanitizer (its problems: type, size,
//          dimensions, truncation, polyglots) and only the new, metadata-free image is kept.
// An added photo is ONE change of the appeal (AppealStore::Update): its version goes up by one,
// a public timeline entry says a photo was added (action "note", no text, details
// {"photo":"<id>"}: nothing personal), the other side is notified (kind "photo"), the sealed
// file is inserted and "appeals.add_photo" is audited, all in one transaction. Concurrent
// additions serialize on the appeal's version (the loser re-reads and re-checks the count), so
// the limit holds under races. Reading a photo's bytes is a read of personal data: audited as
// "appeals.read_personal" with the purpose and the photo's id before the bytes are returned,
// refused if the audit cannot be written (fail closed), like AppealService::ReadContent.
//
// Thread-safe (the stores, the sanitizer and the audit sink are).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_store.h"
#include "modules/attachments/attachment_store.h"
#include "modules/attachments/image_sanitizer.h"

namespace gz::appeals {

inline constexpr std::string_view kPhotoOwnerType = "appeal";
inline constexpr std::string_view kPhotoNotificationKind = "photo";

struct PhotoSettings {
  int max_per_appeal = 9;
};

struct PhotoFile {
  attachments::Attachment info;
  std::string bytes;  // PERSONAL: the sanitized image
};

class AppealPhotoService {
 public:
  // All must outlive the service.
  AppealPhotoService(AppealStore& appeals, attachments::AttachmentStore& files,
                     const attachments::ImageSanitizer& sanitizer, const crypto::FieldCipher& cipher,
                     access::AuditSink& audit, const Clock& clock, PhotoSettings settings = {});

  // Adds a photo to appeal `appeal_id` (see the header comment for who, when and how many).
  // `content_type` is the request's Content-Type. Errors: kNotFound "appeals/appeal-not-found";
  // kPermissionDenied "appeals/not-allowed"; kFailedPrecondition "appeals/transition-not-allowed",
  // "attachments/too-many"; the sanitizer's; kAborted "appeals/edit-conflict" if the appeal kept
  // changing under three attempts.
  Result<attachments::Attachment> Add(const access::Principal& by, int64_t appeal_id, std::string_view bytes,
                                      std::string_view content_type);

  // The photos of `appeal`, oldest first, without their bytes (no personal data: no audit).
  Result<std::vector<attachments::Attachment>> List(const Appeal& appeal);

  // One photo's bytes for `reader` (who passed the gate for TargetOf(appeal)), audited first.
  // kNotFound "attachments/attachment-not-found" (also for a photo of another appeal);
  // kInvalidArgument "appeals/bad-purpose"; kFailedPrecondition "crypto/integrity-failure";
  // the sink's kUnavailable "audit/unavailable".
  Result<PhotoFile> Read(const access::Principal& reader, const Appeal& appeal, int64_t photo_id,
                         std::string_view purpose);

  const PhotoSettings& settings() const { return settings_; }
  const attachments::ImageSanitizer& sanitizer() const { return sanitizer_; }

 private:
  Status CheckMayAdd(const access::Principal& by, const Appeal& appeal);
  Status CheckRoom(const Appeal& appeal);
  Change PhotoChange(const access::Principal& by, const Appeal& before, attachments::SealedAttachment photo,
                     int64_t now_ms);

  AppealStore& appeals_;
  attachments::AttachmentStore& files_;
  const attachments::ImageSanitizer& sanitizer_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& audit_;
  const Clock& clock_;
  PhotoSettings settings_;
};

}  // namespace gz::appeals
