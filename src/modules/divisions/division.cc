// The display-name rule for divisions. Layer: divisions domain.
#include "modules/divisions/division.h"

#include <array>

namespace gz::divisions {
namespace {

struct SuffixRule {
  std::string_view suffix;  // committee words, as they end the official name
  std::string_view keep;    // place words the suffix stands for, kept at the end
};

// Longest and most specific first: 社区居委会 must win over 居委会, 村民委员会 over 居民委员会.
constexpr std::array<SuffixRule, 7> kRules = {{
    {"社区居民委员会", "社区"},
    {"社区居委会", "社区"},
    {"嘎查委员会", "嘎查"},
    {"村民委员会", "村"},
    {"村委会", "村"},
    {"居民委员会", ""},
    {"居委会", ""},
}};

}  // namespace

Division MakeDivision(DivisionCode code, std::string name) {
  std::string short_name = ShortName(name, code.level());
  return Division{std::move(code), std::move(name), std::move(short_name)};
}

std::string ShortName(std::string_view name, Level level) {
  if (level != Level::kVillage) return std::string(name);
  for (const SuffixRule& rule : kRules) {
    if (!name.ends_with(rule.suffix)) continue;
    std::string_view place = name.substr(0, name.size() - rule.suffix.size());
    if (place.empty()) return std::string(name);
    std::string out(place);
    // 枫树村村委会: the village's own 村 already names the place.
    if (!place.ends_with(rule.keep)) out += rule.keep;
    return out;
  }
  return std::string(name);
}

}  // namespace gz::divisions
