// PersonalDataReader: the ONE way to read residents' personal fields in clear.
//
// Layer: residents domain (interface, its sealed-store implementation and the auditing
// decorator). Every read of a name, ID number, phone number, address or flag goes through this
// interface, and every read names who reads and why (ReadContext):
//
//   caller ──> AuditedPersonalDataReader ──> SealedPersonalDataReader ──> store + cipher
//                 │ writes one access::AuditEvent per object read, durably, BEFORE returning;
//                 │ if it cannot, the read is refused (kUnavailable): fail closed
//                 └─> access::AuditSink
//
// The composition root hands only the audited reader to routes and services. Masked views
// (masked_register.h) open and mask in one step and never return a clear value; correction
// requests are opened by CorrectionService under the same rule (audit first).
//
// No other code in gongzhi may call FieldCipher::Open on residents' columns.
#pragma once

#include <string>
#include <string_view>

#include "access/audit_event.h"
#include "access/principal.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/resident.h"
#include "modules/residents/resident_store.h"

namespace gz::residents {

// Audit actions of reads. A staff member (or a villager, or a helper for them) asking to see a
// field in full is a reveal; any other clear read (a villager's own data export) is a read.
inline constexpr std::string_view kActionReveal = "residents.reveal";
inline constexpr std::string_view kActionReadPersonal = "residents.read_personal";

// Who reads, why, and under which audit action. `principal` must outlive the call.
struct ReadContext {
  const access::Principal& principal;
  std::string purpose;     // the caller's stated reason ("self-access", or what the staff typed)
  std::string request_id = {};  // for the audit record; the principal's when empty
  std::string_view action = kActionReadPersonal;
  std::string details = {};  // a JSON object of extra facts (never values), e.g. {"fields":["phone"]}
};

struct ResidentRecord {
  ResidentInfo info;
  ResidentPersonalFields personal;
};
struct HouseholdRecord {
  HouseholdInfo info;
  HouseholdPersonalFields personal;
};

class PersonalDataReader {
 public:
  virtual ~PersonalDataReader() = default;

  // The resident's facts and personal fields, opened and checked. Returns kNotFound
  // "residents/resident-not-found"; kFailedPrecondition "crypto/integrity-failure" (argument
  // "column", and "resident") if the row was altered at rest -- tampered data is never returned.
  virtual Result<ResidentRecord> ReadPersonalFields(const ReadContext& context, ResidentId id) = 0;

  // The household's facts and personal fields (its address); errors as above, "household".
  virtual Result<HouseholdRecord> ReadHouseholdPersonalFields(const ReadContext& context, HouseholdId id) = 0;
};

// Reads from the store and opens with the cipher; writes no audit (wrap it). Logs an error event
// "residents.integrity_failure" (row id and column only) on a failed check. Thread-safe.
class SealedPersonalDataReader final : public PersonalDataReader {
 public:
  // Both must outlive the reader.
  SealedPersonalDataReader(ResidentStore& store, const crypto::FieldCipher& cipher);

  Result<ResidentRecord> ReadPersonalFields(const ReadContext& context, ResidentId id) override;
  Result<HouseholdRecord> ReadHouseholdPersonalFields(const ReadContext& context, HouseholdId id) override;

 private:
  ResidentStore& store_;
  const crypto::FieldCipher& cipher_;
};

// The decorator: after a successful inner read, appends one audit event (context.action,
// object_type "resident" / "household", object_id, division = the village, purpose, request id,
// actor and acting-for from the principal) through `sink`, and only then returns the data. If
// the sink fails, returns kUnavailable "residents/read-not-audited" and no data. An empty
// purpose is refused before anything is read (kInvalidArgument "residents/bad-purpose"). A read
// that fails (not found, tampered) returns its error and writes no event: nothing was disclosed.
class AuditedPersonalDataReader final : public PersonalDataReader {
 public:
  // Both must outlive the reader.
  AuditedPersonalDataReader(PersonalDataReader& inner, access::AuditSink& sink) : inner_(inner), sink_(sink) {}

  Result<ResidentRecord> ReadPersonalFields(const ReadContext& context, ResidentId id) override;
  Result<HouseholdRecord> ReadHouseholdPersonalFields(const ReadContext& context, HouseholdId id) override;

 private:
  PersonalDataReader& inner_;
  access::AuditSink& sink_;
};

// The audit event of a clear read (shared with CorrectionService, which reads its own rows).
access::AuditEvent ReadEvent(const ReadContext& context, std::string_view object_type, std::string object_id,
                             std::string division);
// Appends `event` through `sink`; maps any failure to kUnavailable "residents/read-not-audited"
// (logged with the request id, never with values).
Status AppendReadEvent(access::AuditSink& sink, const access::AuditEvent& event);

}  // namespace gz::residents
