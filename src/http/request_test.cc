#include "http/request.h"

#include <gtest/gtest.h>

namespace gz::http {
namespace {

TEST(LanguageTest, DefaultsToChineseWhenEmptyOrUnsupported) {
  EXPECT_EQ(NegotiateLanguage(""), Language::kZh);
  EXPECT_EQ(NegotiateLanguage("fr-FR, de;q=0.5"), Language::kZh);
  EXPECT_EQ(NegotiateLanguage(";;;,,,=q"), Language::kZh);
}

TEST(LanguageTest, MapsChineseAndEnglishTags) {
  for (const char* zh : {"zh", "zh-Hans", "zh-CN", "ZH-cn", "zh-Hans-CN"}) {
    EXPECT_EQ(NegotiateLanguage(zh), Language::kZh) << zh;
    EXPECT_EQ(NegotiateLanguage(std::string(zh) + ", en;q=0.9"), Language::kZh) << zh;
  }
  for (const char* en : {"en", "en-US", "EN-gb"}) {
    EXPECT_EQ(NegotiateLanguage(en), Language::kEn) << en;
    EXPECT_EQ(NegotiateLanguage(std::string(en) + ", zh;q=0.9"), Language::kEn) << en;
  }
}

TEST(LanguageTest, HonoursQValues) {
  EXPECT_EQ(NegotiateLanguage("zh-CN;q=0.5, en;q=0.8"), Language::kEn);
  EXPECT_EQ(NegotiateLanguage("en;q=0.5, zh;q=0.8"), Language::kZh);
  EXPECT_EQ(NegotiateLanguage("fr, en-US;q=0.7, zh;q=0.3"), Language::kEn);
  EXPECT_EQ(NegotiateLanguage("en;q=1.000"), Language::kEn);
  // Equal q: the first listed wins.
  EXPECT_EQ(NegotiateLanguage("en;q=0.5, zh;q=0.5"), Language::kEn);
  // q=0 means "not acceptable"; the default stays.
  EXPECT_EQ(NegotiateLanguage("en;q=0"), Language::kZh);
  EXPECT_EQ(NegotiateLanguage("zh;q=0, en;q=0.1"), Language::kEn);
  // Malformed q-values are skipped, not read as 1.
  EXPECT_EQ(NegotiateLanguage("en;q=2, zh;q=0.1"), Language::kZh);
  EXPECT_EQ(NegotiateLanguage("en;q=abc"), Language::kZh);
  EXPECT_EQ(NegotiateLanguage("en;q=1.5"), Language::kZh);
}

TEST(LanguageTest, Tags) {
  EXPECT_EQ(LanguageTag(Language::kZh), "zh-CN");
  EXPECT_EQ(LanguageTag(Language::kEn), "en");
}

TEST(MethodTest, ParsesCaseSensitively) {
  EXPECT_EQ(ParseMethod("GET"), Method::kGet);
  EXPECT_EQ(ParseMethod("HEAD"), Method::kHead);
  EXPECT_EQ(ParseMethod("DELETE"), Method::kDelete);
  EXPECT_EQ(ParseMethod("get"), Method::kOther);
  EXPECT_EQ(ParseMethod("TRACE"), Method::kOther);
  EXPECT_EQ(MethodName(Method::kPatch), "PATCH");
}

TEST(RequestTest, HeadersAndPathParams) {
  Request r;
  r.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  r.path_params = {{"code", "420102"}};
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("x-a"), "1");
  EXPECT_TRUE(r.HasHeader("x-a"));
  EXPECT_FALSE(r.HasHeader("x-b"));
  EXPECT_EQ(r.Header("x-b"), "");
  EXPECT_EQ(r.PathParam("code"), "420102");
  EXPECT_EQ(r.PathParam("id"), "");
}

TEST(RequestTest, QueryParamsAreDecoded) {
  Request r;
  r.query = "q=%E6%9D%91%E5%8F%A3+%E8%B7%AF%E7%81%AF&page=2&empty=&flag&a%20b=c&bad=%zz+x";
  EXPECT_EQ(r.QueryParam("q"), "村口 路灯");
  EXPECT_EQ(r.QueryParam("page"), "2");
  EXPECT_EQ(r.QueryParam("a b"), "c");
  EXPECT_TRUE(r.HasQueryParam("empty"));
  EXPECT_EQ(r.QueryParam("empty"), "");
  EXPECT_TRUE(r.HasQueryParam("flag"));
  EXPECT_FALSE(r.HasQueryParam("missing"));
  EXPECT_EQ(r.QueryParam("missing"), "");
  // A malformed escape is kept as written rather than dropping the parameter.
  EXPECT_EQ(r.QueryParam("bad"), "%zz x");
}

TEST(RequestTest, FirstQueryValueWins) {
  Request r;
  r.query = "a=1&a=2";
  EXPECT_EQ(r.QueryParam("a"), "1");
}

TEST(PercentDecodeTest, DecodesAndRejectsMalformed) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%2Fb%20c+d", &out));
  EXPECT_EQ(out, "a/b c+d");
  EXPECT_TRUE(PercentDecode("a+b", &out, /*plus_is_space=*/true));
  EXPECT_EQ(out, "a b");
  EXPECT_TRUE(PercentDecode("%e4%B8%ad", &out));
  EXPECT_EQ(out, "中");
  EXPECT_FALSE(PercentDecode("%", &out));
  EXPECT_FALSE(PercentDecode("ab%4", &out));
  EXPECT_FALSE(PercentDecode("%zz", &out));
  EXPECT_FALSE(PercentDecode("%4g", &out));
}

