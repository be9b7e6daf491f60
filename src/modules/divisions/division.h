// Division: one node of the administrative tree, and the display-name rule for it.
//
// Layer: divisions domain. Level and parent are derived from the code (DivisionCode), so a
// Division can never disagree with its own code; the store keeps them as columns for indexes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "modules/divisions/division_code.h"

namespace gz::divisions {

struct Division {
  DivisionCode code;       // canonical() is the 12-digit key
  std::string name;        // official NBS name: "新农村村民委员会"
  std::string short_name;  // display name (ShortName below): "新农村"

  Level level() const { return code.level(); }
  std::optional<DivisionCode> parent_code() const { return code.Parent(); }

  bool operator==(const Division&) const = default;
};

// Builds a Division with short_name = ShortName(name, code.level()).
Division MakeDivision(DivisionCode code, std::string name);

// The display name of a division (the rule is applied to village-level units only; the names
// of higher levels carry no committee suffix and are returned unchanged).
//
// Village-level names end in the name of the committee (村民委员会, 居委会, ...) rather than of
// the place. The rule drops the committee words and keeps the place words, never adding any:
//   ...村民委员会 / ...村委会         -> ...村     (张湾村委会 -> 张湾村)
//   ...社区居民委员会 / ...社区居委会 -> ...社区
//   ...居民委员会 / ...居委会         -> ...       (正街居委会 -> 正街)
//   ...嘎查委员会                     -> ...嘎查
// The 村 of 村民委员会/村委会 is the village's, so a name that already ends in 村 before the
// suffix keeps one 村: 枫树村村委会 -> 枫树村, 丙令村民委员会 -> 丙令村.
// Only the first matching suffix (in the order above, longest first) is dropped. If nothing
// would remain before the suffix (a row named just 社区居委会), the name is kept whole.
// Anything else (…社区, …村, …生活区, …牧委会, 连队 names) is returned unchanged.
std::string ShortName(std::string_view name, Level level);

}  // namespace gz::divisions
