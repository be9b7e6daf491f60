// Places the residents module asks about but does not own: ports implemented over the divisions
// module by the composition root (app/), so that residents does not depend on divisions.
//
// Layer: residents domain (interfaces, standard library only). Both must be thread-safe.
#pragma once

#include <string_view>

namespace gz::residents {

// Is this the region code of a real county-level division (GB/T 2260)? Used to cross-check the
// first 6 digits of an ID number when one is registered, and by the data-quality report.
// `six_digits` is exactly 6 ASCII digits. An implementation that knows retired codes (an ID
// number keeps the code of the office that issued it, even after the county was merged) should
// answer true for them too.
class RegionCodes {
 public:
  virtual ~RegionCodes() = default;
  virtual bool Exists(std::string_view six_digits) const = 0;
};

// Is `code` (12 digits) a village-level unit (村/社区) of the division tree? Routes answer 404
// for anything else, exactly as for a village outside the caller's scopes.
class VillageDirectory {
 public:
  virtual ~VillageDirectory() = default;
  virtual bool IsVillage(std::string_view code) const = 0;
};

}  // namespace gz::residents
