// JSON shapes of the residents routes. Layer: residents api.
//
// Ids are strings (row ids use 63 bits, more than a JavaScript number holds exactly); times are
// RFC 3339 UTC. Masked views carry masked values only; the "intact" member is false for a row that
// failed its integrity check (its values are then empty).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "modules/residents/corrections.h"
#include "modules/residents/data_quality.h"
#include "modules/residents/masked_register.h"
#include "modules/residents/my_data.h"

namespace gz::residents {

std::string TimeText(int64_t unix_ms);

boost::json::object MaskedResidentJson(const MaskedResident& r);
boost::json::object MaskedHouseholdJson(const MaskedHousehold& h);
boost::json::object MaskedHouseholdDetailJson(const MaskedHouseholdDetail& d);
// Flags with their names in the request's language: [{"code":"low_income","name":"低保"}].
boost::json::array FlagsJson(const std::vector<std::string>& flags, http::Language language);
boost::json::object DataQualityJson(const DataQualityReport& r);
boost::json::object CorrectionJson(const CorrectionView& c);          // the requester's view
boost::json::object StaffCorrectionJson(const StaffCorrectionView& c);
boost::json::object CorrectionInfoJson(const CorrectionInfo& c);
boost::json::object MyDataJson(const MyData& d, http::Language language);

}  // namespace gz::residents
