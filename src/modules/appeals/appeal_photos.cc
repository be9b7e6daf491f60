// Layer: appeals domain (see appeal_photos.h).
#include "modules/appeals/appeal_photos.h"

#include "core/text.h"
#include "crypto/crypto.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/relations.h"
#include "modules/attachments/problems.h"

namespace gz::appeals {
namespace {

constexpr std::string_view kPhotoAction = "photo";  // in problems {action}
constexpr int kAttempts = 3;

Relations StaffRelations(Relations who) { return who & (kHandler | kNextLevel | kEscalationTarget | kSupervisor); }

}  // namespace

AppealPhotoService::AppealPhotoService(AppealStore& appeals, attachments::AttachmentStore& files,
                                       const attachments::ImageSanitizer& sanitizer,
                                       const crypto::FieldCipher& cipher, access::AuditSink& audit,
                                       const Clock& clock, PhotoSettings settings)
    : appeals_(appeals),
      files_(files),
      sanitizer_(sanitizer),
      cipher_(cipher),
      audit_(audit),
      clock_(clock),
      settings_(settings) {}

Status AppealPhotoService::CheckMayAdd(const access::Principal& by, const Appeal& a) {
  const Relations who = RelationsOf(by, a);
  if (by.anonymous() || (StaffRelations(who) == 0 && (who & kSubmitter) == 0))
    return PermissionDenied(std::string(problems::kNotAllowed))
        .With("action", std::string(kPhotoAction))
        .With("state", std::string(StateCode(a.state)));
  if (IsFinal(a.state))
    return FailedPrecondition(std::string(problems::kTransitionNotAllowed))
        .With("action", std::string(kPhotoAction))
        .With("state", std::string(StateCode(a.state)));
  return Status::Ok();
}

Status AppealPhotoService::CheckRoom(const Appeal& a) {
  GZ_ASSIGN_OR_RETURN(int64_t count, files_.Count(kPhotoOwnerType, a.id));
  if (count >= settings_.max_per_appeal)
    return FailedPrecondition(std::string(attachments::problems::kTooMany))
        .With("limit", std::to_string(settings_.max_per_appeal));
  return Status::Ok();
}

Change AppealPhotoService::PhotoChange(const access::Principal& by, const Appeal& before,
                                       attachments::SealedAttachment photo, int64_t now) {
  const Relations staff = StaffRelations(RelationsOf(by, before));
  const Relation capacity = staff != 0 ? static_cast<Relation>(staff & -staff) : kSubmitter;
  Change c;
  c.appeal = before;
  c.appeal.version = before.version + 1;
  c.appeal.updated_at_ms = now;
  c.expected_version = before.version;
  c.now_ms = now;

  TimelineEntry& e = c.entry;
  e.id = crypto::NewRowId(now);
  e.appeal_id = before.id;
  e.seq = c.appeal.version;
  e.at_ms = now;
  e.actor_account = by.self.account_id;
  if (by.acting_for) {
    e.acting_for_account = by.acting_for->person.account_id;
    e.consent_id = by.acting_for->consent_id;
  }
  e.capacity = std::string(RelationCode(capacity));
  e.action = std::string(kNoteAction);
  e.from = before.state;
  e.to = before.state;
  e.visibility = Visibility::kPublic;
  e.details = "{\"photo\":\"" + std::to_string(photo.info.id) + "\"}";

  // The other side hears of it: staff's photo reaches the submitter, the submitter's the unit.
  std::vector<Recipient> to;
  if (staff != 0) {
    if (before.submitter_account != 0) to.push_back(Recipient::Account(before.submitter_account));
  } else {
    to.push_back(Recipient::Unit(before.unit));
    if (before.state == AppealState::kEscalated && before.escalated_to) to.push_back(Recipient::Unit(*before.escalated_to));
  }
  for (const Recipient& r : to) {
    Notification n;
    n.id = crypto::NewRowId(now);
    n.to = r;
    n.appeal_id = before.id;
    n.village = before.village;
    n.kind = std::string(kPhotoNotificationKind);
    n.created_at_ms = now;
    c.notifications.push_back(std::move(n));
  }

  c.audit = access::EventFor(by, "appeals.add_photo");
  c.audit.division = before.village;
  c.audit.object_type = "appeal";
  c.audit.object_id = std::to_string(before.id);
  c.audit.details = "{\"photo\":\"" + std::to_string(photo.info.id) + "\",\"sha256\":\"" + photo.info.sha256 +
                    "\",\"bytes\":" + std::to_string(photo.info.byte_size) +
                    ",\"version\":" + std::to_string(c.appeal.version) + ",\"capacity\":\"" + e.capacity + "\"}";
  c.attachment = std::move(photo);
  return c;
}

Result<attachments::Attachment> AppealPhotoService::Add(const access::Principal& by, int64_t appeal_id,
                                                        std::string_view bytes, std::string_view content_type) {
  GZ_ASSIGN_OR_RETURN(std::optional<Appeal> found, appeals_.Get(appeal_id));
  if (!found) return NotFound(std::string(problems::kAppealNotFound));
  // The cheap refusals first: decoding is the expensive part.
  GZ_RETURN_IF_ERROR(CheckMayAdd(by, *found));
  GZ_RETURN_IF_ERROR(CheckRoom(*found));
  GZ_ASSIGN_OR_RETURN(attachments::CleanImage clean, sanitizer_.Sanitize(bytes, content_type));

  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      // Someone changed the appeal (or added a photo) meanwhile: check again on what is there now.
      GZ_ASSIGN_OR_RETURN(found, appeals_.Get(appeal_id));
      if (!found) return NotFound(std::string(problems::kAppealNotFound));
      GZ_RETURN_IF_ERROR(CheckMayAdd(by, *found));
      GZ_RETURN_IF_ERROR(CheckRoom(*found));
    }
    const int64_t now = NowMsOf(clock_);
    attachments::Attachment info;
    info.id = crypto::NewRowId(now);
    info.owner_type = std::string(kPhotoOwnerType);
    info.owner_id = found->id;
    info.division = found->village;
    info.format = clean.format;
    info.width = clean.width;
    info.height = clean.height;
    info.added_by = by.self.account_id;
    if (by.acting_for) {
      info.acting_for = by.acting_for->person.account_id;
      info.consent_id = by.acting_for->consent_id;
    }
    info.added_at_ms = now;
    Change change = PhotoChange(by, *found, attachments::SealAttachment(cipher_, std::move(info), clean.bytes), now);
    last = appeals_.Update(change);
    if (last.ok()) return change.attachment->info;
    if (last.code() != Code::kAborted) return last;
  }
  return last;
}

