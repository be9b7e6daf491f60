// Layer: consents api (see consent_dto.h).
#include "modules/consents/api/consent_dto.h"

#include <boost/json/array.hpp>

#include "modules/consents/time_text.h"

namespace gz::consents {

boost::json::object ConsentJson(const Consent& c, int64_t now_ms) {
  boost::json::object o;
  o["id"] = std::to_string(c.id);
  o["villager"] = std::to_string(c.villager_account);
  o["helper"] = std::to_string(c.helper_account);
  o["village"] = c.village;
  boost::json::array actions;
  for (const std::string& a : c.actions) actions.emplace_back(a);
  o["actions"] = std::move(actions);
  o["valid_from"] = FormatRfc3339Ms(c.valid_from_ms);
  o["valid_until"] = FormatRfc3339Ms(c.valid_until_ms);
  o["method"] = MethodCode(c.method);
  o["status"] = LifecycleCode(LifecycleAt(c, now_ms));
  if (c.evidence) {
    o["evidence"] = boost::json::object{{"kind", "image"},
                                        {"media_type", c.evidence->media_type},
                                        {"sha256", c.evidence->sha256},
                                        {"bytes", c.evidence->bytes}};
  } else if (c.method == Method::kPhoneCall) {
    o["evidence"] = boost::json::object{{"kind", "attestation"}};
  } else {
    o["evidence"] = nullptr;
  }
  o["call_at"] = c.call_at_ms ? boost::json::value(FormatRfc3339Ms(*c.call_at_ms)) : boost::json::value(nullptr);
  o["recorded_by"] = std::to_string(c.recorded_by);
  o["recorded_at"] = FormatRfc3339Ms(c.recorded_at_ms);
  if (c.revoked_at_ms) {
    o["revoked_at"] = FormatRfc3339Ms(*c.revoked_at_ms);
    o["revoked_by"] = std::to_string(c.revoked_by);
    o["revoke_reason"] = c.revoke_reason.empty() ? boost::json::value(nullptr) : boost::json::value(c.revoke_reason);
  } else {
    o["revoked_at"] = nullptr;
    o["revoked_by"] = nullptr;
    o["revoke_reason"] = nullptr;
  }
  return o;
}

boost::json::object ConsentPageJson(const ConsentPage& page, int limit, int64_t offset, int64_t now_ms) {
  boost::json::array items;
  for (const Consent& c : page.items) items.emplace_back(ConsentJson(c, now_ms));
  return boost::json::object{{"items", std::move(items)}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
}

}  // namespace gz::consents
