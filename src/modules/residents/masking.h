// Masking of personal fields for lists, staff screens and (later) published lists such as subsidy
// notices (公示). docs/security-masking.md states the rules and why; these are the only
// implementations, so every screen masks the same way.
//
// Layer: residents domain (standard library only). Pure functions: no state, no time, thread-safe.
//
//   ID number  420102********1234   first 6 (the issuing region) and last 4 kept
//   phone      154****0001          first 3 (the network) and last 4 kept
//   name       张* / 欧阳** / *     the surname kept (1 character, or 2 for a compound surname
//                                   such as 欧阳 when the name is longer than it), one * per
//                                   remaining character; a 1-character name is "*"
//   address    3组**号              up to and including the last 组/队 kept; every run of digits,
//                                   Latin letters or Chinese numerals after it becomes "**"
// Birth year and gender are not masked (they are shown in clear on purpose).
//
// Input need not be valid UTF-8: the text is read character by character (4-byte characters
// outside the BMP count as one), and an invalid byte counts as one character that is always
// masked, so no malformed byte and no part of a broken character is ever copied to the output.
// The output is always valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace gz::residents {

std::string MaskIdNumber(std::string_view id_number);
std::string MaskPhone(std::string_view phone);
std::string MaskName(std::string_view name);
std::string MaskAddress(std::string_view address);

// Number of characters (as above: an invalid byte is one character).
size_t CountCharacters(std::string_view text);

}  // namespace gz::residents
