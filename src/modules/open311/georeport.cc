// Layer: open311 domain (see georeport.h).
#include "modules/open311/georeport.h"

#include <algorithm>

#include "access/principal.h"
#include "core/log.h"
#include "crypto/secrets.h"
#include "modules/appeals/categories.h"
#include "modules/open311/problems.h"

namespace gz::open311 {
namespace {

using appeals::Appeal;
using appeals::AppealState;

constexpr AppealState kClosedStates[] = {AppealState::kClosed, AppealState::kWithdrawn, AppealState::kRejected};
constexpr int kPageSize = 200;  // AppealService::List's largest page

bool IsClosed(AppealState s) { return std::find(std::begin(kClosedStates), std::end(kClosedStates), s) != std::end(kClosedStates); }

Status BadParameter(std::string_view param, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadParameter))
      .With("param", std::string(param))
      .With("reason", std::string(reason));
}

Status BadRange(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadDateRange)).With("reason", std::string(reason));
}

Status NotRegistered() { return InvalidArgument(std::string(problems::kReporterNotRegistered)); }

}  // namespace

std::string_view StatusOf(AppealState state) { return IsClosed(state) ? kStatusClosed : kStatusOpen; }

std::optional<std::vector<AppealState>> StatesOfStatus(std::string_view status) {
  if (status != kStatusOpen && status != kStatusClosed) return std::nullopt;
  std::vector<AppealState> out;
  for (AppealState s : appeals::AllStates())
    if (StatusOf(s) == status) out.push_back(s);
  return out;
}

std::optional<int64_t> ExpectedMs(const Appeal& a) {
  if (a.answer_due_ms) return a.answer_due_ms;
  if (a.accept_due_ms) return a.accept_due_ms;
  return std::nullopt;
}

std::vector<Service> Services() {
  std::vector<Service> out;
  for (const appeals::Category& c : appeals::Categories()) {
    if (c.retired) continue;
    out.push_back(Service{std::string(c.code), std::string(c.name_zh), std::string(c.name_en), std::string(c.icon),
                          std::string(appeals::DeadlineClassCode(c.deadline_class))});
  }
  return out;
}

std::optional<Service> FindService(std::string_view code) {
  for (Service& s : Services())
    if (s.code == code) return std::move(s);
  return std::nullopt;
}

Result<std::string> ParseJurisdiction(std::string_view text) {
  if (text.size() != 9 && text.size() != 12) return InvalidArgument(std::string(problems::kBadJurisdiction));
  std::string canonical = access::CanonicalScope(text);
  if (canonical.empty() || !access::ScopeRange(canonical)) return InvalidArgument(std::string(problems::kBadJurisdiction));
  const bool village = appeals::IsVillageCode(canonical);
  const bool township = canonical.substr(6, 3) != "000" && canonical.substr(9, 3) == "000";
  if (!village && !township) return InvalidArgument(std::string(problems::kBadJurisdiction));
  return canonical;
}

GeoReportService::GeoReportService(appeals::AppealService& appeals, ClientService& clients, ClientStore& store,
                                   ReporterLookup& reporters, PlaceLookup& places)
    : appeals_(appeals), clients_(clients), store_(store), reporters_(reporters), places_(places) {}

Result<std::string> GeoReportService::Jurisdiction(std::string_view text) {
  if (text.empty()) return InvalidArgument(std::string(problems::kJurisdictionRequired));
  GZ_ASSIGN_OR_RETURN(std::string canonical, ParseJurisdiction(text));
  GZ_ASSIGN_OR_RETURN(bool exists, places_.Exists(canonical));
  if (!exists) return NotFound(std::string(problems::kUnknownJurisdiction));
  return canonical;
}

Result<Reporter> GeoReportService::FindReporter(const NewRequest& r, const std::string& jurisdiction) {
  if (r.account_id > 0) {
    GZ_ASSIGN_OR_RETURN(std::optional<Reporter> found, reporters_.FindByAccount(r.account_id));
    if (!found || !access::ScopeContains(jurisdiction, found->village)) return NotRegistered();
    return *found;
  }
  if (r.phone.empty()) return InvalidArgument(std::string(problems::kReporterRequired));
  GZ_ASSIGN_OR_RETURN(std::vector<Reporter> found, reporters_.FindByPhone(r.phone, jurisdiction));
  found.erase(std::remove_if(found.begin(), found.end(),
                             [&](const Reporter& p) { return !access::ScopeContains(jurisdiction, p.village); }),
              found.end());
  if (found.empty()) return NotRegistered();
  // A household sharing one phone: filing for the wrong member would give them the right to
  // close it, so the client must say whom it means (account_id).
  if (found.size() > 1) return InvalidArgument(std::string(problems::kReporterAmbiguous));
  return found.front();
}

