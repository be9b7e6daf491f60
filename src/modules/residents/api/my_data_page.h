// The printable "my data" page (GET /api/v1/me/data.html): the same facts as the JSON export, as
// one self-contained HTML document a villager can print or keep (PIPL art. 45).
//
// Layer: residents api. No script, no external resource (styles inline, allowed by the
// server's CSP), every value HTML-escaped, in Chinese or English.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"
#include "modules/residents/my_data.h"

namespace gz::residents {

// & < > " ' as character references; invalid UTF-8 bytes become U+FFFD, control characters
// other than line breaks and tabs are dropped.
std::string HtmlEscape(std::string_view text);

std::string RenderMyDataPage(const MyData& data, http::Language language);

}  // namespace gz::residents
