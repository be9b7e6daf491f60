// _xHHHH_ escapes and stored-number checks. Layer: tabular (internal).
#include "tabular/xlsx_text.h"

#include <cstdint>

namespace gz::tabular::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The code unit of an _xHHHH_ escape at text[i], or -1.
int32_t EscapeAt(std::string_view text, size_t i) {
  if (i + 7 > text.size() || text[i] != '_' || text[i + 1] != 'x' || text[i + 6] != '_') return -1;
  int32_t value = 0;
  for (size_t k = 2; k < 6; ++k) {
    const int h = HexValue(text[i + k]);
    if (h < 0) return -1;
    value = value * 16 + h;
  }
  return value;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void AppendEscape(uint32_t unit, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  *out += "_x";
  for (int shift = 12; shift >= 0; shift -= 4) *out += kHex[(unit >> shift) & 0xF];
  *out += '_';
}

}  // namespace

std::string DecodeXString(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const int32_t unit = EscapeAt(text, i);
    if (unit < 0) {
      out += text[i++];
      continue;
    }
    i += 7;
    uint32_t cp = static_cast<uint32_t>(unit);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const int32_t low = EscapeAt(text, i);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
        i += 7;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    AppendUtf8(cp, &out);
  }
  return out;
}

std::string EncodeXString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '\r') {
      // A character reference survives XML's line-end normalisation (a raw CR would come back
      // as LF) and needs no Excel-specific decoding, unlike _x000D_.
      out += "&#13;";
    } else if (c < 0x20 && c != '\t' && c != '\n') {
      AppendEscape(c, &out);  // XML 1.0 cannot carry these at all
    } else if (c == '_' && EscapeAt(text, i) >= 0) {
      AppendEscape('_', &out);  // "_x0041_" stays literal text
    } else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(text[i + 2]) == 0xBE || static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      AppendEscape(static_cast<unsigned char>(text[i + 2]) == 0xBE ? 0xFFFE : 0xFFFF, &out);
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

NumberCheck CheckStoredNumber(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  // Mantissa: the position of its first non-zero digit relative to the decimal point gives the
  // magnitude without converting (and rounding) anything.
  int64_t integer_digits = 0;    // significant digits before the point
  int64_t leading_zero_fraction = 0;  // zeros after the point before the first non-zero digit
  bool seen_nonzero = false, any_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_point) return NumberCheck::kNotANumber;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any_digit = true;
    if (!seen_point) {
      if (c != '0' || seen_nonzero) {
        seen_nonzero = true;
        ++integer_digits;
      }
    } else if (!seen_nonzero) {
      if (c == '0') {
        ++leading_zero_fraction;
      } else {
        seen_nonzero = true;
      }
    }
  }
  if (!any_digit) return NumberCheck::kNotANumber;
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    const size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (exponent < 100'000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (i == start) return NumberCheck::kNotANumber;
    if (negative) exponent = -exponent;
  }
  if (i != text.size()) return NumberCheck::kNotANumber;
  if (!seen_nonzero) return NumberCheck::kOk;  // zero
  // Decimal exponent of the leading digit: 4.2E+17 -> 17; 420114199001011 -> 14; 0.05 -> -2.
  const int64_t magnitude = (integer_digits > 0 ? integer_digits - 1 : -(leading_zero_fraction + 1)) + exponent;
  return magnitude >= 15 ? NumberCheck::kLostPrecision : NumberCheck::kOk;
}

}  // namespace gz::tabular::internal
