// Stored form of the dry-run report. Layer: residents import domain.
#include "modules/residents/import/import_report.h"

#include <boost/json.hpp>

#include "crypto/secrets.h"

namespace gz::residents::import {
namespace {

namespace json = boost::json;

Status Unreadable() {
  return FailedPrecondition("crypto/integrity-failure", "import report does not parse").With("column", "report");
}

json::object TotalsJson(const ImportTotals& t) {
  return json::object{{"rows", t.rows},           {"create", t.create}, {"update", t.update},
                      {"unchanged", t.unchanged}, {"reject", t.reject}, {"skipped", t.skipped},
                      {"households", t.households}};
}

int64_t IntOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

ImportTotals TotalsOf(const json::object& o) {
  ImportTotals t;
  t.rows = IntOf(o, "rows");
  t.create = IntOf(o, "create");
  t.update = IntOf(o, "update");
  t.unchanged = IntOf(o, "unchanged");
  t.reject = IntOf(o, "reject");
  t.skipped = IntOf(o, "skipped");
  t.households = IntOf(o, "households");
  return t;
}

std::optional<Outcome> ParseOutcome(std::string_view code) {
  for (Outcome o : {Outcome::kCreate, Outcome::kUpdate, Outcome::kUnchanged, Outcome::kReject})
    if (OutcomeCode(o) == code) return o;
  return std::nullopt;
}

}  // namespace

std::string_view OutcomeCode(Outcome o) {
  switch (o) {
    case Outcome::kCreate: return "create";
    case Outcome::kUpdate: return "update";
    case Outcome::kUnchanged: return "unchanged";
    case Outcome::kReject: return "reject";
  }
  return "reject";
}

std::string EncodeReport(const ImportReport& report) {
  json::array columns;
  for (const ColumnUse& c : report.columns)
    columns.push_back(json::object{{"column", c.column}, {"field", c.field}, {"header", c.header}});
  json::array rows;
  for (const RowReport& r : report.rows) {
    json::object o{{"row", r.row},   {"outcome", OutcomeCode(r.outcome)}, {"household", r.household},
                   {"household_row", r.household_row}, {"name", r.name}, {"id_number", r.id_number}};
    if (!r.changes.empty()) {
      json::array changes;
      for (const std::string& c : r.changes) changes.push_back(json::value(c));
      o["changes"] = std::move(changes);
    }
    if (!r.reasons.empty()) {
      json::array reasons;
      for (const Reason& reason : r.reasons) {
        json::object ro{{"code", reason.code}, {"column", reason.column}, {"detail", reason.detail}};
        if (reason.other_row != 0) ro["other_row"] = reason.other_row;
        reasons.push_back(std::move(ro));
      }
      o["reasons"] = std::move(reasons);
    }
    rows.push_back(std::move(o));
  }
  return json::serialize(json::object{{"v", 1},
                                      {"format", report.format},
                                      {"header_row", report.header_row},
                                      {"columns", std::move(columns)},
                                      {"rows", std::move(rows)},
                                      {"totals", TotalsJson(report.totals)}});
}

Result<ImportReport> DecodeReport(std::string_view encoded) {
  boost::system::error_code ec;
  json::value doc = json::parse(encoded, ec);
  if (ec || !doc.is_object()) return Unreadable();
  const json::object& o = doc.get_object();
  if (IntOf(o, "v") != 1) return Unreadable();
  ImportReport report;
  report.format = StringOf(o, "format");
  report.header_row = static_cast<int32_t>(IntOf(o, "header_row"));
  if (const json::value* cols = o.if_contains("columns"); cols != nullptr && cols->is_array()) {
    for (const json::value& c : cols->get_array()) {
      if (!c.is_object()) return Unreadable();
      report.columns.push_back({StringOf(c.get_object(), "column"), StringOf(c.get_object(), "field"),
                                StringOf(c.get_object(), "header")});
    }
  }
  const json::value* rows = o.if_contains("rows");
  if (rows == nullptr || !rows->is_array()) return Unreadable();
  report.rows.reserve(rows->get_array().size());
  for (const json::value& v : rows->get_array()) {
    if (!v.is_object()) return Unreadable();
    const json::object& r = v.get_object();
    RowReport row;
    row.row = static_cast<int32_t>(IntOf(r, "row"));
    std::optional<Outcome> outcome = ParseOutcome(StringOf(r, "outcome"));
    if (!outcome) return Unreadable();
    row.outcome = *outcome;
    row.household = StringOf(r, "household");
    row.household_row = static_cast<int32_t>(IntOf(r, "household_row"));
    row.name = StringOf(r, "name");
    row.id_number = StringOf(r, "id_number");
    if (const json::value* ch = r.if_contains("changes"); ch != nullptr && ch->is_array())
      for (const json::value& c : ch->get_array())
        if (c.is_string()) row.changes.emplace_back(c.get_string());
    if (const json::value* rs = r.if_contains("reasons"); rs != nullptr && rs->is_array()) {
      for (const json::value& rv : rs->get_array()) {
        if (!rv.is_object()) return Unreadable();
        const json::object& ro = rv.get_object();
        row.reasons.push_back(Reason{StringOf(ro, "code"), StringOf(ro, "column"), StringOf(ro, "detail"),
                                     static_cast<int32_t>(IntOf(ro, "other_row"))});
      }
    }
    report.rows.push_back(std::move(row));
  }
  if (const json::value* t = o.if_contains("totals"); t != nullptr && t->is_object())
    report.totals = TotalsOf(t->get_object());
  return report;
}

std::string EncodeTotals(const ImportTotals& totals) { return json::serialize(TotalsJson(totals)); }

ImportTotals DecodeTotals(std::string_view encoded) {
  boost::system::error_code ec;
  json::value doc = json::parse(encoded, ec);
  if (ec || !doc.is_object()) return {};
  return TotalsOf(doc.get_object());
}

std::string ReportDigest(const ImportReport& report) {
  std::string canonical;
  canonical.reserve(report.rows.size() * 24);
  for (const RowReport& r : report.rows) {
    canonical += std::to_string(r.row);
    canonical += ':';
    canonical += OutcomeCode(r.outcome);
    canonical += ':';
    canonical += std::to_string(r.household_row);
    for (const std::string& c : r.changes) canonical += "+" + c;
    for (const Reason& reason : r.reasons) canonical += "!" + reason.code + "/" + reason.column + "/" + reason.detail;
    canonical += '\n';
  }
  return crypto::Sha256Hex(canonical);
}

}  // namespace gz::residents::import
