// Text features for routing: hashed character n-grams of an appeal text.
//
// Layer: appeals domain (standard library only).
//
// Chinese has no spaces between words, and a village's history is far too small to learn a word
// segmenter from, so the unit is the character: the 1-, 2- and 3-character sequences of a text
// ("停水", "水三天") carry most of what a word would, and need no dictionary. Each n-gram is
// hashed into one of 2^bits buckets (no vocabulary to store; a collision costs a little
// accuracy, measured in bench/appeal_classifier_eval.cc).
//
// Normalisation, so that spelling variants meet: ASCII letters fold to lower case, full-width
// forms (Ａ１，) to their ASCII equivalents, a run of digits becomes one '0' (numbers in appeals are
// dates, house numbers and phone numbers: their presence matters, their value does not). Anything
// that is not a letter or a digit (punctuation, spaces, symbols, emoji) ends a segment: n-grams
// never span a "，" or a line break. Invalid UTF-8 bytes end a segment too.
//
// The features exist only in memory. They are derived from personal data (the texts), so they
// are never logged or written anywhere (see appeal_router.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace gz::appeals::routing {

struct FeatureOptions {
  int min_n = 1;
  int max_n = 2;
  int hash_bits = 18;  // 262,144 buckets
  // Counts clipped to 1 (presence, not frequency). Measured worse than counts (decision 0011),
  // kept for the benchmark's comparison.
  bool binary = false;
};

// One feature of a text: a bucket and how often it occurs (1 when binary).
struct Feature {
  uint32_t bucket = 0;
  float count = 0;
};

// The features of `text`, sorted by bucket, each bucket once. At most `max_chars` code points of
// the text are read (the rest is ignored), which bounds the work for any input.
std::vector<Feature> ExtractFeatures(std::string_view text, const FeatureOptions& options,
                                     size_t max_chars = 4000);

// The normalised code points of `text` (for tests): segments separated by 0.
std::vector<char32_t> NormalisedCodePoints(std::string_view text, size_t max_chars = 4000);

}  // namespace gz::appeals::routing
