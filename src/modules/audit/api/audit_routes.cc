// The audit routes. Layer: audit api.
#include "modules/audit/api/audit_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "access/policy.h"
#include "access/role.h"
#include "core/clock.h"
#include "http/json.h"
#include "modules/audit/audit_csv.h"
#include "modules/audit/problems.h"

namespace gz::audit {
namespace {

constexpr std::array<std::string_view, 11> kFilterParams = {"from_ms", "to_ms",       "actor",     "acting_for",
                                                             "action",  "outcome",     "object_type", "object_id",
                                                             "division", "before",     "limit"};
constexpr std::array<std::string_view, 2> kPagingParams = {"before", "limit"};

Status BadFilter(std::string_view field) {
  return InvalidArgument(std::string(problems::kBadFilter)).With("field", std::string(field));
}

// Every parameter name of the query must be one of `allowed`, so that a misspelt filter is an
// error rather than a silently wider search. "offset" is not accepted: paging is by cursor.
template <size_t N>
Status OnlyParams(const http::Request& req, const std::array<std::string_view, N>& allowed) {
  std::string_view query = req.query;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::string name;
    if (!http::PercentDecode(pair.substr(0, pair.find('=')), &name, true)) return BadFilter("query");
    if (name == "offset" || std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      // Echo the name only when it looks like one (it may be logged; a caller could type anything).
      bool plain = !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
      return BadFilter(plain ? name : std::string("query"));
    }
  }
  return Status::Ok();
}

// A non-negative decimal integer parameter, if present.
Result<std::optional<int64_t>> IntParam(const http::Request& req, std::string_view name) {
  if (!req.HasQueryParam(name)) return std::optional<int64_t>();
  std::string text = req.QueryParam(name);
  int64_t value = 0;
  if (text.empty() || text.size() > 19 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return BadFilter(name);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return BadFilter(name);  // above int64
  return std::optional<int64_t>(value);
}

Result<std::string> TextParam(const http::Request& req, std::string_view name, size_t max_bytes) {
  std::string text = req.QueryParam(name);
  if (text.size() > max_bytes) return BadFilter(name);
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return BadFilter(name);
  return text;
}

Result<AuditFilter> FilterFrom(const http::Request& req, std::string_view permission, bool paged) {
  GZ_RETURN_IF_ERROR(OnlyParams(req, kFilterParams));
  if (!paged && req.HasQueryParam("limit")) return BadFilter("limit");
  AuditFilter f;
  GZ_ASSIGN_OR_RETURN(f.from_ms, IntParam(req, "from_ms"));
  GZ_ASSIGN_OR_RETURN(f.to_ms, IntParam(req, "to_ms"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> actor, IntParam(req, "actor"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> acting_for, IntParam(req, "acting_for"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> before, IntParam(req, "before"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntParam(req, "limit"));
  if (actor && *actor == 0) return BadFilter("actor");
  if (acting_for && *acting_for == 0) return BadFilter("acting_for");
  if (before && *before == 0) return BadFilter("before");
  f.actor_account = actor.value_or(0);
  f.acting_for_account = acting_for.value_or(0);
  f.before_seq = before.value_or(0);
  f.limit = limit.value_or(kDefaultPageLimit);
  GZ_ASSIGN_OR_RETURN(f.action_prefix, TextParam(req, "action", kMaxActionBytes));
  GZ_ASSIGN_OR_RETURN(f.outcome, TextParam(req, "outcome", 16));
  GZ_ASSIGN_OR_RETURN(f.object_type, TextParam(req, "object_type", kMaxObjectTypeBytes));
  GZ_ASSIGN_OR_RETURN(f.object_id, TextParam(req, "object_id", kMaxObjectIdBytes));
  GZ_ASSIGN_OR_RETURN(f.division, TextParam(req, "division", 12));
  f.scopes = access::ReachFor(req.Caller(), permission).scopes;
  GZ_ASSIGN_OR_RETURN(AuditQuery validated, QueryFor(f));  // report a bad filter before any work
  (void)validated;
  return f;
}

// Ids are 63-bit (crypto::NewRowId): JSON numbers above 2^53 lose digits in JavaScript, so ids
// travel as decimal strings, as in every other module; 0 ("nobody") is null.
boost::json::value Id(int64_t id) { return id == 0 ? boost::json::value(nullptr) : boost::json::value(std::to_string(id)); }

std::string At(int64_t at_ms) { return FormatRfc3339(WallTime(std::chrono::milliseconds(at_ms))); }

boost::json::value DetailsJson(const std::string& details) {
  if (details.empty()) return boost::json::object();
  auto parsed = http::ParseJson(details);
  if (parsed.ok() && parsed->is_object()) return std::move(parsed).value();
  return boost::json::value(details);  // stored as text by an older writer: shown as it is
}

boost::json::object RecordJson(const AuditRecord& r) {
  const access::AuditEvent& e = r.event;
  boost::json::object o;
  o["seq"] = r.seq;
  o["at"] = At(r.at_ms);
  o["at_ms"] = r.at_ms;
  o["action"] = e.action;
  o["outcome"] = e.outcome;
  o["actor_account"] = Id(e.actor_account);
  o["acting_for_account"] = Id(e.acting_for_account);
  o["consent_id"] = Id(e.consent_id);
  o["roles"] = e.roles;
  o["division"] = e.division;
  o["object_type"] = e.object_type;
  o["object_id"] = e.object_id;
  o["purpose"] = e.purpose;
  o["request_id"] = e.request_id;
  o["details"] = DetailsJson(e.details);
  return o;
}

// "village_cadre@420114001205;helper@420114001205" -> [{role, role_name, scope}]: what a
// villager may know about who read their data (the role and the place, never the person).
boost::json::array RolesJson(const std::string& roles, http::Language language) {
  boost::json::array out;
  std::string_view rest = roles;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view grant = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    size_t at = grant.find('@');
    std::optional<access::Role> role = access::ParseRole(grant.substr(0, at));
    if (!role) continue;
    boost::json::object g;
    g["role"] = access::RoleCode(*role);
    g["role_name"] = language == http::Language::kEn ? access::RoleNameEn(*role) : access::RoleNameZh(*role);
    g["scope"] = at == std::string_view::npos ? std::string_view() : grant.substr(at + 1);
    out.push_back(std::move(g));
  }
  return out;
}

boost::json::value Cursor(int64_t next_before_seq) {
  return next_before_seq > 0 ? boost::json::value(next_before_seq) : boost::json::value(nullptr);
}

http::Response Personal(http::Response r) {
  r.NoStore();
  return r;
}

Result<std::pair<int64_t, int64_t>> MePaging(const http::Request& req) {
  GZ_RETURN_IF_ERROR(OnlyParams(req, kPagingParams));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> before, IntParam(req, "before"));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntParam(req, "limit"));
  if (before && *before == 0) return BadFilter("before");
  std::pair<int64_t, int64_t> out{before.value_or(0), limit.value_or(kDefaultPageLimit)};
  GZ_RETURN_IF_ERROR(ValidatePaging(out.first, out.second));
  return out;
}

}  // namespace

void RegisterAuditRoutes(http::Router& router, AuditTrail& trail, const access::Gate& gate) {
  // No route here addresses one object: search and export narrow by the caller's reach
  // (ReachFor), verify shows no content, and the /me routes read only the caller's own subject.
  (void)gate;

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/audit",
      .operation_id = "audit.search",
      .permission = "audit.search",
      .summary = "Search the audit trail of my area (newest first, paged by cursor)",
      .handler = [&trail](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(AuditFilter filter, FilterFrom(req, "audit.search", true));
        GZ_ASSIGN_OR_RETURN(AuditPage page, trail.Search(filter, access::EventFor(req.Caller(), "audit.search")));
        boost::json::array items;
        items.reserve(page.items.size());
        for (const AuditRecord& r : page.items) items.push_back(RecordJson(r));
        boost::json::object body;
        body["items"] = std::move(items);
        body["next_before"] = Cursor(page.next_before_seq);
        return Personal(http::JsonResponse(200, body));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/audit/export",
      .operation_id = "audit.export",
      .permission = "audit.export",
      .summary = "Export the audit trail of my area as CSV (UTF-8 with BOM, at most 100,000 rows per file)",
      .handler = [&trail](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(AuditFilter filter, FilterFrom(req, "audit.export", false));
        filter.limit = kDefaultPageLimit;
        std::string csv = AuditCsvHeader();
        GZ_ASSIGN_OR_RETURN(ExportResult result,
                            trail.Export(
                                filter, kMaxExportRows,
                                [&csv](const AuditRecord& r) {
                                  AppendAuditCsvRow(csv, r);
                                  return Status::Ok();
                                },
                                access::EventFor(req.Caller(), "audit.export")));
        http::Response r = http::Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
        r.SetHeader("Content-Disposition", "attachment; filename=\"audit.csv\"");
        r.SetHeader("X-Export-Rows", std::to_string(result.rows));
        r.SetHeader("X-Export-Max-Rows", std::to_string(kMaxExportRows));
        r.SetHeader("X-Export-Truncated", result.next_before_seq > 0 ? "true" : "false");
        if (result.next_before_seq > 0) r.SetHeader("X-Export-Next-Before", std::to_string(result.next_before_seq));
        return Personal(std::move(r));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/audit/verify",
      .operation_id = "audit.verify",
      .permission = "audit.verify",
      .summary = "Verify the hash chain of the audit trail (reveals no content)",
      .handler = [&trail](http::Request& req) -> Result<http::Response> {
        GZ_RETURN_IF_ERROR(OnlyParams(req, std::array<std::string_view, 0>{}));
        GZ_ASSIGN_OR_RETURN(VerifyReport report, trail.Verify(access::EventFor(req.Caller(), "audit.verify")));
        boost::json::object body;
        body["ok"] = report.ok;
        body["records"] = report.records;
        body["first_broken_seq"] = report.ok ? boost::json::value(nullptr) : boost::json::value(report.first_broken_seq);
        body["reason"] = report.ok ? boost::json::value(nullptr) : boost::json::value(report.reason);
        body["head_seq"] = report.head_seq;
        body["head_hash"] = report.head_hash;
        return Personal(http::JsonResponse(200, body));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/data-reads",
      .operation_id = "me.data_reads",
      .permission = "me.data",
      .summary = "Who read my personal data: their role(s) and place, the purpose, the time",
      .handler = [&trail](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(auto paging, MePaging(req));
        const access::Person& subject = req.Caller().subject();
        GZ_ASSIGN_OR_RETURN(AuditPage page, trail.ReadsOfResident(subject.resident_id, paging.first, paging.second));
        boost::json::array items;
        for (const AuditRecord& r : page.items) {
          boost::json::object o;
          o["seq"] = r.seq;
          o["at"] = At(r.at_ms);
          o["action"] = r.event.action;
          o["purpose"] = r.event.purpose;
          o["readers_roles"] = RolesJson(r.event.roles, req.language);
          o["by_helper_for_you"] = r.event.acting_for_account != 0 && r.event.acting_for_account == subject.account_id;
          items.push_back(std::move(o));
        }
        boost::json::object body;
        body["linked"] = subject.resident_id != 0;
        body["items"] = std::move(items);
        body["next_before"] = Cursor(page.next_before_seq);
        return Personal(http::JsonResponse(200, body));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/me/acted-for",
      .operation_id = "me.acted_for",
      .permission = "me.data",
      .summary = "Everything a digital helper did in my name",
      .handler = [&trail](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(auto paging, MePaging(req));
        const access::Person& subject = req.Caller().subject();
        GZ_ASSIGN_OR_RETURN(AuditPage page, trail.ActedFor(subject.account_id, paging.first, paging.second));
        boost::json::array items;
        for (const AuditRecord& r : page.items) {
          boost::json::object o;
          o["seq"] = r.seq;
          o["at"] = At(r.at_ms);
          o["action"] = r.event.action;
          o["outcome"] = r.event.outcome;
          o["helper_account"] = Id(r.event.actor_account);
          o["helper_roles"] = RolesJson(r.event.roles, req.language);
          o["consent_id"] = Id(r.event.consent_id);
          o["object_type"] = r.event.object_type;
          o["object_id"] = r.event.object_id;
          o["division"] = r.event.division;
          o["purpose"] = r.event.purpose;
          items.push_back(std::move(o));
        }
        boost::json::object body;
        body["items"] = std::move(items);
        body["next_before"] = Cursor(page.next_before_seq);
        return Personal(http::JsonResponse(200, body));
      }});
}

}  // namespace gz::audit
