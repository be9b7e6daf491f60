// GeoReport v2 (Open311) over the appeals of gongzhi: what the standard's resources mean here,
// independent of JSON or XML (the routes in api/ write both).
//
// Layer: open311 domain (service). Depends on the appeals domain (it files and reads appeals
// through AppealService) and on its own ports.
//
// The mapping, in short (README.md has the table):
//   service            an appeal category: service_code = the category code, service_name = its
//                      Chinese name, group = its deadline class; metadata false, type realtime
//   jurisdiction_id    the 12-digit code of a village or a township (required: a county serves
//                      hundreds of villages)
//   service_request    an appeal; status "closed" when it is over (closed by the villager's own
//                      rating or a follow-up visit, withdrawn, rejected), "open" otherwise — an
//                      answered appeal is open until the villager says it is solved
//   expected_datetime  the deadline the handling side works to now (ExpectedMs)
//   POST               files an appeal for a registered villager (phone or account_id) with the
//                      client's api_key; the appeal names the client (AppealService::SubmitForClient)
//   personal fields    description, address, lat/long: only for the client that filed the appeal,
//                      on reads by id, each read audited (appeals.read_personal)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/appeals/appeal.h"
#include "modules/appeals/appeal_service.h"
#include "modules/open311/client.h"
#include "modules/open311/client_service.h"
#include "modules/open311/client_store.h"
#include "modules/open311/directory.h"

namespace gz::open311 {

inline constexpr std::string_view kStatusOpen = "open";
inline constexpr std::string_view kStatusClosed = "closed";
inline constexpr int kMaxResults = 1000;         // per search, newest first (GeoReport's usual cap)
inline constexpr size_t kMaxRequestIds = 20;     // service_request_id=a,b,... per call
inline constexpr int64_t kMaxRangeMs = 90LL * 24 * 3600 * 1000;  // start_date .. end_date
inline constexpr size_t kTokenRandomBytes = 16;
// The purpose written with each audited read of a client's own appeal.
inline constexpr std::string_view kClientReadPurpose = "Open311 客户端查看本客户端提交的诉求";

// ---- the mapping ----
std::string_view StatusOf(appeals::AppealState state);
// The states a GeoReport status stands for; nullopt for a word that is neither "open" nor "closed".
std::optional<std::vector<appeals::AppealState>> StatesOfStatus(std::string_view status);
// The deadline the handling side works to now: the answer deadline while it runs, else the
// acceptance deadline (e.g. a contest under review), else none (answered, closed, ...).
std::optional<int64_t> ExpectedMs(const appeals::Appeal& appeal);

struct Service {
  std::string code;         // "water_supply"
  std::string name;         // "供水"
  std::string description;  // "Water supply"
  std::string keywords;     // the category's icon key
  std::string group;        // "utilities": the deadline class
};
// Every category that can be filed, in catalogue order.
std::vector<Service> Services();
std::optional<Service> FindService(std::string_view code);

// The canonical code of a village or township that `text` names (9 or 12 digits), or
// kInvalidArgument "open311/bad-jurisdiction".
Result<std::string> ParseJurisdiction(std::string_view text);

// ---- requests ----
struct NewRequest {
  std::string jurisdiction;  // as given (required)
  std::string service_code;
  std::string description;   // PERSONAL: the appeal's text
  std::optional<double> lat, lon;
  std::string address;       // address_string. PERSONAL
  std::string phone;         // the reporter's mobile number (not stored); or
  int64_t account_id = 0;    // the reporter's gongzhi account
  std::string request_id;
};

struct FiledRequest {
  appeals::Appeal appeal;
  std::string token;  // "" if it could not be stored (the appeal is filed all the same)
};

struct RequestView {
  appeals::Appeal appeal;
  std::optional<appeals::AppealContent> content;  // only for the filing client, by id
};

struct RequestSearch {
  std::string jurisdiction;                   // as given (required)
  std::vector<int64_t> ids;                   // service_request_id: overrides every other filter
  std::vector<std::string> service_codes;     // any of them; empty: all
  std::optional<int64_t> start_ms, end_ms;    // requested_datetime range, end inclusive
  std::vector<appeals::AppealState> states;   // from status; empty: all
};

class GeoReportService {
 public:
  // All must outlive the service.
  GeoReportService(appeals::AppealService& appeals, ClientService& clients, ClientStore& store,
                   ReporterLookup& reporters, PlaceLookup& places);

  ClientService& clients() { return clients_; }

  // ParseJurisdiction, then the division must exist: kNotFound "open311/unknown-jurisdiction".
  Result<std::string> Jurisdiction(std::string_view text);

  // Files an appeal for the reporter. Errors: "open311/jurisdiction-required", bad- / unknown-
  // jurisdiction; kPermissionDenied "open311/outside-key-scope" (the jurisdiction is not inside
  // the key's scope); kInvalidArgument "open311/unknown-service", "open311/reporter-required",
  // "open311/reporter-not-registered" (nobody registered with that phone or account lives in the
  // jurisdiction), "open311/reporter-ambiguous", "open311/bad-parameter" {param: "lat" | "long"};
  // and the appeals module's ("appeals/bad-text", "appeals/too-many-open", ...).
  Result<FiledRequest> Submit(const Client& client, const NewRequest& request);

  // Appeals of the jurisdiction, newest first, at most kMaxResults, without personal fields,
  // without appeals anonymous to the public (but those of `client`). By ids (at most
  // kMaxRequestIds): those that exist there, with the personal fields of `client`'s own (each
  // read audited). Errors: jurisdiction as above; "open311/bad-date-range" {reason}.
  Result<std::vector<RequestView>> Search(const RequestSearch& search, const Client* client,
                                          std::string_view request_id);
  // One appeal (inside `jurisdiction` when it is given), as Search by id. kNotFound
  // "open311/request-not-found" also for an appeal anonymous to the public that `client` did
  // not file.
  Result<RequestView> Get(int64_t id, std::string_view jurisdiction, const Client* client, std::string_view request_id);

  // The appeal a POST's token stands for. kNotFound "open311/token-not-found".
  Result<int64_t> AppealOfToken(std::string_view token);

  int64_t NowMs() const { return appeals_.NowMs(); }

 private:
  Result<Reporter> FindReporter(const NewRequest& request, const std::string& jurisdiction);
  Result<std::optional<RequestView>> View(const appeals::Appeal& appeal, const Client* client,
                                          std::string_view request_id, bool with_content);

  appeals::AppealService& appeals_;
  ClientService& clients_;
  ClientStore& store_;
  ReporterLookup& reporters_;
  PlaceLookup& places_;
};

}  // namespace gz::open311
