// Village register exports. Layer: residents import domain.
#include "modules/residents/import/resident_export.h"

#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

#include "modules/residents/civil_date.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/personal_data_reader.h"
#include "modules/residents/problems.h"
#include "modules/residents/resident_flags.h"
#include "tabular/csv.h"
#include "tabular/table.h"
#include "tabular/xlsx.h"

namespace gz::residents::import {
namespace {

constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Collects the reader's audit events; the exporter commits them in one transaction before any
// value leaves Export().
class BatchSink final : public access::AuditSink {
 public:
  Status Append(const access::AuditEvent& event) override {
    std::lock_guard lock(mu_);
    events_.push_back(event);
    return Status::Ok();
  }
  std::vector<access::AuditEvent> Take() {
    std::lock_guard lock(mu_);
    return std::move(events_);
  }

 private:
  std::mutex mu_;
  std::vector<access::AuditEvent> events_;
};

std::string GenderText(Gender g, bool english) {
  if (english) return std::string(GenderCode(g));
  return g == Gender::kMale ? "男" : "女";
}

std::string RelationText(Relation r, bool english) {
  return std::string(english ? RelationCode(r) : RelationNameZh(r));
}

std::string FlagsText(const std::vector<std::string>& flags, bool english) {
  std::string out;
  for (const std::string& code : flags) {
    const FlagDefinition* f = FindFlag(code);
    if (!out.empty()) out += english ? ", " : "、";
    out += f == nullptr ? code : std::string(english ? f->name_en : f->name_zh);
  }
  return out;
}

// "1990-01-05" from a canonical ID number (digits 7-14).
std::string BirthDateOf(std::string_view id_number) {
  if (id_number.size() != 18) return {};
  return std::string(id_number.substr(6, 4)) + "-" + std::string(id_number.substr(10, 2)) + "-" +
         std::string(id_number.substr(12, 2));
}

std::vector<std::string> Header(bool english, bool masked) {
  if (english)
    return masked ? std::vector<std::string>{"household", "name", "gender", "birth_year", "id_number", "relation",
                                             "phone", "address"}
                  : std::vector<std::string>{"household", "name",     "gender", "birth_date", "id_number",
                                             "relation",  "phone", "address", "flags"};
  return masked ? std::vector<std::string>{"户号", "姓名", "性别", "出生年份", "公民身份号码", "与户主关系", "联系电话", "家庭住址"}
                : std::vector<std::string>{"户号", "姓名", "性别", "出生日期", "公民身份号码", "与户主关系", "联系电话",
                                           "家庭住址", "特殊标识"};
}

// Households numbered 1, 2, ... in the order they first appear.
class HouseholdNumbers {
 public:
  std::string Of(HouseholdId id) {
    auto [it, inserted] = numbers_.try_emplace(id.value, static_cast<int64_t>(numbers_.size()) + 1);
    return std::to_string(it->second);
  }

