#include "core/text.h"

#include <gtest/gtest.h>

#include <string>

namespace gz {
namespace {

TEST(CountTextChars, CountsCodePointsOfWellFormedText) {
  EXPECT_EQ(CountTextChars(""), 0u);
  EXPECT_EQ(CountTextChars("村务"), 2u);
  EXPECT_EQ(CountTextChars("a字\xF0\x9F\x98\x80"), 3u);
  EXPECT_EQ(CountTextChars("第一行\n\t第二行\r\n"), 10u);
}

TEST(CountTextChars, RefusesMalformedUtf8) {
  EXPECT_FALSE(CountTextChars("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(CountTextChars("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(CountTextChars("\xe0\x80\xaf"));      // overlong, three bytes
  EXPECT_FALSE(CountTextChars("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(CountTextChars("\xe6\x9d"));          // cut short
  EXPECT_FALSE(CountTextChars("\x80"));              // a lone continuation byte
}

TEST(CountTextChars, RefusesControlsAndBidiOverrides) {
  EXPECT_FALSE(CountTextChars("a\x01"));
  EXPECT_FALSE(CountTextChars(std::string("a\0b", 3)));
  EXPECT_FALSE(CountTextChars("a\x7f"));
  EXPECT_FALSE(CountTextChars("a\xc2\x85"));      // NEL, a C1 control
  EXPECT_FALSE(CountTextChars("\xe2\x80\xae" "100"));  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_FALSE(CountTextChars("\xe2\x81\xa6x"));  // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(CountTextChars("\xc2\xa0"), 1u);      // NO-BREAK SPACE is text
}

}  // namespace
}  // namespace gz
