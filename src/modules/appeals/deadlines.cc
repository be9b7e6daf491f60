// Layer: appeals domain (see deadlines.h).
#include "modules/appeals/deadlines.h"

#include <algorithm>

#include "modules/appeals/appeal.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {

std::string_view DeadlineClassCode(DeadlineClass c) {
  switch (c) {
    case DeadlineClass::kEmergency: return "emergency";
    case DeadlineClass::kUtilities: return "utilities";
    case DeadlineClass::kGeneral: return "general";
    case DeadlineClass::kComplex: return "complex";
  }
  return "general";
}

DeadlineDurations DefaultDurations(DeadlineClass c) {
  switch (c) {
    case DeadlineClass::kEmergency: return {1 * kHourMs, 2 * kHourMs};
    case DeadlineClass::kUtilities: return {2 * kHourMs, 24 * kHourMs};
    case DeadlineClass::kGeneral: return {24 * kHourMs, 7 * kDayMs};
    case DeadlineClass::kComplex: return {24 * kHourMs, 15 * kDayMs};
  }
  return {24 * kHourMs, 7 * kDayMs};
}

Status ValidateDurations(const DeadlineDurations& d) {
  auto bad = [](const char* reason) {
    return InvalidArgument(std::string(problems::kBadDeadlineRule)).With("reason", reason);
  };
  if (d.accept_ms < kMinAcceptMs || d.accept_ms > kMaxAcceptMs) return bad("accept");
  if (d.answer_ms < kMinAnswerMs || d.answer_ms > kMaxAnswerMs) return bad("answer");
  if (d.accept_ms > d.answer_ms) return bad("order");
  return Status::Ok();
}

bool IsRuleScope(std::string_view scope) {
  if (IsVillageCode(scope)) return true;
  return MakeUnit(UnitLevel::kTownship, scope).ok() || MakeUnit(UnitLevel::kCounty, scope).ok();
}

std::vector<std::string> RuleScopesFor(std::string_view village) {
  return {std::string(village), TownshipOf(village), CountyOf(village)};
}

ResolvedDeadlines ResolveDeadlines(std::span<const DeadlineRule> rules, std::string_view category,
                                   std::string_view village) {
  for (const std::string& scope : RuleScopesFor(village)) {
    auto it = std::find_if(rules.begin(), rules.end(),
                           [&](const DeadlineRule& r) { return r.scope == scope && r.category == category; });
    if (it != rules.end()) return {it->durations, scope};
  }
  const Category* c = FindCategory(category);
  return {DefaultDurations(c ? c->deadline_class : DeadlineClass::kGeneral), "default"};
}

}  // namespace gz::appeals
