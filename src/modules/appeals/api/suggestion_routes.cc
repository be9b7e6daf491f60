// The suggestion routes. Layer: appeals api (see suggestion_routes.h).
#include "modules/appeals/api/suggestion_routes.h"


#include "http/json.h"
#include "modules/appeals/problems.h"
#include "modules/appeals/routing/problems.h"

namespace gz::appeals {
namespace {

constexpr std::string_view kSubmit = "appeals.submit";
constexpr std::string_view kHandle = "appeals.handle";
constexpr std::string_view kPurposeStaff = "办理诉求";
constexpr size_t kBodyLimit = 64 * 1024;
constexpr size_t kMaxTextBytes = kMaxTextChars * 4;  // characters are counted by the router
constexpr size_t kMaxVillageBytes = 32;

boost::json::value UnitBasis(const routing::SuggestedRoute& r) {
  if (r.unit_total == 0) return nullptr;
  boost::json::object o;
  o["count"] = r.unit_count;
  o["of"] = r.unit_total;
  return o;
}

boost::json::object SuggestionJson(std::string_view village, const routing::Suggestion& s) {
  boost::json::object o;
  o["village"] = village;
  o["category"] = s.best.category;
  o["unit"] = s.best.unit.Key();
  o["confidence"] = s.best.confidence;
  o["unit_basis"] = UnitBasis(s.best);
  boost::json::array alternatives;
  for (const routing::SuggestedRoute& r : s.alternatives) {
    boost::json::object a;
    a["category"] = r.category;
    a["unit"] = r.unit.Key();
    a["confidence"] = r.confidence;
    a["unit_basis"] = UnitBasis(r);
    alternatives.push_back(std::move(a));
  }
  o["alternatives"] = std::move(alternatives);
  boost::json::object trained;
  trained["scope"] = routing::ScopeLevelCode(s.scope);
  trained["division"] = s.scope_division;
  trained["count"] = s.trained_on;
  trained["trained_at_ms"] = s.trained_at_ms;
  o["trained_on"] = std::move(trained);
  o["village_history"] = s.village_history;
  return o;
}

http::Response Private(http::Response r) {
  r.NoStore();
  return r;
}

}  // namespace

void RegisterSuggestionRoutes(http::Router& router, AppealService& service, routing::AppealRouter& appeal_router,
                              const access::Gate& gate) {
  router.Add(http::Route{
      .method = http::Method::kPost,
      .pattern = "/api/v1/appeals/suggestion",
      .operation_id = "appeals.suggest",
      .permission = std::string(kSubmit),
      .summary = "Suggest a category and handling unit for an appeal text from the village's history (staff confirm)",
      .json_body = true,
      .max_body_bytes = kBodyLimit,
      .handler = [&appeal_router, &gate](http::Request& req) -> Result<http::Response> {
        GZ_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(req));
        http::JsonFields f(body);
        GZ_RETURN_IF_ERROR(f.Only({"village", "text"}));
        GZ_ASSIGN_OR_RETURN(std::string village, f.String("village", kMaxVillageBytes));
        if (!IsVillageCode(village)) return InvalidArgument(std::string(problems::kBadVillage));
        // The village is the caller's own (as owner, for villagers and helpers) or lies in a
        // staff scope; anything else looks like a village that does not exist.
        access::Target target;
        target.division = village;
        const access::Person& subject = req.Caller().subject();
        if (subject.village == village) {
          target.owner_account = subject.account_id;
          target.owner_resident = subject.resident_id;
        }
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kSubmit, target,
                                        NotFound(std::string(routing::problems::kVillageNotFound))));
        GZ_ASSIGN_OR_RETURN(std::string text, f.String("text", kMaxTextBytes));
        GZ_ASSIGN_OR_RETURN(routing::Suggestion s, appeal_router.Suggest(req.Caller(), village, text));
        return Private(http::JsonResponse(200, SuggestionJson(village, s)));
      }});

  router.Add(http::Route{
      .method = http::Method::kGet,
      .pattern = "/api/v1/appeals/{id}/suggestion",
      .operation_id = "appeals.suggestion",
      .permission = std::string(kHandle),
      .summary = "Suggest a category and handling unit for a filed appeal (an audited read of its text)",
      .handler = [&service, &appeal_router, &gate](http::Request& req) -> Result<http::Response> {
        const Status not_found = NotFound(std::string(problems::kAppealNotFound));
        std::optional<int64_t> id = http::ParsePositiveDecimal(req.PathParam("id"));
        if (!id) return not_found;
        GZ_ASSIGN_OR_RETURN(Appeal appeal, service.Get(*id));
        GZ_RETURN_IF_ERROR(gate.Require(req.Caller(), kHandle, AppealService::TargetOf(appeal), not_found));
        GZ_ASSIGN_OR_RETURN(AppealContent content, service.ReadContent(req.Caller(), appeal, kPurposeStaff));
        GZ_ASSIGN_OR_RETURN(routing::Suggestion s, appeal_router.Suggest(req.Caller(), appeal.village, content.text));
        boost::json::object o = SuggestionJson(appeal.village, s);
        o["appeal_id"] = std::to_string(appeal.id);
        boost::json::object current;
        current["category"] = appeal.category;
        current["unit"] = appeal.unit.Key();
        o["current"] = std::move(current);
        return Private(http::JsonResponse(200, o));
      }});
}

}  // namespace gz::appeals
