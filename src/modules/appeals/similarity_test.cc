#include "modules/appeals/similarity.h"

#include <gtest/gtest.h>

namespace gz::appeals {
namespace {

TEST(TextSimilarity, FindsTheSameProblemInOtherWords) {
  const double same_lamp = TextSimilarity("村口路灯不亮了", "村口的路灯坏了，晚上很黑");
  const double other = TextSimilarity("村口路灯不亮了", "自来水停了三天");
  // 村口 口路 路灯 灯不 不亮 亮了 | 村口 口的 的路 路灯 灯坏 坏了 晚上 上很 很黑: 2 shared of 6 + 9.
  EXPECT_DOUBLE_EQ(same_lamp, 2.0 * 2 / (6 + 9));
  EXPECT_EQ(other, 0.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("路灯不亮", "路灯不亮"), 1.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("路灯不亮", "不亮路灯"), TextSimilarity("不亮路灯", "路灯不亮")) << "symmetric";
}

TEST(TextSimilarity, PunctuationSeparatesAndCaseDoesNotMatter) {
  // "灯，不" is not a bigram: the comma separates.
  EXPECT_EQ(TextSimilarity("灯，不", "灯不"), 0.0);
  EXPECT_DOUBLE_EQ(TextSimilarity("WiFi 断了", "wifi断了"), TextSimilarity("wifi 断了", "wifi断了"));
  EXPECT_EQ(TextSimilarity("", "路灯"), 0.0);
  EXPECT_EQ(TextSimilarity("灯", "灯"), 0.0) << "one character has no bigram";
  // Invalid UTF-8 is a separator, never a crash.
  EXPECT_EQ(TextSimilarity(std::string("\xE8\xB7", 2), "路灯"), 0.0);
}

TEST(Excerpt, CutsWholeCharactersAndFlattensLines) {
  EXPECT_EQ(Excerpt("村口路灯不亮", 4), "村口路灯…");
  EXPECT_EQ(Excerpt("村口路灯", 4), "村口路灯");
  EXPECT_EQ(Excerpt("第一行\n第二行", 10), "第一行 第二行");
  EXPECT_EQ(Excerpt(std::string("a\xE8", 2), 5), "a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace gz::appeals
