#include "http/problem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "core/log.h"

namespace gz::http {
namespace {

namespace json = boost::json;

Request MakeRequest(Language language, std::string path = "/api/v1/things/7") {
  Request r;
  r.path = std::move(path);
  r.request_id = "00ff00ff00ff00ff";
  r.language = language;
  return r;
}

json::object Body(const Response& r) { return json::parse(r.body).as_object(); }

bool HasCjk(std::string_view s) {
  // U+4E00..U+9FFF encode as E4 B8 80 .. E9 BF BF.
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xE4 && c <= 0xE9) return true;
  }
  return false;
}

std::set<std::string> Placeholders(std::string_view s) {
  std::set<std::string> out;
  for (size_t open = s.find('{'); open != std::string_view::npos; open = s.find('{', open + 1)) {
    size_t close = s.find('}', open);
    if (close == std::string_view::npos) break;
    out.emplace(s.substr(open + 1, close - open - 1));
  }
  return out;
}

TEST(HttpStatusForTest, OneTableForEveryCode) {
  EXPECT_EQ(HttpStatusFor(Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(Code::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(Code::kMethodNotAllowed), 405);
  EXPECT_EQ(HttpStatusFor(Code::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(Code::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(Code::kAborted), 409);
  EXPECT_EQ(HttpStatusFor(Code::kTooLarge), 413);
  EXPECT_EQ(HttpStatusFor(Code::kUnsupportedMediaType), 415);
  EXPECT_EQ(HttpStatusFor(Code::kRateLimited), 429);
  EXPECT_EQ(HttpStatusFor(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(Code::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(Code::kOk), 500);
}

TEST(HttpStatusForTest, ProtocolProblemsWithoutACode) {
  EXPECT_EQ(HttpStatusFor(TooLarge(std::string(problems::kHeaderTooLarge))), 431);
  EXPECT_EQ(HttpStatusFor(InvalidArgument(std::string(problems::kRequestTimeout))), 408);
  EXPECT_EQ(HttpStatusFor(TooLarge(std::string(problems::kBodyTooLarge))), 413);
}

TEST(ProblemCatalogTest, EverySlugHasBothLanguagesWithTheSamePlaceholders) {
  ProblemCatalog catalog;
  std::vector<std::string_view> slugs = catalog.Slugs();
  ASSERT_GE(slugs.size(), 15u);
  for (std::string_view slug : slugs) {
    const ProblemText* t = catalog.Find(slug);
    ASSERT_NE(t, nullptr) << slug;
    EXPECT_EQ(t->slug, slug);
    EXPECT_FALSE(t->title_zh.empty()) << slug;
    EXPECT_FALSE(t->detail_zh.empty()) << slug;
    EXPECT_FALSE(t->title_en.empty()) << slug;
    EXPECT_FALSE(t->detail_en.empty()) << slug;
    EXPECT_TRUE(HasCjk(t->title_zh) && HasCjk(t->detail_zh)) << slug << " has no Chinese text";
    EXPECT_FALSE(HasCjk(t->title_en) || HasCjk(t->detail_en)) << slug << " has Chinese in English text";
    EXPECT_TRUE(Placeholders(t->title_zh).empty() && Placeholders(t->title_en).empty()) << slug;
    EXPECT_EQ(Placeholders(t->detail_zh), Placeholders(t->detail_en)) << slug;
  }
}

TEST(ProblemCatalogTest, HoldsTheHttpProblems) {
  ProblemCatalog catalog;
  for (std::string_view slug :
       {problems::kNotFound, problems::kMethodNotAllowed, problems::kMalformedJson, problems::kJsonTooDeep,
        problems::kDuplicateJsonKey, problems::kExpectedObject, problems::kEmptyBody, problems::kUnknownField, problems::kMissingField,
        problems::kBadField, problems::kBodyTooLarge,
        problems::kHeaderTooLarge, problems::kUnsupportedMediaType, problems::kRequestTimeout,
        problems::kBadRequest, problems::kInvalidPath, problems::kShuttingDown, problems::kOverloaded,
        problems::kInternal}) {
    EXPECT_NE(catalog.Find(slug), nullptr) << slug;
  }
  EXPECT_EQ(catalog.Find("nope/nope"), nullptr);
}

constexpr ProblemText kModuleProblems[] = {
    {"divisions/unknown-code", "行政区划不存在", "没有代码为 {code} 的行政区划", "Unknown division",
     "There is no division with code {code}"},
};

TEST(ProblemCatalogTest, AddsModuleProblems) {
  ProblemCatalog catalog;
  catalog.Add(kModuleProblems);
  ASSERT_NE(catalog.Find("divisions/unknown-code"), nullptr);
  EXPECT_DEATH(catalog.Add(kModuleProblems), "duplicate_slug");
}

TEST(MakeProblemTest, RendersRfc9457InChinese) {
  ProblemCatalog catalog;
  catalog.Add(kModuleProblems);
  Response r = MakeProblem(NotFound("divisions/unknown-code").With("code", "420199"),
                           MakeRequest(Language::kZh), catalog);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(r.Header("Content-Language"), "zh-CN");
  EXPECT_EQ(r.Header("Vary"), "Accept-Language");
  json::object body = Body(r);
  EXPECT_EQ(body.at("type"), "/problems/divisions/unknown-code");
  EXPECT_EQ(body.at("title"), "行政区划不存在");
  EXPECT_EQ(body.at("status"), 404);
  EXPECT_EQ(body.at("detail"), "没有代码为 420199 的行政区划");
  EXPECT_EQ(body.at("instance"), "/api/v1/things/7");
  EXPECT_EQ(body.at("request_id"), "00ff00ff00ff00ff");
  // Member order as in RFC 9457's examples.
  EXPECT_EQ(r.body.find("{\"type\":"), 0u);
}

TEST(MakeProblemTest, RendersInEnglish) {
  ProblemCatalog catalog;
  catalog.Add(kModuleProblems);
  Response r = MakeProblem(NotFound("divisions/unknown-code").With("code", "420199"),
                           MakeRequest(Language::kEn), catalog);
  EXPECT_EQ(r.Header("Content-Language"), "en");
  json::object body = Body(r);
  EXPECT_EQ(body.at("title"), "Unknown division");
  EXPECT_EQ(body.at("detail"), "There is no division with code 420199");
}

TEST(MakeProblemTest, FillsEveryPlaceholderAndDropsMissingOnes) {
  ProblemCatalog catalog;
  Status s = InvalidArgument(std::string(problems::kMalformedJson)).With("line", "3").With("column", "14");
  EXPECT_EQ(Body(MakeProblem(s, MakeRequest(Language::kZh), catalog)).at("detail"),
            "请求体不是有效的 JSON：第 3 行第 14 列附近出错");
  EXPECT_EQ(Body(MakeProblem(s, MakeRequest(Language::kEn), catalog)).at("detail"),
            "The request body is not valid JSON: error near line 3, column 14");
  Status partial = InvalidArgument(std::string(problems::kMalformedJson)).With("line", "3");
  EXPECT_EQ(Body(MakeProblem(partial, MakeRequest(Language::kEn), catalog)).at("detail"),
            "The request body is not valid JSON: error near line 3, column ");
}

TEST(MakeProblemTest, ArgumentsAreEscapedInJson) {
  ProblemCatalog catalog;
  catalog.Add(kModuleProblems);
  Response r = MakeProblem(NotFound("divisions/unknown-code").With("code", "\"},\"x\":\"<script>"),
                           MakeRequest(Language::kEn), catalog);
  json::object body = Body(r);  // still one valid object
  EXPECT_EQ(body.at("detail"), "There is no division with code \"},\"x\":\"<script>");
  EXPECT_FALSE(body.contains("x"));
}

TEST(MakeProblemTest, UnknownSlugFallsBackToGenericTextForItsCode) {
  ProblemCatalog catalog;
  std::string sink;
  log::CaptureForTest(&sink);
  Response zh = MakeProblem(FailedPrecondition("appeals/not-answered-yet"), MakeRequest(Language::kZh), catalog);
  Response en = MakeProblem(FailedPrecondition("appeals/not-answered-yet"), MakeRequest(Language::kEn), catalog);
  log::CaptureForTest(nullptr);
  EXPECT_EQ(zh.status, 409);
  EXPECT_EQ(Body(zh).at("type"), "/problems/appeals/not-answered-yet");
  EXPECT_EQ(Body(zh).at("title"), "当前状态不允许此操作");
  EXPECT_EQ(Body(en).at("title"), "Operation not allowed now");
  EXPECT_NE(sink.find("problems.unknown_slug"), std::string::npos);
}

TEST(MakeProblemTest, EveryCodeHasAGenericTextInBothLanguages) {
  ProblemCatalog catalog;
  std::string sink;
  log::CaptureForTest(&sink);
  for (Code code : {Code::kInvalidArgument, Code::kUnauthenticated, Code::kPermissionDenied, Code::kNotFound,
                    Code::kMethodNotAllowed, Code::kAlreadyExists, Code::kFailedPrecondition, Code::kAborted,
                    Code::kTooLarge, Code::kUnsupportedMediaType, Code::kRateLimited, Code::kUnavailable}) {
    json::object zh = Body(MakeProblem(Status(code, "x/unregistered"), MakeRequest(Language::kZh), catalog));
    json::object en = Body(MakeProblem(Status(code, "x/unregistered"), MakeRequest(Language::kEn), catalog));
    EXPECT_TRUE(HasCjk(zh.at("title").as_string())) << CodeName(code);
    EXPECT_FALSE(HasCjk(en.at("title").as_string())) << CodeName(code);
    EXPECT_NE(zh.at("title"), "服务器内部错误") << CodeName(code);
    EXPECT_EQ(zh.at("status"), HttpStatusFor(code));
  }
  log::CaptureForTest(nullptr);
}

TEST(MakeProblemTest, InternalNeverRevealsNoteSlugOrArguments) {
  ProblemCatalog catalog;
  Status s(Code::kInternal, "storage/corrupt-page", "sqlite said: database disk image is malformed at /var/x");
  s.With("table", "residents_secret");
  Response r = MakeProblem(s, MakeRequest(Language::kZh), catalog);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
  EXPECT_EQ(r.body.find("corrupt"), std::string::npos);
  EXPECT_EQ(r.body.find("residents_secret"), std::string::npos);
  json::object body = Body(r);
  EXPECT_EQ(body.at("type"), "/problems/internal");
  EXPECT_EQ(body.at("title"), "服务器内部错误");
  // The request id is in the detail so that a villager can quote it to the administrator.
  EXPECT_NE(std::string(body.at("detail").as_string()).find("00ff00ff00ff00ff"), std::string::npos);
}

TEST(MakeProblemTest, UnavailableAndRateLimitedCarryRetryAfter) {
  ProblemCatalog catalog;
  Response r = MakeProblem(Unavailable(std::string(problems::kShuttingDown)), MakeRequest(Language::kZh), catalog);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Header("Retry-After"), "5");
  r = MakeProblem(Unavailable("storage/busy").With("retry_after", "30"), MakeRequest(Language::kZh), catalog);
  EXPECT_EQ(r.Header("Retry-After"), "30");
  r = MakeProblem(Status(Code::kRateLimited, "identity/too-many-logins").With("retry_after", "x1"),
                  MakeRequest(Language::kZh), catalog);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Header("Retry-After"), "5");
  r = MakeProblem(NotFound(std::string(problems::kNotFound)), MakeRequest(Language::kZh), catalog);
  EXPECT_EQ(r.Header("Retry-After"), "");
}

TEST(MakeProblemTest, HeaderTooLargeIs431) {
  ProblemCatalog catalog;
  Response r = MakeProblem(TooLarge(std::string(problems::kHeaderTooLarge)).With("limit", "16384"),
                           MakeRequest(Language::kZh, ""), catalog);
  EXPECT_EQ(r.status, 431);
  json::object body = Body(r);
  EXPECT_EQ(body.at("status"), 431);
  EXPECT_EQ(body.at("detail"), "请求头超过了 16384 字节的上限");
}

}  // namespace
}  // namespace gz::http
