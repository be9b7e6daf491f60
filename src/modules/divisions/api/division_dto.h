// JSON shapes of divisions in the API (docs/api/divisions.md shows examples).
//
// Layer: divisions api. Boost.JSON values built from domain types; building them cannot fail.
//
//   summary:  {"code":"420114001000","native_code":"420114001","name":"蔡甸街道",
//              "short_name":"蔡甸街道","level":"township"}
//   detail:   summary + "parent_code":"420114000000" (null for a province)
//   with ancestors: detail + "ancestors":[summary, ...] (province first)
//   list:     {"parent":detail|null,"items":[summary,...],"total":17,"limit":500,"offset":0}
//
// `code` is always the 12-digit canonical form (the key clients should store); `native_code` is
// the short form people write. `level` is one of province, city, county, township, village.
#pragma once

#include <boost/json/object.hpp>

#include "modules/divisions/division.h"
#include "modules/divisions/division_service.h"

namespace gz::divisions {

// `sp` lets a caller build a whole response in one monotonic arena (a page of children is a few
// dozen objects; allocating each string separately dominated the cost of serving it).
boost::json::object DivisionSummaryJson(const Division& d, boost::json::storage_ptr sp = {});
boost::json::object DivisionDetailJson(const Division& d, boost::json::storage_ptr sp = {});
boost::json::object DivisionWithAncestorsJson(const DivisionWithAncestors& d);
boost::json::object ChildListJson(const ChildList& list, boost::json::storage_ptr sp = {});

}  // namespace gz::divisions
