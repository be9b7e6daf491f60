// JSON shapes of divisions. Layer: divisions api.
#include "modules/divisions/api/division_dto.h"

#include <boost/json/array.hpp>

namespace gz::divisions {

namespace json = boost::json;

json::object DivisionSummaryJson(const Division& d) {
  json::object o;
  o["code"] = d.code.canonical();
  o["native_code"] = d.code.native();
  o["name"] = d.name;
  o["short_name"] = d.short_name;
  o["level"] = LevelName(d.level());
  return o;
}

json::object DivisionDetailJson(const Division& d) {
  json::object o = DivisionSummaryJson(d);
  if (std::optional<DivisionCode> parent = d.parent_code()) {
    o["parent_code"] = parent->canonical();
  } else {
    o["parent_code"] = nullptr;
  }
  return o;
}

json::object DivisionWithAncestorsJson(const DivisionWithAncestors& d) {
  json::object o = DivisionDetailJson(d.division);
  json::array ancestors;
  for (const Division& a : d.ancestors) ancestors.push_back(DivisionSummaryJson(a));
  o["ancestors"] = std::move(ancestors);
  return o;
}

json::object ChildListJson(const ChildList& list) {
  json::object o;
  if (list.parent) {
    o["parent"] = DivisionDetailJson(*list.parent);
  } else {
    o["parent"] = nullptr;
  }
  json::array items;
  for (const Division& d : list.items) items.push_back(DivisionSummaryJson(d));
  o["items"] = std::move(items);
  o["total"] = list.total;
  o["limit"] = list.page.limit;
  o["offset"] = list.page.offset;
  return o;
}

}  // namespace gz::divisions
