#include "modules/appeals/routing/text_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace gz::appeals::routing {
namespace {

FeatureOptions Counts(int max_n = 2) {
  FeatureOptions o;
  o.max_n = max_n;
  o.binary = false;
  return o;
}

float CountOf(const std::vector<Feature>& features, const std::vector<Feature>& single) {
  // The bucket of a one-gram text (its only feature) looked up in `features`.
  EXPECT_EQ(single.size(), 1u);
  for (const Feature& f : features)
    if (f.bucket == single[0].bucket) return f.count;
  return 0;
}

TEST(TextFeatures, NormalisesWidthCaseAndDigitRuns) {
  EXPECT_EQ(NormalisedCodePoints("ＡＢc 2019年"), (std::vector<char32_t>{U'a', U'b', U'c', 0, U'0', U'年'}));
  EXPECT_EQ(NormalisedCodePoints("１３８００００００００"), (std::vector<char32_t>{U'0'}));
  // Punctuation of both widths, spaces and emoji separate; runs of them count once; none at the ends.
  EXPECT_EQ(NormalisedCodePoints("，停水。。 😀停电！"), (std::vector<char32_t>{U'停', U'水', 0, U'停', U'电'}));
  EXPECT_TRUE(NormalisedCodePoints("").empty());
  EXPECT_TRUE(NormalisedCodePoints("。，！？ ").empty());
}

TEST(TextFeatures, NGramsNeverSpanASeparator) {
  const FeatureOptions o = Counts();
  // 停水停电: 停(x2) 水 电 + 停水 水停 停电 = 6 buckets; 停水，停电 has no 水停 = 5.
  EXPECT_EQ(ExtractFeatures("停水停电", o).size(), 6u);
  EXPECT_EQ(ExtractFeatures("停水，停电", o).size(), 5u);
  EXPECT_EQ(CountOf(ExtractFeatures("停水停电", o), ExtractFeatures("停", o)), 2.0f);
  FeatureOptions binary = o;
  binary.binary = true;
  EXPECT_EQ(CountOf(ExtractFeatures("停水停电", binary), ExtractFeatures("停", binary)), 1.0f);
}

TEST(TextFeatures, SortedUniqueDeterministicAndBounded) {
  const FeatureOptions o = Counts(3);
  const std::string text = "村口第二个路灯坏了一个星期，晚上很黑，请尽快修理";
  std::vector<Feature> a = ExtractFeatures(text, o);
  std::vector<Feature> b = ExtractFeatures(text, o);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].bucket, b[i].bucket);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end(), [](const Feature& x, const Feature& y) { return x.bucket < y.bucket; }));
  EXPECT_TRUE(std::adjacent_find(a.begin(), a.end(), [](const Feature& x, const Feature& y) {
                return x.bucket == y.bucket;
              }) == a.end());
  for (const Feature& f : a) EXPECT_LT(f.bucket, 1u << o.hash_bits);
  // Only the first max_chars characters are read.
  std::string huge(100000, 'a');
  EXPECT_EQ(ExtractFeatures(huge, o, 10).size(), 3u);  // a, aa, aaa
  EXPECT_EQ(ExtractFeatures(huge + "停水", o, 10).size(), 3u);
}

TEST(TextFeatures, InvalidUtf8IsABoundaryNotACrash) {
  const FeatureOptions o = Counts();
  const std::string broken = std::string("停水") + "\xE6\xB0" + "停电" + "\xFF\xC0\x80" + "\xED\xA0\x80";
  EXPECT_EQ(NormalisedCodePoints(broken), (std::vector<char32_t>{U'停', U'水', 0, U'停', U'电'}));
  EXPECT_EQ(ExtractFeatures(broken, o).size(), 5u);
}

}  // namespace
}  // namespace gz::appeals::routing