TEST(ParseTargetTest, SplitsPathAndQuery) {
  Result<Target> t = ParseTarget("/api/v1/divisions/42%20x?page=2&q=%E4%B8%AD");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->path, "/api/v1/divisions/42 x");
  EXPECT_EQ(t->query, "page=2&q=%E4%B8%AD");
  t = ParseTarget("/");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/");
  EXPECT_EQ(t->query, "");
  t = ParseTarget("/%E6%9D%91");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/村");
}

TEST(ParseTargetTest, AcceptsAbsoluteForm) {
  Result<Target> t = ParseTarget("http://example.org/a/b?x=1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/a/b");
  EXPECT_EQ(t->query, "x=1");
  t = ParseTarget("HTTPS://example.org");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/");
  t = ParseTarget("http://example.org?x=1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/");
  EXPECT_EQ(t->query, "x=1");
}

TEST(ParseTargetTest, RejectsDangerousPaths) {
  for (const char* bad : {"", "*", "api/v1", "/a%", "/a%2", "/a%zz", "/a%00b", "/a/../etc/passwd",
                          "/a/%2e%2e/b", "/a/./b", "/..", "/%C0%AF", "/%ED%A0%80", "ftp://x/y"}) {
    Result<Target> t = ParseTarget(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(t.status().slug(), "http/invalid-path") << bad;
  }
  // Dots inside a segment are fine.
  EXPECT_TRUE(ParseTarget("/files/a..b/.hidden/x.").ok());
}

TEST(ParsePositiveDecimal, TakesDecimalDigitsWithinInt64) {
  EXPECT_EQ(ParsePositiveDecimal("1"), 1);
  EXPECT_EQ(ParsePositiveDecimal("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParsePositiveDecimal("007"), 7);
  for (std::string_view bad : {"", "0", "-1", "+1", " 1", "1 ", "1e3", "0x10", "9223372036854775808",
                               "12345678901234567890", "١"}) {
    EXPECT_EQ(ParsePositiveDecimal(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseNonNegativeDecimal("0"), 0);
  EXPECT_EQ(ParseNonNegativeDecimal("00"), std::nullopt);
  EXPECT_EQ(ParseNonNegativeDecimal("-0"), std::nullopt);
  EXPECT_EQ(ParseNonNegativeDecimal("5"), 5);
}

}  // namespace
}  // namespace gz::http