Result<FiledRequest> GeoReportService::Submit(const Client& client, const NewRequest& r) {
  GZ_ASSIGN_OR_RETURN(std::string jurisdiction, Jurisdiction(r.jurisdiction));
  if (!access::ScopeContains(client.scope, jurisdiction)) return PermissionDenied(std::string(problems::kOutsideKeyScope));
  std::optional<Service> service = FindService(r.service_code);
  if (!service) return InvalidArgument(std::string(problems::kUnknownService));
  if (r.lat.has_value() != r.lon.has_value()) return BadParameter(r.lat ? "long" : "lat", "both-or-neither");
  GZ_ASSIGN_OR_RETURN(Reporter reporter, FindReporter(r, jurisdiction));

  appeals::ClientSubmission s;
  s.client_id = client.id;
  s.client_name = client.name;
  s.client_scope = jurisdiction;  // inside the key's scope (checked above): the narrower bound
  s.for_account = reporter.account;
  s.for_resident = reporter.resident;
  s.category = service->code;
  s.text = r.description;
  if (r.lat) {
    s.location = appeals::Location{*r.lat, *r.lon, r.address};
  } else if (!r.address.empty()) {
    // gongzhi keeps a location as a point; an address without one stays with the text, where the
    // handling unit reads it, rather than being dropped.
    s.text += "\n\n地址：" + r.address;
  }
  s.request_id = r.request_id;
  GZ_ASSIGN_OR_RETURN(Appeal appeal, appeals_.SubmitForClient(s));

  FiledRequest filed;
  filed.appeal = std::move(appeal);
  std::string token = crypto::Base64UrlEncode(crypto::RandomBytes(kTokenRandomBytes));
  Status stored = store_.InsertToken(token, client.id, filed.appeal.id, appeals_.NowMs());
  if (stored.ok()) {
    filed.token = std::move(token);
  } else {
    // The appeal is filed and its id is in the answer; a client that only reads tokens must not
    // be told it failed (it would file it again).
    log::Warn("open311.token_not_stored", {{"appeal", std::to_string(filed.appeal.id)}, {"detail", stored.ToString()}});
  }
  return filed;
}

Result<std::optional<RequestView>> GeoReportService::View(const Appeal& a, const Client* client,
                                                          std::string_view request_id, bool with_content) {
  const bool own = client != nullptr && a.client_id == client->id;
  if (a.anonymous_to_public && !own) return std::optional<RequestView>();
  RequestView v;
  v.appeal = a;
  if (own && with_content) {
    GZ_ASSIGN_OR_RETURN(appeals::AppealContent content,
                        appeals_.ReadContentForClient(client->id, request_id, a, kClientReadPurpose));
    v.content = std::move(content);
  }
  return std::optional<RequestView>(std::move(v));
}

Result<RequestView> GeoReportService::Get(int64_t id, std::string_view jurisdiction, const Client* client,
                                          std::string_view request_id) {
  std::string within;
  if (!jurisdiction.empty()) {
    GZ_ASSIGN_OR_RETURN(within, Jurisdiction(jurisdiction));
  }
  Result<Appeal> a = appeals_.Get(id);
  if (!a.ok()) {
    if (a.status().code() == Code::kNotFound) return NotFound(std::string(problems::kRequestNotFound));
    return a.status();
  }
  if (!within.empty() && !access::ScopeContains(within, a->village)) return NotFound(std::string(problems::kRequestNotFound));
  GZ_ASSIGN_OR_RETURN(std::optional<RequestView> v, View(*a, client, request_id, true));
  if (!v) return NotFound(std::string(problems::kRequestNotFound));
  return std::move(*v);
}

Result<std::vector<RequestView>> GeoReportService::Search(const RequestSearch& q, const Client* client,
                                                          std::string_view request_id) {
  GZ_ASSIGN_OR_RETURN(std::string jurisdiction, Jurisdiction(q.jurisdiction));
  std::vector<RequestView> out;
  if (!q.ids.empty()) {
    if (q.ids.size() > kMaxRequestIds) return BadParameter("service_request_id", "too-many");
    for (int64_t id : q.ids) {
      Result<RequestView> v = Get(id, jurisdiction, client, request_id);
      if (v.ok()) out.push_back(std::move(*v));
      else if (v.status().code() != Code::kNotFound) return v.status();
    }
    return out;
  }

  // The requested_datetime range: at most 90 days, the most recent 90 days by default.
  int64_t from = 0, to = 0;
  if (q.start_ms && q.end_ms) {
    if (*q.end_ms < *q.start_ms) return BadRange("end-before-start");
    if (*q.end_ms - *q.start_ms > kMaxRangeMs) return BadRange("longer-than-90-days");
    from = *q.start_ms;
    to = *q.end_ms;
  } else if (q.start_ms) {
    from = *q.start_ms;
    to = from + kMaxRangeMs;
  } else if (q.end_ms) {
    to = *q.end_ms;
    from = to - kMaxRangeMs;
  } else {
    to = appeals_.NowMs();
    from = to - kMaxRangeMs;
  }

  appeals::AppealQuery query;
  query.scopes = {jurisdiction};
  query.categories = q.service_codes;
  query.states = q.states;
  query.submitted_from_ms = from;
  query.submitted_to_ms = to + 1;  // end_date is the latest instant included
  query.public_view = true;
  query.visible_client = client != nullptr ? client->id : 0;
  query.limit = kPageSize;
  while (static_cast<int>(out.size()) < kMaxResults) {
    query.limit = std::min(kPageSize, kMaxResults - static_cast<int>(out.size()));
    GZ_ASSIGN_OR_RETURN(appeals::AppealPage page, appeals_.List(query));
    for (Appeal& a : page.items) out.push_back(RequestView{std::move(a), std::nullopt});
    if (page.next_before_id == 0) break;
    query.before_id = page.next_before_id;
  }
  return out;
}

Result<int64_t> GeoReportService::AppealOfToken(std::string_view token) {
  // Tokens are base64url of kTokenRandomBytes: anything else cannot be one.
  if (token.empty() || token.size() > 64) return NotFound(std::string(problems::kTokenNotFound));
  GZ_ASSIGN_OR_RETURN(std::optional<int64_t> appeal, store_.AppealOfToken(token));
  if (!appeal) return NotFound(std::string(problems::kTokenNotFound));
  return *appeal;
}

}  // namespace gz::open311
