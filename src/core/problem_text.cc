#include "core/problem_text.h"

namespace gz {

std::string FillPlaceholders(std::string_view text, const Status& status) {
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      auto close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        out += status.Arg(text.substr(i + 1, close - i - 1));
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace gz
