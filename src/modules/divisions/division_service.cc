// DivisionService. Layer: divisions domain.
#include "modules/divisions/division_service.h"

namespace gz::divisions {

Result<DivisionWithAncestors> DivisionService::Get(const DivisionCode& code) {
  GZ_ASSIGN_OR_RETURN(Division division, store_.Get(code));
  GZ_ASSIGN_OR_RETURN(std::vector<Division> ancestors, store_.Ancestors(code));
  return DivisionWithAncestors{std::move(division), std::move(ancestors)};
}

Result<Division> DivisionService::Find(const DivisionCode& code) { return store_.Get(code); }

Result<ChildList> DivisionService::Children(const DivisionCode& code, const Page& page) {
  GZ_RETURN_IF_ERROR(ValidatePage(page));
  // Get first: an unknown code is a 404, a village is a 200 with no items.
  GZ_ASSIGN_OR_RETURN(Division parent, store_.Get(code));
  GZ_ASSIGN_OR_RETURN(DivisionPage children, store_.Children(code, page));
  return ChildList{std::move(parent), std::move(children.items), children.total, page};
}

Result<ChildList> DivisionService::Roots(const Page& page) {
  GZ_RETURN_IF_ERROR(ValidatePage(page));
  GZ_ASSIGN_OR_RETURN(DivisionPage roots, store_.Children(std::nullopt, page));
  return ChildList{std::nullopt, std::move(roots.items), roots.total, page};
}

Result<LevelCounts> DivisionService::CountByLevel(const std::optional<DivisionCode>& root) {
  if (root.has_value()) GZ_RETURN_IF_ERROR(store_.Get(*root).status());
  return store_.CountByLevel(root);
}

}  // namespace gz::divisions
