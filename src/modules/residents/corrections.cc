#include "modules/residents/corrections.h"

#include <algorithm>
#include <map>

#include "core/log.h"
#include "crypto/crypto.h"
#include "modules/residents/id_number.h"
#include "modules/residents/masking.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/phone.h"
#include "modules/residents/problems.h"

namespace gz::residents {

std::string_view CorrectionFieldCode(CorrectionField f) {
  switch (f) {
    case CorrectionField::kName: return "name";
    case CorrectionField::kIdNumber: return "id_number";
    case CorrectionField::kPhone: return "phone";
    case CorrectionField::kAddress: return "address";
  }
  return "phone";
}

std::optional<CorrectionField> ParseCorrectionField(std::string_view code) {
  for (CorrectionField f : {CorrectionField::kName, CorrectionField::kIdNumber, CorrectionField::kPhone,
                            CorrectionField::kAddress})
    if (CorrectionFieldCode(f) == code) return f;
  return std::nullopt;
}

std::string_view CorrectionStatusCode(CorrectionStatus s) {
  switch (s) {
    case CorrectionStatus::kOpen: return "open";
    case CorrectionStatus::kAccepted: return "accepted";
    case CorrectionStatus::kDeclined: return "declined";
  }
  return "open";
}

std::optional<CorrectionStatus> ParseCorrectionStatus(std::string_view code) {
  for (CorrectionStatus s : {CorrectionStatus::kOpen, CorrectionStatus::kAccepted, CorrectionStatus::kDeclined})
    if (CorrectionStatusCode(s) == code) return s;
  return std::nullopt;
}

std::string MaskProposedValue(CorrectionField field, std::string_view value) {
  switch (field) {
    case CorrectionField::kName: return MaskName(value);
    case CorrectionField::kIdNumber: return MaskIdNumber(value);
    case CorrectionField::kPhone: return MaskPhone(value);
    case CorrectionField::kAddress: return MaskAddress(value);
  }
  return MaskName(value);
}

namespace {

Status BadCorrection(const char* reason) {
  return InvalidArgument(std::string(problems::kBadCorrection)).With("reason", reason);
}

// Free text for people: any printable text and line breaks, no other control characters.
bool IsFreeText(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f;
  });
}

access::AuditEvent CorrectionEvent(const access::Principal& principal, std::string action, const CorrectionInfo& c,
                                   std::string details) {
  access::AuditEvent e = access::EventFor(principal, std::move(action));
  e.object_type = "correction";
  e.object_id = std::to_string(c.id.value);
  e.division = c.village_code;
  e.details = std::move(details);
  return e;
}

Result<CorrectionTexts> Open(const crypto::FieldCipher& cipher, const SealedCorrection& row) {
  Result<CorrectionTexts> texts = OpenCorrection(cipher, row);
  if (!texts.ok()) {
    log::Error("residents.integrity_failure", {{"correction_id", row.info.id.value},
                                               {"column", std::string(texts.status().Arg("column"))},
                                               {"slug", texts.status().slug()}});
    return Status(texts.status()).With("correction", std::to_string(row.info.id.value));
  }
  return texts;
}

// {"count":N,"corrections":["id",...]} with at most 50 ids, so the details stay far below the
// audit record's 4 KiB whatever a villager's history holds.
std::string CorrectionDetails(const std::vector<int64_t>& ids) {
  constexpr size_t kMaxIds = 50;
  std::string out = "{\"count\":" + std::to_string(ids.size()) + ",\"corrections\":[";
  for (size_t i = 0; i < ids.size() && i < kMaxIds; ++i) {
    if (i) out += ',';
    out += '"';
    out += std::to_string(ids[i]);
    out += '"';
  }
  return out + "]}";
}

}  // namespace

CorrectionService::CorrectionService(ResidentStore& store, ResidentRegistry& registry,
                                     const crypto::FieldCipher& cipher, access::AuditSink& read_audit)
    : store_(store), registry_(registry), cipher_(cipher), read_audit_(read_audit) {}

