#include "modules/residents/personal_data_reader.h"

#include "core/log.h"
#include "modules/residents/personal_data_sealing.h"
#include "modules/residents/problems.h"

namespace gz::residents {

SealedPersonalDataReader::SealedPersonalDataReader(ResidentStore& store, const crypto::FieldCipher& cipher)
    : store_(store), cipher_(cipher) {}

Result<ResidentRecord> SealedPersonalDataReader::ReadPersonalFields(const ReadContext&, ResidentId id) {
  GZ_ASSIGN_OR_RETURN(SealedResident row, store_.GetResident(id));
  Result<ResidentPersonalFields> fields = OpenResident(cipher_, row);
  if (!fields.ok()) {
    // Tampering at rest must be visible to operators (T-INTEG), without any personal value.
    log::Error("residents.integrity_failure", {{"resident_id", id.value},
                                               {"column", std::string(fields.status().Arg("column"))},
                                               {"slug", fields.status().slug()}});
    return Status(fields.status()).With("resident", std::to_string(id.value));
  }
  return ResidentRecord{std::move(row.info), std::move(fields).value()};
}

Result<HouseholdRecord> SealedPersonalDataReader::ReadHouseholdPersonalFields(const ReadContext&, HouseholdId id) {
  GZ_ASSIGN_OR_RETURN(SealedHousehold row, store_.GetHousehold(id));
  Result<HouseholdPersonalFields> fields = OpenHousehold(cipher_, row);
  if (!fields.ok()) {
    log::Error("residents.integrity_failure", {{"household_id", id.value},
                                               {"column", std::string(fields.status().Arg("column"))},
                                               {"slug", fields.status().slug()}});
    return Status(fields.status()).With("household", std::to_string(id.value));
  }
  return HouseholdRecord{std::move(row.info), std::move(fields).value()};
}

access::AuditEvent ReadEvent(const ReadContext& context, std::string_view object_type, std::string object_id,
                             std::string division) {
  access::AuditEvent e = access::EventFor(context.principal, std::string(context.action));
  e.object_type = std::string(object_type);
  e.object_id = std::move(object_id);
  e.division = std::move(division);
  e.purpose = context.purpose;
  if (!context.request_id.empty()) e.request_id = context.request_id;
  e.details = context.details;
  return e;
}

Status AppendReadEvent(access::AuditSink& sink, const access::AuditEvent& event) {
  Status s = sink.Append(event);
  if (s.ok()) return s;
  log::Error("residents.read_not_audited", {{"request_id", event.request_id},
                                            {"object_type", event.object_type},
                                            {"object_id", event.object_id},
                                            {"detail", s.ToString()}});
  return Unavailable(std::string(problems::kReadNotAudited), "the audit sink refused the record");
}

namespace {

Status CheckPurpose(const ReadContext& context) {
  if (context.purpose.empty()) return InvalidArgument(std::string(problems::kBadPurpose)).With("reason", "missing");
  return Status::Ok();
}

}  // namespace

Result<ResidentRecord> AuditedPersonalDataReader::ReadPersonalFields(const ReadContext& context, ResidentId id) {
  GZ_RETURN_IF_ERROR(CheckPurpose(context));
  GZ_ASSIGN_OR_RETURN(ResidentRecord record, inner_.ReadPersonalFields(context, id));
  GZ_RETURN_IF_ERROR(AppendReadEvent(
      sink_, ReadEvent(context, "resident", std::to_string(id.value), record.info.village_code)));
  return record;
}

Result<HouseholdRecord> AuditedPersonalDataReader::ReadHouseholdPersonalFields(const ReadContext& context,
                                                                                HouseholdId id) {
  GZ_RETURN_IF_ERROR(CheckPurpose(context));
  GZ_ASSIGN_OR_RETURN(HouseholdRecord record, inner_.ReadHouseholdPersonalFields(context, id));
  GZ_RETURN_IF_ERROR(AppendReadEvent(
      sink_, ReadEvent(context, "household", std::to_string(id.value), record.info.village_code)));
  return record;
}

}  // namespace gz::residents
