// ResidentExporter: a village's register as a CSV or .xlsx file.
//
// Layer: residents import domain (service). Two kinds of file:
//   masked   (no purpose): every personal field masked as lists show it (residents/masking.h),
//            birth year instead of birth date, no flags. One audit event "residents.export"
//            (details: masked, format, count), written before the file is handed back.
//   revealed (a purpose, and the caller holds residents.reveal on the village: the route checks):
//            full values, birth date and flags. Every resident and household read is a reveal
//            ("residents.reveal", object resident / household, the purpose, details {"export":
//            format}) so that each villager's "who read my data" lists it, plus one
//            "residents.export" event naming the purpose and the count. All of them are written
//            in ONE transaction (AuditBatchWriter) before the file is returned; if that fails the
//            export is refused (residents/read-not-audited) and nothing leaves.
// The reads go through the residents module's AuditedPersonalDataReader, whose sink here is a
// batch that the exporter commits once it has read everything (the data stays in this call until
// then), rather than one durable transaction per resident.
//
// Files: one row per resident, households numbered 1, 2, ... in register order (户号), headers in
// the caller's language (Chinese headers re-import as they are; so do the English ones). Every
// text cell is neutralised against formula injection by the tabular writers.
//
// Thread-safe if its dependencies are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "access/audit_event.h"
#include "access/principal.h"
#include "core/clock.h"
#include "core/status.h"
#include "crypto/field_cipher.h"
#include "modules/residents/import/import_job.h"
#include "modules/residents/masked_register.h"
#include "modules/residents/resident_registry.h"
#include "modules/residents/resident_store.h"

namespace gz::residents::import {

enum class ExportFormat { kCsv, kXlsx };
std::optional<ExportFormat> ParseExportFormat(std::string_view text);  // "csv" | "xlsx"

struct ExportRequest {
  ExportFormat format = ExportFormat::kCsv;
  std::string purpose;       // empty: masked
  bool english = false;      // headers and value names in English
  std::string request_id;    // for the audit records
};

struct ExportFile {
  std::string bytes;
  std::string content_type;  // text/csv; charset=utf-8 | application/vnd.openxmlformats-...
  std::string file_name;     // residents-<village>-<yyyymmdd>[-masked].csv|xlsx: ASCII only
  int64_t residents = 0;
};

inline constexpr int64_t kMaxExportResidents = 20'000;

class ResidentExporter {
 public:
  // All must outlive the exporter.
  ResidentExporter(ResidentRegistry& registry, ResidentStore& store, MaskedRegister& masked,
                   const crypto::FieldCipher& cipher, access::AuditSink& sink, AuditBatchWriter& batch,
                   const Clock& clock, int64_t max_residents = kMaxExportResidents)
      : registry_(registry), store_(store), masked_(masked), cipher_(cipher), sink_(sink), batch_(batch),
        clock_(clock), max_residents_(max_residents) {}

  // REQUIRES: the caller may export the village, and (with a purpose) reveal in it.
  // Errors: residents-import/too-many-residents {limit} (kTooLarge), residents/read-not-audited
  // (kUnavailable), the store's.
  Result<ExportFile> Export(const access::Principal& caller, std::string_view village_code, const ExportRequest& request);

 private:
  Result<ExportFile> Masked(const access::Principal& caller, std::string_view village_code, const ExportRequest& request);
  Result<ExportFile> Revealed(const access::Principal& caller, std::string_view village_code, const ExportRequest& request);
  Result<ExportFile> Finish(std::vector<std::string> header, std::vector<std::vector<std::string>> rows,
                            std::string_view village_code, const ExportRequest& request, bool masked);

  ResidentRegistry& registry_;
  ResidentStore& store_;
  MaskedRegister& masked_;
  const crypto::FieldCipher& cipher_;
  access::AuditSink& sink_;
  AuditBatchWriter& batch_;
  const Clock& clock_;
  int64_t max_residents_;
};

}  // namespace gz::residents::import