Result<CorrectionInfo> CorrectionService::Request(const access::Principal& principal, const CorrectionRequest& request) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  const access::Person& subject = principal.subject();
  if (subject.resident_id == 0) return NotFound(std::string(problems::kNotLinked));
  if (request.reason.empty()) return BadCorrection("empty-reason");
  if (request.reason.size() > kMaxReasonBytes || !IsFreeText(request.reason))
    return BadCorrection("reason-too-long").With("limit", std::to_string(kMaxReasonBytes));

  std::string proposed;
  switch (request.field) {
    case CorrectionField::kName:
      GZ_RETURN_IF_ERROR(CheckName(request.proposed_value));
      proposed = request.proposed_value;
      break;
    case CorrectionField::kIdNumber: {
      GZ_ASSIGN_OR_RETURN(proposed, registry_.CheckIdNumber(request.proposed_value));
      break;
    }
    case CorrectionField::kPhone: {
      std::optional<std::string> phone = NormalizeMobile(request.proposed_value);
      if (!phone) return InvalidArgument(std::string(problems::kBadPhone));
      proposed = std::move(*phone);
      break;
    }
    case CorrectionField::kAddress:
      GZ_RETURN_IF_ERROR(CheckAddress(request.proposed_value));
      proposed = request.proposed_value;
      break;
  }

  GZ_ASSIGN_OR_RETURN(SealedResident resident, store_.GetResident(ResidentId{subject.resident_id}));
  GZ_ASSIGN_OR_RETURN(std::vector<SealedCorrection> existing, store_.CorrectionsOfResident(resident.info.id));
  const auto open = std::count_if(existing.begin(), existing.end(),
                                  [](const SealedCorrection& c) { return c.info.status == CorrectionStatus::kOpen; });
  if (open >= kMaxOpenCorrections)
    return FailedPrecondition(std::string(problems::kTooManyOpenCorrections)).With("limit", std::to_string(kMaxOpenCorrections));

  const int64_t now_ms = NowMs(registry_.clock());
  CorrectionInfo info;
  info.id = CorrectionId{crypto::NewRowId(now_ms)};
  info.resident_id = resident.info.id;
  info.household_id = resident.info.household_id;
  info.county_code = resident.info.county_code;
  info.village_code = resident.info.village_code;
  info.requester_account = subject.account_id;
  info.field = request.field;
  info.status = CorrectionStatus::kOpen;
  info.created_at_ms = now_ms;
  TxAudit audit{{}, now_ms};
  audit.events.push_back(CorrectionEvent(principal, "corrections.request", info,
                                         "{\"field\":\"" + std::string(CorrectionFieldCode(info.field)) +
                                             "\",\"resident\":\"" + std::to_string(info.resident_id.value) + "\"}"));
  GZ_RETURN_IF_ERROR(store_.InsertCorrection(SealCorrection(cipher_, info, {proposed, request.reason, ""}), audit));
  return info;
}

Result<std::vector<CorrectionView>> CorrectionService::Mine(const access::Principal& principal) {
  const access::Person& subject = principal.subject();
  if (subject.resident_id == 0) return std::vector<CorrectionView>{};
  GZ_ASSIGN_OR_RETURN(std::vector<SealedCorrection> rows, store_.CorrectionsOfResident(ResidentId{subject.resident_id}));
  std::vector<CorrectionView> out;
  if (rows.empty()) return out;
  std::vector<int64_t> ids;
  for (const SealedCorrection& r : rows) ids.push_back(r.info.id.value);
  ReadContext context{principal, "self-access", "", kActionReadPersonal, CorrectionDetails(ids)};
  GZ_RETURN_IF_ERROR(AppendReadEvent(
      read_audit_, ReadEvent(context, "resident", std::to_string(subject.resident_id), rows.front().info.village_code)));
  for (const SealedCorrection& r : rows) {
    GZ_ASSIGN_OR_RETURN(CorrectionTexts texts, Open(cipher_, r));
    out.push_back(CorrectionView{r.info, std::move(texts)});
  }
  return out;
}

