// Correction requests (更正申请, PIPL art. 46): a villager asks for a correction of their own
// record; the village committee accepts (the change is applied in the same transaction) or
// declines, with a note the villager sees.
//
// Layer: residents domain (service). The proposed value, the reason and the note are personal
// data: sealed at rest (personal_data_sealing.h) and opened only after an audit event is durable
// (fail closed, as AuditedPersonalDataReader). A helper acting for a villager (代办) requests on
// the villager's behalf: the request belongs to principal.subject(), the audit names both.
//
// Audit actions: "corrections.request" and "corrections.resolve" (object "correction", details
// {"field":..,"decision":..}); an accepted request also writes "residents.update" (object
// "resident" or "household", details {"fields":[..],"correction":id}); reads write
// "residents.read_personal" (purpose "self-access" for the villager, "corrections.review" for the
// village's list).
//
// Thread-safe if the store is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_event.h"
#include "access/principal.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

inline constexpr size_t kMaxReasonBytes = 500;
inline constexpr size_t kMaxNoteBytes = 500;
inline constexpr int kMaxOpenCorrections = 5;  // per resident, so the queue cannot be flooded

struct CorrectionRequest {
  CorrectionField field = CorrectionField::kPhone;
  std::string proposed_value;
  std::string reason;
};

// What the requester sees: everything, in clear (their own data).
struct CorrectionView {
  CorrectionInfo info;
  CorrectionTexts texts;
};

// What the village's staff list shows: the proposed value masked like any list value; the
// reason and note in full (they are addressed to the committee).
struct StaffCorrectionView {
  CorrectionInfo info;
  std::string proposed_masked;
  std::string reason;
  std::string note;
};
struct StaffCorrectionPage {
  std::vector<StaffCorrectionView> items;
  int64_t total = 0;
};

class CorrectionService {
 public:
  // All must outlive the service. `read_audit` records the clear reads.
  CorrectionService(ResidentStore& store, ResidentRegistry& registry, const crypto::FieldCipher& cipher,
                    access::AuditSink& read_audit);

  // Files a request about principal.subject()'s own record. The proposed value is checked with
  // the registry's rules for its field (so an accepted request can always be applied) and stored
  // normalized. Errors: kNotFound residents/not-linked (the account has no resident record);
  // kInvalidArgument residents/bad-correction (reason "empty-reason", "reason-too-long"),
  // bad-name, bad-id-number, bad-phone, bad-address; kFailedPrecondition
  // residents/too-many-open-corrections.
  Result<CorrectionInfo> Request(const access::Principal& principal, const CorrectionRequest& request);

  // The subject's requests, newest first, with values in clear (audited "self-access" read).
  Result<std::vector<CorrectionView>> Mine(const access::Principal& principal);

  // A village's requests for its staff, newest first (audited "corrections.review" read: one
  // event per resident concerned).
  Result<StaffCorrectionPage> OfVillage(const access::Principal& principal, std::string_view village_code,
                                        std::optional<CorrectionStatus> status, int64_t limit, int64_t offset);

  // The request's facts (for the gate). kNotFound residents/correction-not-found.
  Result<CorrectionInfo> Get(CorrectionId id);

  // Accepts (applying the change) or declines. kFailedPrecondition residents/correction-closed;
  // kPermissionDenied residents/own-request (the resolver filed it); kInvalidArgument
  // residents/bad-correction ("note-too-long"); the registry's errors when applying.
  Result<CorrectionInfo> Resolve(const access::Principal& principal, CorrectionId id, bool accept,
                                 std::string_view note);

 private:
  ResidentStore& store_;
  ResidentRegistry& registry_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& read_audit_;
};

// The masked form of a proposed value, by field (masking.h).
std::string MaskProposedValue(CorrectionField field, std::string_view value);

}  // namespace gz::residents
