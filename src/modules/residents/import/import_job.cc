// Import job states and their stored forms. Layer: residents import domain.
#include "modules/residents/import/import_job.h"

#include <boost/json.hpp>

namespace gz::residents::import {
namespace {

namespace json = boost::json;

constexpr ImportStatus kAllStatuses[] = {ImportStatus::kQueued,  ImportStatus::kValidating, ImportStatus::kValidated,
                                         ImportStatus::kApplying, ImportStatus::kApplied,  ImportStatus::kFailed,
                                         ImportStatus::kExpired};

std::optional<Code> ParseCode(std::string_view name) {
  for (int c = static_cast<int>(Code::kOk); c <= static_cast<int>(Code::kInternal); ++c)
    if (CodeName(static_cast<Code>(c)) == name) return static_cast<Code>(c);
  return std::nullopt;
}

std::string Binding(std::string_view column, const ImportJobInfo& info) {
  return "residents_imports." + std::string(column) + ":" + std::to_string(info.id) + "|" + info.village_code + "|" +
         std::to_string(info.created_by);
}

}  // namespace

std::string_view ImportStatusCode(ImportStatus s) {
  switch (s) {
    case ImportStatus::kQueued: return "queued";
    case ImportStatus::kValidating: return "validating";
    case ImportStatus::kValidated: return "validated";
    case ImportStatus::kApplying: return "applying";
    case ImportStatus::kApplied: return "applied";
    case ImportStatus::kFailed: return "failed";
    case ImportStatus::kExpired: return "expired";
  }
  return "failed";
}

std::optional<ImportStatus> ParseImportStatus(std::string_view code) {
  for (ImportStatus s : kAllStatuses)
    if (ImportStatusCode(s) == code) return s;
  return std::nullopt;
}

std::string EncodeFailure(const ImportFailure& f) {
  if (f.slug.empty()) return {};
  json::object args;
  for (const auto& [k, v] : f.args) args[k] = v;
  return json::serialize(json::object{{"slug", f.slug}, {"args", std::move(args)}});
}

ImportFailure DecodeFailure(std::string_view encoded) {
  ImportFailure f;
  if (encoded.empty()) return f;
  boost::system::error_code ec;
  json::value doc = json::parse(encoded, ec);
  if (ec || !doc.is_object()) return f;
  const json::object& o = doc.get_object();
  if (const json::value* slug = o.if_contains("slug"); slug != nullptr && slug->is_string()) f.slug = slug->get_string();
  if (const json::value* args = o.if_contains("args"); args != nullptr && args->is_object())
    for (const auto& [k, v] : args->get_object())
      if (v.is_string()) f.args.emplace_back(std::string(k), std::string(v.get_string()));
  return f;
}

ImportFailure FailureOf(const Status& status) {
  ImportFailure f;
  // An internal error keeps its note in the log only; the job says "internal".
  f.slug = status.code() == Code::kInternal ? "internal" : status.slug();
  if (status.code() != Code::kInternal) f.args = status.args();
  f.args.emplace_back("code", std::string(CodeName(status.code())));
  return f;
}

Status StatusOf(const ImportFailure& f) {
  Code code = Code::kInvalidArgument;
  std::vector<std::pair<std::string, std::string>> args;
  for (const auto& [k, v] : f.args) {
    if (k == "code") {
      if (std::optional<Code> c = ParseCode(v)) code = *c;
    } else {
      args.emplace_back(k, v);
    }
  }
  if (code == Code::kInternal || code == Code::kOk) return Internal("import failed with an internal error");
  Status out(code, f.slug);
  for (auto& [k, v] : args) out.With(std::move(k), std::move(v));
  return out;
}

std::string FileAssociatedData(const ImportJobInfo& info) { return Binding("file", info); }
std::string ReportAssociatedData(const ImportJobInfo& info) { return Binding("report", info); }

}  // namespace gz::residents::import