Result<StaffCorrectionPage> CorrectionService::OfVillage(const access::Principal& principal,
                                                         std::string_view village_code,
                                                         std::optional<CorrectionStatus> status, int64_t limit,
                                                         int64_t offset) {
  GZ_ASSIGN_OR_RETURN(CorrectionPage page, store_.CorrectionsOfVillage(village_code, status, limit, offset));
  StaffCorrectionPage out;
  out.total = page.total;
  if (page.items.empty()) return out;
  // One event per resident concerned, so that each villager finds the read among the reads of
  // their own record (GET /api/v1/me/data-reads looks for object_type "resident").
  std::map<int64_t, std::vector<int64_t>> by_resident;
  for (const SealedCorrection& r : page.items) by_resident[r.info.resident_id.value].push_back(r.info.id.value);
  for (const auto& [resident, ids] : by_resident) {
    ReadContext context{principal, "corrections.review", "", kActionReadPersonal, CorrectionDetails(ids)};
    GZ_RETURN_IF_ERROR(AppendReadEvent(read_audit_, ReadEvent(context, "resident", std::to_string(resident),
                                                              std::string(village_code))));
  }
  for (const SealedCorrection& r : page.items) {
    GZ_ASSIGN_OR_RETURN(CorrectionTexts texts, Open(cipher_, r));
    out.items.push_back(StaffCorrectionView{r.info, MaskProposedValue(r.info.field, texts.proposed),
                                            std::move(texts.reason), std::move(texts.note)});
  }
  return out;
}

Result<CorrectionInfo> CorrectionService::Get(CorrectionId id) {
  GZ_ASSIGN_OR_RETURN(SealedCorrection row, store_.GetCorrection(id));
  return row.info;
}

Result<CorrectionInfo> CorrectionService::Resolve(const access::Principal& principal, CorrectionId id, bool accept,
                                                  std::string_view note) {
  GZ_RETURN_IF_ERROR(crypto::Initialize());
  if (note.size() > kMaxNoteBytes || !IsFreeText(note))
    return BadCorrection("note-too-long").With("limit", std::to_string(kMaxNoteBytes));
  GZ_ASSIGN_OR_RETURN(SealedCorrection row, store_.GetCorrection(id));
  if (row.info.status != CorrectionStatus::kOpen) return FailedPrecondition(std::string(problems::kCorrectionClosed));
  // Separation of duties: nobody decides on their own request, whoever they act for.
  if (row.info.requester_account == principal.self.account_id ||
      row.info.requester_account == principal.subject().account_id)
    return PermissionDenied(std::string(problems::kOwnRequest));
  GZ_ASSIGN_OR_RETURN(CorrectionTexts texts, Open(cipher_, row));
  texts.note = std::string(note);

  const int64_t now_ms = NowMs(registry_.clock());
  CorrectionInfo info = row.info;
  info.status = accept ? CorrectionStatus::kAccepted : CorrectionStatus::kDeclined;
  info.resolver_account = principal.self.account_id;
  info.resolved_at_ms = now_ms;

  TxAudit audit{{}, now_ms};
  audit.events.push_back(CorrectionEvent(
      principal, "corrections.resolve", info,
      "{\"decision\":\"" + std::string(CorrectionStatusCode(info.status)) + "\",\"field\":\"" +
          std::string(CorrectionFieldCode(info.field)) + "\"}"));
  std::optional<ResidentUpdate> resident_update;
  std::optional<HouseholdUpdate> household_update;
  if (accept) {
    access::AuditEvent change = access::EventFor(principal, "residents.update");
    change.division = info.village_code;
    if (info.field == CorrectionField::kAddress) {
      GZ_ASSIGN_OR_RETURN(household_update, registry_.PrepareAddressUpdate(info.household_id, texts.proposed));
      change.object_type = "household";
      change.object_id = std::to_string(info.household_id.value);
      change.details = "{\"fields\":[\"address\"],\"correction\":\"" + std::to_string(info.id.value) + "\"}";
    } else {
      ResidentChange c;
      if (info.field == CorrectionField::kName) c.name = texts.proposed;
      if (info.field == CorrectionField::kIdNumber) c.id_number = texts.proposed;
      if (info.field == CorrectionField::kPhone) c.phone = std::optional<std::string>(texts.proposed);
      std::vector<std::string> fields;
      GZ_ASSIGN_OR_RETURN(resident_update, registry_.PrepareResidentUpdate(info.resident_id, c, &fields));
      change.object_type = "resident";
      change.object_id = std::to_string(info.resident_id.value);
      std::string names;
      for (const std::string& f : fields) names += (names.empty() ? "\"" : ",\"") + f + "\"";
      change.details = "{\"fields\":[" + names + "],\"correction\":\"" + std::to_string(info.id.value) + "\"}";
    }
    audit.events.push_back(std::move(change));
  }
  GZ_RETURN_IF_ERROR(store_.ResolveCorrection(SealCorrection(cipher_, info, texts), resident_update, household_update, audit));
  return info;
}

}  // namespace gz::residents
