// Spellings inside SpreadsheetML: Excel's _xHHHH_ escapes and the shape of stored numbers.
//
// Layer: tabular (internal).
#pragma once

#include <string>
#include <string_view>

namespace gz::tabular::internal {

// Decodes _xHHHH_ (a UTF-16 code unit; Excel writes CR as _x000D_ and a literal "_x" as
// _x005F_x) into UTF-8. An unpaired surrogate becomes U+FFFD.
std::string DecodeXString(std::string_view text);

// Escapes `text` (UTF-8) for the content of <t>: & < > as entities, CR as &#13;, characters that
// XML 1.0 cannot carry (other controls than TAB and LF, U+FFFE, U+FFFF) as _xHHHH_, and a literal
// "_xHHHH_" as "_x005F_xHHHH_" so that DecodeXString gives `text` back.
std::string EncodeXString(std::string_view text);

// Escapes & < > " for an attribute value or element text that is not a cell string.
std::string EscapeXml(std::string_view text);

enum class NumberCheck {
  kOk,
  kLostPrecision,  // 16 or more integer digits: Excel kept only 15
  kNotANumber,
};
// Checks a stored number (xsd:double spelling: "-12", "3.5", "4.20114199001011E+17").
NumberCheck CheckStoredNumber(std::string_view text);

}  // namespace gz::tabular::internal
