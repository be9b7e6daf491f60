// Text fit to store and to show: the one check behind every free-text field (appeals, disclosures,
// votes, budget projects, purposes of audited reads).
// Layer: core.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace gz {

// The number of Unicode code points of `text`, or nullopt when it is not well-formed UTF-8
// (overlong forms, surrogates and values past U+10FFFF included) or holds a character that would
// corrupt logs and screens or make a text display differently from what it says (T-LOG-2): a C0
// control other than TAB, LF and CR, DEL, a C1 control, or a bidirectional override or isolate
// (U+202A..U+202E, U+2066..U+2069).
std::optional<size_t> CountTextChars(std::string_view text);

}  // namespace gz
