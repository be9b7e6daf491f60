#include "modules/residents/masking.h"

#include <algorithm>
#include <array>
#include <vector>

namespace gz::residents {
namespace {

// One character of the input: its bytes, its code point, or an invalid byte.
struct Char {
  std::string_view bytes;
  char32_t cp = 0;
  bool valid = false;
};

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. A byte that
// does not start a complete valid sequence is one invalid character on its own.
std::vector<Char> Split(std::string_view s) {
  std::vector<Char> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char b0 = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    char32_t cp = 0, min = 0;
    if (b0 < 0x80) { len = 1; cp = b0; }
    else if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const unsigned char b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3F);
    }
    if (ok && len > 1 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok) {
      out.push_back({s.substr(i, len), cp, true});
      i += len;
    } else {
      out.push_back({s.substr(i, 1), 0, false});
      ++i;
    }
  }
  return out;
}

bool IsAsciiAlnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Kept characters of IDs and phones: only what such a value legitimately holds.
void KeepOrStar(std::string& out, const Char& c, bool (*allowed)(char32_t)) {
  if (c.valid && allowed(c.cp)) out.append(c.bytes);
  else out += '*';
}

// Common compound surnames (复姓), first two characters of the name.
constexpr std::array<std::u32string_view, 40> kCompoundSurnames = {
    U"欧阳", U"司马", U"上官", U"诸葛", U"东方", U"皇甫", U"尉迟", U"公孙", U"慕容", U"长孙",
    U"宇文", U"司徒", U"夏侯", U"轩辕", U"令狐", U"端木", U"西门", U"南宫", U"独孤", U"呼延",
    U"澹台", U"公冶", U"太史", U"申屠", U"闻人", U"万俟", U"司空", U"钟离", U"赫连", U"濮阳",
    U"单于", U"第五", U"百里", U"东郭", U"拓跋", U"完颜", U"纳兰", U"羊舌", U"左丘", U"梁丘",
};

// What follows the group part of an address and is masked: house numbers in any spelling.
bool IsNumberChar(char32_t c) {
  if (IsAsciiAlnum(c) || c == '-' || c == '#') return true;
  if ((c >= U'０' && c <= U'９') || (c >= U'Ａ' && c <= U'Ｚ') || (c >= U'ａ' && c <= U'ｚ') || c == U'－' || c == U'＃')
    return true;
  static constexpr std::u32string_view kChineseNumerals = U"〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰";
  return kChineseNumerals.find(c) != std::u32string_view::npos;
}

// Keeps the first `head` and last `tail` characters of a value that is long enough for that to
// hide something; shorter values are masked entirely.
std::string KeepEnds(std::string_view text, size_t head, size_t tail, size_t min_hidden, bool (*allowed)(char32_t)) {
  const std::vector<Char> chars = Split(text);
  const size_t n = chars.size();
  std::string out;
  if (n < head + tail + min_hidden) return std::string(n, '*');
  for (size_t i = 0; i < n; ++i) {
    if (i < head || i >= n - tail) KeepOrStar(out, chars[i], allowed);
    else out += '*';
  }
  return out;
}

bool IdChar(char32_t c) { return IsAsciiAlnum(c); }
bool PhoneChar(char32_t c) { return (c >= '0' && c <= '9') || c == '+'; }

}  // namespace

size_t CountCharacters(std::string_view text) { return Split(text).size(); }

std::string MaskIdNumber(std::string_view id_number) { return KeepEnds(id_number, 6, 4, 4, IdChar); }

std::string MaskPhone(std::string_view phone) { return KeepEnds(phone, 3, 4, 4, PhoneChar); }

std::string MaskName(std::string_view name) {
  const std::vector<Char> chars = Split(name);
  const size_t n = chars.size();
  if (n <= 1) return std::string(n, '*');
  size_t keep = 1;
  if (n >= 3 && chars[0].valid && chars[1].valid) {
    const std::u32string first_two{chars[0].cp, chars[1].cp};
    if (std::find(kCompoundSurnames.begin(), kCompoundSurnames.end(), first_two) != kCompoundSurnames.end()) keep = 2;
  }
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    // A kept character must be a printable character: never a control, never a broken byte.
    if (i < keep && chars[i].valid && chars[i].cp >= 0x20 && chars[i].cp != 0x7F) out.append(chars[i].bytes);
    else out += '*';
  }
  return out;
}

std::string MaskAddress(std::string_view address) {
  const std::vector<Char> chars = Split(address);
  size_t group_end = 0;  // characters [0, group_end) are the group part
  for (size_t i = chars.size(); i-- > 0;) {
    if (chars[i].valid && (chars[i].cp == U'组' || chars[i].cp == U'队')) {
      group_end = i + 1;
      break;
    }
  }
  std::string out;
  bool in_number = false;
  for (size_t i = 0; i < chars.size(); ++i) {
    const Char& c = chars[i];
    const bool printable = c.valid && c.cp >= 0x20 && c.cp != 0x7F;
    if (i < group_end) {
      if (printable) out.append(c.bytes);
      else out += '*';
      continue;
    }
    if (!printable || IsNumberChar(c.cp)) {
      // A run of number characters (and any broken byte) becomes one fixed "**", so the mask
      // does not reveal how many digits the house number has.
      if (!in_number) out += "**";
      in_number = true;
      continue;
    }
    in_number = false;
    out.append(c.bytes);
  }
  return out;
}

}  // namespace gz::residents
