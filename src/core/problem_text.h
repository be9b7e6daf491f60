// Translated texts of a problem type (RFC 9457), declared by the module that returns it.
//
// Layer: core. A module lists its problems in its problems.h as an array of ProblemText; app/
// hands them to the HTTP layer's catalog. The slug is stable forever (clients branch on
// `type` = "/problems/" + slug); the texts may change. Details may contain {name} placeholders
// that are filled from the Status arguments (Status::With).
#pragma once

#include <string_view>

namespace gz {

struct ProblemText {
  std::string_view slug;       // "divisions/unknown-code"
  std::string_view title_zh;   // short, no placeholders: "行政区划不存在"
  std::string_view detail_zh;  // "没有代码为 {code} 的行政区划"
  std::string_view title_en;   // "Unknown division"
  std::string_view detail_en;  // "There is no division with code {code}"
};

}  // namespace gz

#include <string>

#include "core/status.h"

namespace gz {

// Fills the {name} placeholders of `text` with the arguments of `status`; a placeholder without
// an argument is left out (replaced by nothing), so a missing argument never shows braces.
std::string FillPlaceholders(std::string_view text, const Status& status);

}  // namespace gz
