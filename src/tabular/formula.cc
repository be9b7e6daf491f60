// Formula-injection neutralisation. Layer: tabular.
#include "tabular/formula.h"

namespace gz::tabular {

bool NeedsNeutralising(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      break;
  }
  // U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠ in UTF-8.
  return text.starts_with("\xEF\xBC\x9D") || text.starts_with("\xEF\xBC\x8B") ||
         text.starts_with("\xEF\xBC\x8D") || text.starts_with("\xEF\xBC\xA0");
}

std::string NeutraliseFormula(std::string_view text) {
  if (!NeedsNeutralising(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 1);
  out += '\'';
  out += text;
  return out;
}

std::string_view StripNeutralisation(std::string_view text) {
  if (text.starts_with('\'') && NeedsNeutralising(text.substr(1))) text.remove_prefix(1);
  return text;
}

}  // namespace gz::tabular