Result<std::vector<attachments::Attachment>> AppealPhotoService::List(const Appeal& appeal) {
  return files_.List(kPhotoOwnerType, appeal.id);
}

Result<PhotoFile> AppealPhotoService::Read(const access::Principal& reader, const Appeal& appeal, int64_t photo_id,
                                           std::string_view purpose) {
  if (purpose.empty() || purpose.size() > kMaxPurposeBytes || !CountTextChars(purpose))
    return InvalidArgument(std::string(problems::kBadPurpose)).With("max", std::to_string(kMaxPurposeBytes));
  GZ_ASSIGN_OR_RETURN(std::optional<attachments::SealedAttachment> stored, files_.Get(photo_id));
  if (!stored || stored->info.owner_type != kPhotoOwnerType || stored->info.owner_id != appeal.id)
    return NotFound(std::string(attachments::problems::kAttachmentNotFound));
  // Open first, so that a tampered file is refused without claiming a read; audit before returning.
  GZ_ASSIGN_OR_RETURN(std::string bytes, attachments::OpenAttachment(cipher_, *stored));
  access::AuditEvent e = access::EventFor(reader, "appeals.read_personal");
  e.division = appeal.village;
  // Named by the resident when there is one, so the villager's "who read my data" view finds it.
  if (appeal.submitter_resident != 0) {
    e.object_type = "resident";
    e.object_id = std::to_string(appeal.submitter_resident);
  } else {
    e.object_type = "appeal";
    e.object_id = std::to_string(appeal.id);
  }
  e.purpose = std::string(purpose);
  e.details = "{\"appeal\":\"" + std::to_string(appeal.id) + "\",\"photo\":\"" + std::to_string(photo_id) + "\"}";
  GZ_RETURN_IF_ERROR(audit_.Append(e));
  return PhotoFile{std::move(stored->info), std::move(bytes)};
}

}  // namespace gz::appeals
