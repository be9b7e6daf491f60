#include "modules/residents/personal_data_sealing.h"

#include "crypto/problems.h"
#include "modules/residents/resident_flags.h"

namespace gz::residents {
namespace {

std::string HouseholdAd(const HouseholdInfo& h) {
  return "residents_households.address:" + std::to_string(h.id.value) + "|" + h.county_code + "|" + h.village_code;
}

std::string ResidentAd(std::string_view column, const ResidentInfo& r) {
  std::string ad = "residents_residents.";
  ad += column;
  ad += ":" + std::to_string(r.id.value) + "|" + std::to_string(r.household_id.value) + "|" + r.county_code + "|" +
        r.village_code + "|" + std::to_string(static_cast<int>(r.gender)) + "|" + std::to_string(r.birth_year) + "|";
  ad += RelationCode(r.relation);
  return ad;
}

std::string CorrectionAd(std::string_view column, const CorrectionInfo& c) {
  std::string ad = "residents_corrections.";
  ad += column;
  ad += ":" + std::to_string(c.id.value) + "|" + std::to_string(c.resident_id.value) + "|" +
        std::to_string(c.household_id.value) + "|" + c.village_code + "|";
  ad += CorrectionFieldCode(c.field);
  ad += "|" + std::to_string(c.requester_account);
  return ad;
}

Status Tampered(const char* column) {
  return FailedPrecondition(std::string(crypto::problems::kIntegrityFailure), "blind index does not match the sealed value")
      .With("column", column);
}

Result<std::string> OpenColumn(const crypto::FieldCipher& cipher, const char* column, std::string_view sealed,
                               const std::string& ad) {
  Result<std::string> opened = cipher.Open(sealed, ad);
  if (!opened.ok()) return Status(opened.status()).With("column", column);
  return opened;
}

}  // namespace

std::string IdNumberIndex(const crypto::FieldCipher& cipher, std::string_view normalized) {
  return cipher.BlindIndex(kIdNumberIndexDomain, normalized);
}

std::string PhoneIndex(const crypto::FieldCipher& cipher, std::string_view normalized) {
  return cipher.BlindIndex(kPhoneIndexDomain, normalized);
}

std::string NameIndex(const crypto::FieldCipher& cipher, std::string_view name) {
  std::string folded;
  folded.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ' ' || name[i] == '\t') continue;
    if (name.substr(i, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
      i += 2;
      continue;
    }
    folded += name[i];
  }
  return cipher.BlindIndex(kNameIndexDomain, folded);
}

SealedHousehold SealHousehold(const crypto::FieldCipher& cipher, const HouseholdInfo& info,
                              const HouseholdPersonalFields& fields) {
  return SealedHousehold{info, cipher.Seal(fields.address, HouseholdAd(info))};
}

SealedResident SealResident(const crypto::FieldCipher& cipher, const ResidentInfo& info,
                            const ResidentPersonalFields& fields) {
  SealedResident row;
  row.info = info;
  row.info.id_region = fields.id_number.substr(0, 6);
  row.name_sealed = cipher.Seal(fields.name, ResidentAd("name", info));
  row.name_index = NameIndex(cipher, fields.name);
  row.flags_sealed = cipher.Seal(EncodeFlags(fields.flags), ResidentAd("flags", info));
  row.id_number_sealed = cipher.Seal(fields.id_number, ResidentAd("id_number", info));
  row.id_number_index = IdNumberIndex(cipher, fields.id_number);
  if (fields.phone) {
    row.phone_sealed = cipher.Seal(*fields.phone, ResidentAd("phone", info));
    row.phone_index = PhoneIndex(cipher, *fields.phone);
  }
  return row;
}

Result<HouseholdPersonalFields> OpenHousehold(const crypto::FieldCipher& cipher, const SealedHousehold& row) {
  GZ_ASSIGN_OR_RETURN(std::string address, OpenColumn(cipher, "address", row.address_sealed, HouseholdAd(row.info)));
  return HouseholdPersonalFields{std::move(address)};
}

Result<ResidentPersonalFields> OpenResident(const crypto::FieldCipher& cipher, const SealedResident& row) {
  ResidentPersonalFields out;
  GZ_ASSIGN_OR_RETURN(out.name, OpenColumn(cipher, "name", row.name_sealed, ResidentAd("name", row.info)));
  GZ_ASSIGN_OR_RETURN(out.id_number,
                      OpenColumn(cipher, "id_number", row.id_number_sealed, ResidentAd("id_number", row.info)));
  if (IdNumberIndex(cipher, out.id_number) != row.id_number_index) return Tampered("id_number_index");
  if (!row.info.id_region.empty() && out.id_number.substr(0, 6) != row.info.id_region) return Tampered("id_region");
  if (row.name_index && NameIndex(cipher, out.name) != *row.name_index) return Tampered("name_index");
  if (row.flags_sealed) {
    GZ_ASSIGN_OR_RETURN(std::string flags, OpenColumn(cipher, "flags", *row.flags_sealed, ResidentAd("flags", row.info)));
    GZ_ASSIGN_OR_RETURN(out.flags, DecodeFlags(flags));
  }
  if (row.phone_sealed.has_value() != row.phone_index.has_value()) return Tampered("phone_index");
  if (row.phone_sealed) {
    GZ_ASSIGN_OR_RETURN(std::string phone, OpenColumn(cipher, "phone", *row.phone_sealed, ResidentAd("phone", row.info)));
    if (PhoneIndex(cipher, phone) != *row.phone_index) return Tampered("phone_index");
    out.phone = std::move(phone);
  }
  return out;
}

SealedCorrection SealCorrection(const crypto::FieldCipher& cipher, const CorrectionInfo& info,
                                const CorrectionTexts& texts) {
  SealedCorrection row;
  row.info = info;
  row.proposed_sealed = cipher.Seal(texts.proposed, CorrectionAd("proposed", info));
  row.reason_sealed = cipher.Seal(texts.reason, CorrectionAd("reason", info));
  if (info.status != CorrectionStatus::kOpen) row.note_sealed = cipher.Seal(texts.note, CorrectionAd("note", info));
  return row;
}

Result<CorrectionTexts> OpenCorrection(const crypto::FieldCipher& cipher, const SealedCorrection& row) {
  CorrectionTexts out;
  GZ_ASSIGN_OR_RETURN(out.proposed,
                      OpenColumn(cipher, "proposed", row.proposed_sealed, CorrectionAd("proposed", row.info)));
  GZ_ASSIGN_OR_RETURN(out.reason, OpenColumn(cipher, "reason", row.reason_sealed, CorrectionAd("reason", row.info)));
  if (row.note_sealed) {
    GZ_ASSIGN_OR_RETURN(out.note, OpenColumn(cipher, "note", *row.note_sealed, CorrectionAd("note", row.info)));
  }
  return out;
}

}  // namespace gz::residents
