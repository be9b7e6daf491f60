// The import and export routes. Layer: residents import api.
#include "modules/residents/import/api/import_routes.h"

#include <algorithm>

#include <boost/json.hpp>

#include "http/json.h"
#include "modules/residents/api/route_helpers.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/masking.h"
#include "modules/residents/problems.h"

namespace gz::residents::import {
namespace {

namespace json = boost::json;
using access::Target;

constexpr size_t kSmallBody = 1024;
constexpr int64_t kMaxReportPage = 5'000;
constexpr int64_t kDefaultReportPage = 500;
constexpr size_t kMinPurposeChars = 4;
constexpr size_t kMaxPurposeChars = 200;
constexpr size_t kMaxPurposeBytes = 800;

Status VillageNotFound() { return NotFound(std::string(residents::problems::kVillageNotFound)); }
Status ImportNotFound() { return NotFound(std::string(problems::kImportNotFound)); }

Result<std::string> RequireVillage(const http::Request& req, const ImportRouteDeps& d, std::string_view permission) {
  std::string code(req.PathParam("code"));
  if (code.size() != 12 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return VillageNotFound();
  GZ_RETURN_IF_ERROR(d.gate.Require(req.Caller(), permission, Target{code, 0, 0, 0}, VillageNotFound()));
  if (!d.villages.IsVillage(code)) return VillageNotFound();
  return code;
}

Result<ImportJobInfo> RequireImport(const http::Request& req, const ImportRouteDeps& d) {
  std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
  if (!id) return ImportNotFound();
  GZ_ASSIGN_OR_RETURN(ImportJobInfo info, d.imports.Find(*id));
  GZ_RETURN_IF_ERROR(
      d.gate.Require(req.Caller(), "residents.import", Target{info.village_code, 0, 0, 0}, ImportNotFound()));
  return info;
}

// The body of an upload must be the file itself. Browsers label CSV files application/vnd.ms-excel
// on Windows, so that is accepted too; the bytes decide the format either way.
Status CheckUploadType(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static constexpr std::string_view kAccepted[] = {
      "", "text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
  for (std::string_view a : kAccepted)
    if (type == a) return Status::Ok();
  std::string reason = "content-type";
  if (type.starts_with("multipart/")) reason = "multipart";
  else if (type.find("json") != std::string::npos) reason = "json";
  return InvalidArgument(std::string(problems::kUnsupportedFileType)).With("reason", reason);
}

std::string_view DetailText(std::string_view code, http::Language lang) {
  for (const problems::ReasonText& t : problems::kDetailTexts)
    if (t.code == code) return lang == http::Language::kEn ? t.en : t.zh;
  return {};
}

std::string Message(const Reason& r, http::Language lang) {
  std::string out;
  for (const problems::ReasonText& t : problems::kReasonTexts)
    if (t.code == r.code) out = std::string(lang == http::Language::kEn ? t.en : t.zh);
  if (out.empty()) out = r.code;
  if (std::string_view detail = DetailText(r.detail, lang); !detail.empty())
    out += lang == http::Language::kEn ? " (" + std::string(detail) + ")" : "（" + std::string(detail) + "）";
  if (r.other_row != 0)
    out += lang == http::Language::kEn ? "; also row " + std::to_string(r.other_row)
                                       : "；另见第 " + std::to_string(r.other_row) + " 行";
  return out;
}

json::object TotalsJson(const ImportTotals& t) {
  return json::object{{"rows", t.rows},           {"create", t.create}, {"update", t.update},
                      {"unchanged", t.unchanged}, {"reject", t.reject}, {"skipped", t.skipped},
                      {"households", t.households}};
}

json::object RowJson(const RowReport& r, http::Language lang) {
  json::object o{{"row", r.row}, {"outcome", OutcomeCode(r.outcome)}, {"household_row", r.household_row}};
  if (!r.household.empty()) o["household"] = r.household;
  else o["household"] = nullptr;
  o["name"] = r.name;
  o["id_number"] = r.id_number;
  json::array changes;
  for (const std::string& c : r.changes) changes.push_back(json::value(c));
  o["changes"] = std::move(changes);
  json::array reasons;
  for (const Reason& reason : r.reasons) {
    json::object ro{{"code", reason.code}, {"column", reason.column}};
    if (!reason.detail.empty()) ro["detail"] = reason.detail;
    if (reason.other_row != 0) ro["other_row"] = reason.other_row;
    ro["message"] = Message(reason, lang);
    reasons.push_back(std::move(ro));
  }
  o["reasons"] = std::move(reasons);
  return o;
}

std::string TimeText(int64_t ms) {
  return FormatRfc3339(WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms))));
}

// The translated problem of a failed (or, after a refused apply, a validated) job.
json::object FailureJson(const ImportFailure& f, const http::Request& req, const http::ProblemCatalog& catalog) {
  const Status status = StatusOf(f);
  const ProblemText* text = catalog.Find(status.slug());
  const bool en = req.language == http::Language::kEn;
  json::object o{{"type", "/problems/" + status.slug()}};
  if (text != nullptr) {
    o["title"] = std::string(en ? text->title_en : text->title_zh);
    o["detail"] = FillPlaceholders(en ? text->detail_en : text->detail_zh, status);
  } else {
    o["title"] = en ? "Import failed" : "导入失败";
  }
  for (const auto& [k, v] : status.args())
    if (k == "row" || k == "column" || k == "cell" || k == "line" || k == "reason" || k == "limit") o[k] = v;
  return o;
}

struct RowFilter {
  std::optional<Outcome> outcome;
  int64_t offset = 0;
  int64_t limit = kDefaultReportPage;
};

Result<RowFilter> FilterOf(const http::Request& req) {
  RowFilter f;
  if (req.HasQueryParam("outcome")) {
    const std::string o = req.QueryParam("outcome");
    for (Outcome candidate : {Outcome::kCreate, Outcome::kUpdate, Outcome::kUnchanged, Outcome::kReject})
      if (OutcomeCode(candidate) == o) f.outcome = candidate;
    if (!f.outcome) return BadQuery("outcome", "unknown");
  }
  GZ_ASSIGN_OR_RETURN(f.offset, IntQueryParam(req, "offset", 0, 1'000'000, 0));
  GZ_ASSIGN_OR_RETURN(f.limit, IntQueryParam(req, "limit", 1, kMaxReportPage, kDefaultReportPage));
  return f;
}

json::object ViewJson(const ImportView& v, const http::Request& req, const ImportRouteDeps& d, const RowFilter& filter) {
  const ImportJobInfo& i = v.info;
  json::object o{{"import_id", std::to_string(i.id)},
                 {"village", i.village_code},
                 {"status", ImportStatusCode(i.status)},
                 {"format", i.format},
                 {"file_bytes", i.file_bytes},
                 {"created_at", TimeText(i.created_at_ms)},
                 {"expires_at", TimeText(i.expires_at_ms)},
                 {"processed_rows", v.processed_rows},
                 {"total_rows", v.total_rows},
                 {"totals", TotalsJson(i.totals)}};
  if (i.applied_at_ms != 0) o["applied_at"] = TimeText(i.applied_at_ms);
  if (!i.failure.slug.empty()) o["error"] = FailureJson(i.failure, req, d.problems);
  if (v.report) {
    const ImportReport& r = *v.report;
    json::array columns;
    for (const ColumnUse& c : r.columns) {
      json::object co{{"column", c.column}, {"header", c.header}};
      if (c.field.empty()) co["field"] = nullptr;
      else co["field"] = c.field;
      columns.push_back(std::move(co));
    }
    json::array rows;
    int64_t matching = 0;
    for (const RowReport& row : r.rows) {
      if (filter.outcome && row.outcome != *filter.outcome) continue;
      if (matching >= filter.offset && matching < filter.offset + filter.limit)
        rows.push_back(RowJson(row, req.language));
      ++matching;
    }
    o["report"] = json::object{{"header_row", r.header_row}, {"columns", std::move(columns)},
                               {"rows", std::move(rows)},    {"matching", matching},
                               {"offset", filter.offset},   {"limit", filter.limit}};
  }
  return o;
}

// A purpose people type: 4..200 characters, no control characters.
Result<std::string> PurposeOf(const http::Request& req) {
  auto bad = [](const char* reason) {
    return InvalidArgument(std::string(residents::problems::kBadPurpose))
        .With("reason", reason)
        .With("min", std::to_string(kMinPurposeChars))
        .With("max", std::to_string(kMaxPurposeChars));
  };
  const std::string purpose = req.QueryParam("purpose");
  if (purpose.size() > kMaxPurposeBytes) return bad("too-long");
  const size_t chars = CountCharacters(purpose);
  if (chars < kMinPurposeChars) return bad("too-short");
  if (chars > kMaxPurposeChars) return bad("too-long");
  if (std::any_of(purpose.begin(), purpose.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return bad("control-character");
  return purpose;
}

}  // namespace

void RegisterImportRoutes(http::Router& router, const ImportRouteDeps& deps) {
  const ImportRouteDeps d = deps;

  // POST /api/v1/villages/{code}/imports  [residents.import]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/villages/{code}/imports",
      .operation_id = "residents.import",
      .permission = "residents.import",
      .summary = "Upload a village register (CSV or .xlsx) and dry-run it: row by row, what would be created, updated or rejected",
      .json_body = false,
      .max_body_bytes = kMaxUploadBytes,
      .handler = [d](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, d, "residents.import"));
        GZ_RETURN_IF_ERROR(CheckUploadType(req.Header("content-type")));
        if (req.body.empty()) return InvalidArgument(std::string(problems::kEmptyFile));
        GZ_ASSIGN_OR_RETURN(ImportView view, d.imports.Submit(req.Caller(), village, std::move(req.body)));
        RowFilter first_page;
        const bool done = view.info.status == ImportStatus::kValidated;
        http::Response r = PersonalJson(done ? 201 : 202, ViewJson(view, req, d, first_page));
        r.SetHeader("Location", "/api/v1/imports/" + std::to_string(view.info.id));
        r.SetHeader("Content-Language", http::LanguageTag(req.language));
        r.SetHeader("Vary", "Accept-Language");
        return r;
      }});

  // GET /api/v1/imports/{id}  [residents.import]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/imports/{id}",
      .operation_id = "residents.import_get",
      .permission = "residents.import",
      .summary = "An import: status, progress (processed_rows of total_rows) and the dry-run report (?outcome=, ?offset=, ?limit=)",
      .handler = [d](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(ImportJobInfo info, RequireImport(req, d));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        GZ_ASSIGN_OR_RETURN(RowFilter filter, FilterOf(req));
        GZ_ASSIGN_OR_RETURN(ImportView view, d.imports.View(info.id, true));
        http::Response r = PersonalJson(200, ViewJson(view, req, d, filter));
        r.SetHeader("Content-Language", http::LanguageTag(req.language));
        r.SetHeader("Vary", "Accept-Language");
        return r;
      }});

  // POST /api/v1/imports/{id}/apply  [residents.import]
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/imports/{id}/apply",
      .operation_id = "residents.import_apply",
      .permission = "residents.import",
      .summary = "Apply a validated import in one transaction (all or nothing; rejected rows skipped), after re-validating it",
      .json_body = true,
      .max_body_bytes = kSmallBody,
      .handler = [d](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(ImportJobInfo info, RequireImport(req, d));
        GZ_ASSIGN_OR_RETURN(json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"confirm"}));
        GZ_ASSIGN_OR_RETURN(std::optional<bool> confirm, f.OptionalBool("confirm"));
        if (!confirm.value_or(false)) return InvalidArgument(std::string(problems::kNotConfirmed));
        GZ_ASSIGN_OR_RETURN(ImportView view, d.imports.Apply(req.Caller(), info.id));
        const bool done = view.info.status == ImportStatus::kApplied;
        http::Response r = PersonalJson(done ? 200 : 202, ViewJson(view, req, d, RowFilter{}));
        r.SetHeader("Content-Language", http::LanguageTag(req.language));
        r.SetHeader("Vary", "Accept-Language");
        return r;
      }});

  // GET /api/v1/villages/{code}/residents/export  [residents.export]
  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/villages/{code}/residents/export",
      .operation_id = "residents.export",
      .permission = "residents.export",
      .summary = "The village register as CSV or .xlsx (?format=); masked, or in full with ?purpose= and residents.reveal (audited)",
      .handler = [d](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(std::string village, RequireVillage(req, d, "residents.export"));
        GZ_RETURN_IF_ERROR(RequireNoBody(req));
        ExportRequest request;
        const std::string format = req.HasQueryParam("format") ? req.QueryParam("format") : "csv";
        std::optional<ExportFormat> parsed = ParseExportFormat(format);
        if (!parsed) return InvalidArgument(std::string(problems::kBadExportFormat)).With("format", "?");
        request.format = *parsed;
        if (req.HasQueryParam("purpose")) {
          GZ_ASSIGN_OR_RETURN(request.purpose, PurposeOf(req));
          // Full values are a reveal: the caller must hold residents.reveal on this village too.
          GZ_RETURN_IF_ERROR(
              d.gate.Require(req.Caller(), "residents.reveal", Target{village, 0, 0, 0}, VillageNotFound()));
        }
        request.english = req.language == http::Language::kEn;
        request.request_id = req.request_id;
        GZ_ASSIGN_OR_RETURN(ExportFile file, d.exporter.Export(req.Caller(), village, request));
        http::Response r;
        r.status = 200;
        r.body = std::move(file.bytes);
        r.SetHeader("Content-Type", file.content_type);
        r.SetHeader("Content-Disposition", "attachment; filename=\"" + file.file_name + "\"");
        r.SetHeader("X-Content-Type-Options", "nosniff");
        r.SetHeader("Content-Language", http::LanguageTag(req.language));
        r.SetHeader("Vary", "Accept-Language");
        r.NoStore();
        return r;
      }});
}

}  // namespace gz::residents::import
