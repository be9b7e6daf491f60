// JSON shapes of divisions. Layer: divisions api.
#include "modules/divisions/api/division_dto.h"

#include <boost/json/array.hpp>

namespace gz::divisions {

namespace json = boost::json;

json::object DivisionSummaryJson(const Division& d, json::storage_ptr sp) {
  // Room for the parent_code a detail adds, so that does not rehash.
  json::object o(6, std::move(sp));
  o.emplace("code", d.code.canonical());
  o.emplace("native_code", d.code.native());
  o.emplace("name", d.name);
  o.emplace("short_name", d.short_name);
  o.emplace("level", LevelName(d.level()));
  return o;
}

json::object DivisionDetailJson(const Division& d, json::storage_ptr sp) {
  json::object o = DivisionSummaryJson(d, std::move(sp));
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

json::object ChildListJson(const ChildList& list, json::storage_ptr sp) {
  json::object o(6, sp);
  if (list.parent) {
    o["parent"] = DivisionDetailJson(*list.parent, sp);
  } else {
    o["parent"] = nullptr;
  }
  json::array items(sp);
  items.reserve(list.items.size());
  for (const Division& d : list.items) items.emplace_back(DivisionSummaryJson(d, sp));
  o["items"] = std::move(items);
  o["total"] = list.total;
  o["limit"] = list.page.limit;
  o["offset"] = list.page.offset;
  return o;
}

}  // namespace gz::divisions