 private:
  std::map<int64_t, int64_t> numbers_;
};

std::string Details(std::string_view format, bool masked, int64_t count) {
  return "{\"format\":\"" + std::string(format) + "\",\"masked\":" + (masked ? "true" : "false") +
         ",\"count\":" + std::to_string(count) + "}";
}

std::string_view FormatCode(ExportFormat f) { return f == ExportFormat::kCsv ? "csv" : "xlsx"; }

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view text) {
  if (text == "csv") return ExportFormat::kCsv;
  if (text == "xlsx") return ExportFormat::kXlsx;
  return std::nullopt;
}

Result<ExportFile> ResidentExporter::Export(const access::Principal& caller, std::string_view village_code,
                                            const ExportRequest& request) {
  return request.purpose.empty() ? Masked(caller, village_code, request) : Revealed(caller, village_code, request);
}

Result<ExportFile> ResidentExporter::Masked(const access::Principal& caller, std::string_view village_code,
                                            const ExportRequest& request) {
  std::map<int64_t, std::string> addresses;
  for (int64_t offset = 0;; offset += kMaxPageSize) {
    GZ_ASSIGN_OR_RETURN(MaskedHouseholdPage page, masked_.Households(village_code, kMaxPageSize, offset));
    for (const MaskedHousehold& h : page.items) addresses[h.info.id.value] = h.address;
    if (page.items.empty() || offset + static_cast<int64_t>(page.items.size()) >= page.total) break;
  }
  std::vector<std::vector<std::string>> rows;
  HouseholdNumbers numbers;
  for (int64_t offset = 0;; offset += kMaxPageSize) {
    GZ_ASSIGN_OR_RETURN(MaskedResidentPage page, masked_.Residents(village_code, kMaxPageSize, offset));
    if (page.total > max_residents_)
      return TooLarge(std::string(problems::kTooManyResidents)).With("limit", std::to_string(max_residents_));
    for (const MaskedResident& r : page.items) {
      rows.push_back({numbers.Of(r.info.household_id), r.name, GenderText(r.info.gender, request.english),
                      std::to_string(r.info.birth_year), r.id_number, RelationText(r.info.relation, request.english),
                      r.phone.value_or(""), addresses[r.info.household_id.value]});
    }
    if (page.items.empty() || offset + static_cast<int64_t>(page.items.size()) >= page.total) break;
  }
  access::AuditEvent event = access::EventFor(caller, "residents.export");
  event.object_type = "village";
  event.object_id = std::string(village_code);
  event.division = std::string(village_code);
  if (!request.request_id.empty()) event.request_id = request.request_id;
  event.details = Details(FormatCode(request.format), true, static_cast<int64_t>(rows.size()));
  if (!sink_.Append(event).ok()) return Unavailable(std::string(residents::problems::kReadNotAudited));
  return Finish(Header(request.english, true), std::move(rows), village_code, request, true);
}

Result<ExportFile> ResidentExporter::Revealed(const access::Principal& caller, std::string_view village_code,
                                              const ExportRequest& request) {
  GZ_ASSIGN_OR_RETURN(std::vector<ResidentInfo> people, registry_.ListResidents(village_code));
  if (static_cast<int64_t>(people.size()) > max_residents_)
    return TooLarge(std::string(problems::kTooManyResidents)).With("limit", std::to_string(max_residents_));
  BatchSink batch_sink;
  SealedPersonalDataReader sealed(store_, cipher_);
  AuditedPersonalDataReader reader(sealed, batch_sink);
  const std::string format(FormatCode(request.format));
  const ReadContext context{caller, request.purpose, request.request_id, kActionReveal,
                            "{\"export\":\"" + format + "\"}"};

  std::map<int64_t, std::string> addresses;
  HouseholdNumbers numbers;
  std::vector<std::vector<std::string>> rows;
  rows.reserve(people.size());
  int64_t revealed = 0;
  for (const ResidentInfo& info : people) {
    auto address = addresses.find(info.household_id.value);
    if (address == addresses.end()) {
      Result<HouseholdRecord> household = reader.ReadHouseholdPersonalFields(context, info.household_id);
      // A row that fails its integrity check is listed without values, as masked lists do.
      address = addresses.emplace(info.household_id.value, household.ok() ? household->personal.address : "").first;
      if (!household.ok() && household.status().slug() != "crypto/integrity-failure") return household.status();
    }
    Result<ResidentRecord> record = reader.ReadPersonalFields(context, info.id);
    if (!record.ok() && record.status().slug() != "crypto/integrity-failure") return record.status();
    std::vector<std::string> row = {numbers.Of(info.household_id), "", GenderText(info.gender, request.english), "",
                                    "", RelationText(info.relation, request.english), "", address->second, ""};
    if (record.ok()) {
      ++revealed;
      row[1] = record->personal.name;
      row[3] = BirthDateOf(record->personal.id_number);
      row[4] = record->personal.id_number;
      row[6] = record->personal.phone.value_or("");
      row[8] = FlagsText(record->personal.flags, request.english);
    }
    rows.push_back(std::move(row));
  }

  std::vector<access::AuditEvent> events = batch_sink.Take();
  access::AuditEvent event = access::EventFor(caller, "residents.export");
  event.object_type = "village";
  event.object_id = std::string(village_code);
  event.division = std::string(village_code);
  event.purpose = request.purpose;
  if (!request.request_id.empty()) event.request_id = request.request_id;
  event.details = Details(format, false, revealed);
  events.push_back(std::move(event));
  // Fail closed: without the records of who read what, nothing is handed out.
  if (!batch_.AppendAll(events).ok()) return Unavailable(std::string(residents::problems::kReadNotAudited));
  return Finish(Header(request.english, false), std::move(rows), village_code, request, false);
}

Result<ExportFile> ResidentExporter::Finish(std::vector<std::string> header, std::vector<std::vector<std::string>> rows,
                                            std::string_view village_code, const ExportRequest& request, bool masked) {
  ExportFile file;
  file.residents = static_cast<int64_t>(rows.size());
  const tabular::Table table = tabular::Table::FromStrings(header, rows);
  const CivilDate today = ChinaDateOf(clock_.Now());
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02d%02d", today.year, today.month, today.day);
  file.file_name = "residents-" + std::string(village_code) + "-" + date + (masked ? "-masked" : "");
  if (request.format == ExportFormat::kCsv) {
    file.bytes = tabular::WriteCsv(table);
    file.content_type = "text/csv; charset=utf-8";
    file.file_name += ".csv";
  } else {
    GZ_ASSIGN_OR_RETURN(file.bytes, tabular::WriteXlsx(table, request.english ? "residents" : "居民"));
    file.content_type = std::string(kXlsxType);
    file.file_name += ".xlsx";
  }
  return file;
}

}  // namespace gz::residents::import
