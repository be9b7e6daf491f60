// Layer: appeals domain (see similarity.h).
#include "modules/appeals/similarity.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

namespace gz::appeals {
namespace {

// Decodes UTF-8 leniently: an invalid byte becomes U+FFFD and counts as a separator.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n <= 0) {
      out.push_back(n == 0 ? char32_t{c} : char32_t{0xFFFD});
      ++i;
      continue;
    }
    char32_t cp = c & (0x3F >> n);
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

bool IsWordChar(char32_t c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FA1F);
}

std::map<uint64_t, int> Bigrams(std::string_view text) {
  std::map<uint64_t, int> grams;
  std::vector<char32_t> cps = CodePoints(text);
  for (char32_t& c : cps)
    if (c >= 'A' && c <= 'Z') c |= 0x20;
  for (size_t i = 0; i + 1 < cps.size(); ++i)
    if (IsWordChar(cps[i]) && IsWordChar(cps[i + 1])) ++grams[(uint64_t{cps[i]} << 32) | cps[i + 1]];
  return grams;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

double TextSimilarity(std::string_view a, std::string_view b) {
  const std::map<uint64_t, int> x = Bigrams(a), y = Bigrams(b);
  int nx = 0, ny = 0, shared = 0;
  for (const auto& [g, n] : x) nx += n;
  for (const auto& [g, n] : y) ny += n;
  if (nx == 0 || ny == 0) return 0;
  for (const auto& [g, n] : x) {
    auto it = y.find(g);
    if (it != y.end()) shared += std::min(n, it->second);
  }
  return 2.0 * shared / (nx + ny);
}

std::string Excerpt(std::string_view text, size_t max_chars) {
  std::vector<char32_t> cps = CodePoints(text);
  std::string out;
  const size_t n = std::min(cps.size(), max_chars);
  for (size_t i = 0; i < n; ++i) AppendUtf8(out, cps[i] < 0x20 || cps[i] == 0x7F ? U' ' : cps[i]);
  if (cps.size() > max_chars) out += "…";
  return out;
}

}  // namespace gz::appeals
