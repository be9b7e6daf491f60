// Hashed character n-grams. Layer: appeals domain (see text_features.h).
#include "modules/appeals/routing/text_features.h"

#include <algorithm>

namespace gz::appeals::routing {
namespace {

constexpr char32_t kBoundary = 0;

// Decodes one UTF-8 sequence at `i`; returns U+FFFD (and advances one byte) on invalid input.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int length = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) length = 2, cp = b0 & 0x1F;
  else if ((b0 & 0xF0) == 0xE0) length = 3, cp = b0 & 0x0F;
  else if ((b0 & 0xF8) == 0xF0) length = 4, cp = b0 & 0x07;
  if (length == 0 || i + length > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < length; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += length;
  return cp;
}

bool IsSeparatorBlock(char32_t c) {
  return (c >= 0x80 && c <= 0xBF) ||        // Latin-1 controls and punctuation
         (c >= 0x2000 && c <= 0x2BFF) ||    // general punctuation, symbols, arrows, shapes
         (c >= 0x3000 && c <= 0x303F) ||    // CJK symbols and punctuation (、。「」)
         (c >= 0xE000 && c <= 0xF8FF) ||    // private use
         (c >= 0xFE00 && c <= 0xFE6F) ||    // variation selectors, vertical and small forms
         (c >= 0xFF5F && c <= 0xFF65) ||    // half-width CJK punctuation
         (c >= 0xFFF0 && c <= 0xFFFF) ||    // specials (U+FFFD: invalid input)
         (c >= 0x1F000 && c <= 0x1FAFF);    // emoji and pictographs
}

// The normalised form of one code point, or kBoundary.
char32_t Normalise(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return c;
    return kBoundary;
  }
  return IsSeparatorBlock(c) ? kBoundary : c;
}

// FNV-1a over the code points of one n-gram, with the length mixed in so that "水" and the
// bigram of two characters whose hash happens to match it stay apart more often.
uint64_t HashGram(const char32_t* begin, int n) {
  uint64_t h = 0xcbf29ce484222325ull ^ static_cast<uint64_t>(n);
  for (int k = 0; k < n; ++k) {
    uint32_t c = static_cast<uint32_t>(begin[k]);
    for (int b = 0; b < 4; ++b) {
      h ^= (c >> (8 * b)) & 0xFF;
      h *= 0x100000001b3ull;
    }
  }
  // Final mix (murmur3's fmix64): FNV's low bits alone are weak for a power-of-two table.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

}  // namespace

std::vector<char32_t> NormalisedCodePoints(std::string_view text, size_t max_chars) {
  std::vector<char32_t> out;
  out.reserve(std::min(text.size(), max_chars) + 1);
  size_t i = 0;
  size_t read = 0;
  bool in_digits = false;
  while (i < text.size() && read < max_chars) {
    char32_t c = Normalise(NextCodePoint(text, i));
    ++read;
    if (c >= '0' && c <= '9') {
      if (in_digits) continue;
      in_digits = true;
      out.push_back(U'0');
      continue;
    }
    in_digits = false;
    if (c == kBoundary) {
      if (!out.empty() && out.back() != kBoundary) out.push_back(kBoundary);
      continue;
    }
    out.push_back(c);
  }
  if (!out.empty() && out.back() == kBoundary) out.pop_back();
  return out;
}

std::vector<Feature> ExtractFeatures(std::string_view text, const FeatureOptions& options, size_t max_chars) {
  const std::vector<char32_t> cps = NormalisedCodePoints(text, max_chars);
  const int bits = std::clamp(options.hash_bits, 8, 24);
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  const int min_n = std::max(1, options.min_n);
  const int max_n = std::max(min_n, options.max_n);
  std::vector<uint32_t> buckets;
  buckets.reserve(cps.size() * static_cast<size_t>(max_n - min_n + 1));
  size_t start = 0;
  while (start < cps.size()) {
    size_t end = start;
    while (end < cps.size() && cps[end] != kBoundary) ++end;
    for (size_t p = start; p < end; ++p)
      for (int n = min_n; n <= max_n && p + n <= end; ++n)
        buckets.push_back(static_cast<uint32_t>(HashGram(&cps[p], n) & mask));
    start = end + 1;
  }
  std::sort(buckets.begin(), buckets.end());
  std::vector<Feature> features;
  for (size_t k = 0; k < buckets.size();) {
    size_t j = k;
    while (j < buckets.size() && buckets[j] == buckets[k]) ++j;
    features.push_back(Feature{buckets[k], options.binary ? 1.0f : static_cast<float>(j - k)});
    k = j;
  }
  return features;
}

}  // namespace gz::appeals::routing
