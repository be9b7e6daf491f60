// Layer: appeals domain (see notifications.h and timeline.h).
#include "modules/appeals/notifications.h"

#include "modules/appeals/timeline.h"

namespace gz::appeals {

std::string_view RecipientKindCode(RecipientKind k) {
  switch (k) {
    case RecipientKind::kAccount: return "account";
    case RecipientKind::kUnit: return "unit";
    case RecipientKind::kSupervisors: return "supervisors";
  }
  return "account";
}

std::optional<RecipientKind> ParseRecipientKind(std::string_view code) {
  for (RecipientKind k : {RecipientKind::kAccount, RecipientKind::kUnit, RecipientKind::kSupervisors})
    if (RecipientKindCode(k) == code) return k;
  return std::nullopt;
}

std::string_view VisibilityCode(Visibility v) { return v == Visibility::kPublic ? "public" : "internal"; }

std::optional<Visibility> ParseVisibility(std::string_view code) {
  if (code == "public") return Visibility::kPublic;
  if (code == "internal") return Visibility::kInternal;
  return std::nullopt;
}

}  // namespace gz::appeals
