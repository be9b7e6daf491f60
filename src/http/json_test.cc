#include "http/json.h"

#include <gtest/gtest.h>

#include "http/problem.h"

namespace gz::http {
namespace {

namespace json = boost::json;

TEST(ParseJsonTest, ParsesValues) {
  Result<json::value> v = ParseJson(R"( {"a": [1, -2, 3.5, true, null, "村"], "b": {"c": 18446744073709551615}} )");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->at("a").at(0), 1);
  EXPECT_EQ(v->at("a").at(5), "村");
  EXPECT_TRUE(v->at("b").at("c").is_uint64());
}

TEST(ParseJsonTest, ReportsLineAndColumnOfASyntaxError) {
  Result<json::value> v = ParseJson("{\n  \"a\": 1,\n  \"b\": tru\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(v.status().slug(), "http/malformed-json");
  EXPECT_EQ(v.status().Arg("line"), "3");
  EXPECT_EQ(v.status().Arg("column"), "8");
  EXPECT_FALSE(v.status().Arg("reason").empty());

  v = ParseJson("[1,2,,3]");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().Arg("line"), "1");
  EXPECT_EQ(v.status().Arg("column"), "6");
  EXPECT_EQ(v.status().Arg("offset"), "5");
}

TEST(ParseJsonTest, ColumnsCountCharactersNotBytes) {
  // "村口路灯" is 4 characters and 12 bytes; the parser stops at the 1 where ':' should be.
  Result<json::value> v = ParseJson("{\"村口路灯\" 1}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().Arg("line"), "1");
  EXPECT_EQ(v.status().Arg("column"), "9");
  EXPECT_EQ(v.status().Arg("offset"), "16");
}

TEST(ParseJsonTest, RejectsWhatStrictJsonRejects) {
  for (const char* bad : {"", "   ", "{", "[1,]", "{\"a\":1,}", "// c\n{}", "{'a':1}", "NaN", "01", "1.",
                          "{} {}", "{}x", "\"\x01\"", "\"\\x\"", "[1e400]", "-1e999", "\"\xC0\xAF\"",
                          "\"\\uD800\""}) {
    Result<json::value> v = ParseJson(bad);
    EXPECT_FALSE(v.ok()) << bad;
    if (!v.ok()) {
      EXPECT_EQ(v.status().slug(), "http/malformed-json") << bad;
    }
  }
}

TEST(ParseJsonTest, AcceptsEdgeNumbers) {
  Result<json::value> v = ParseJson("[9223372036854775807, -9223372036854775808, -0, 1e308, 0.1]");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->at(0).as_int64(), INT64_MAX);
  EXPECT_EQ(v->at(1).as_int64(), INT64_MIN);
}

TEST(ParseJsonTest, RejectsDeepNesting) {
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  Result<json::value> v = ParseJson(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), "http/json-too-deep");
  EXPECT_EQ(v.status().Arg("max_depth"), "32");
  EXPECT_EQ(v.status().Arg("line"), "1");

  std::string at_limit = std::string(32, '[') + std::string(32, ']');
  EXPECT_TRUE(ParseJson(at_limit).ok());
  std::string over = std::string(33, '[') + std::string(33, ']');
  EXPECT_FALSE(ParseJson(over).ok());
  EXPECT_TRUE(ParseJson(over, JsonLimits{.max_depth = 64}).ok());
}

TEST(ParseJsonTest, RejectsDuplicateKeysAtAnyDepth) {
  Result<json::value> v = ParseJson("{\"role\": \"villager\",\n \"role\": \"admin\"}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), "http/duplicate-json-key");
  EXPECT_EQ(v.status().Arg("key"), "role");
  EXPECT_EQ(v.status().Arg("line"), "2");

  v = ParseJson(R"({"a": {"x": 1, "y": 2, "x": 3}})");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().Arg("key"), "x");
  // Escapes are decoded before comparing: "\u0061" is "a".
  v = ParseJson(R"({"a": 1, "\u0061": 2})");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().slug(), "http/duplicate-json-key");
  // The same key in sibling or nested objects is fine.
  EXPECT_TRUE(ParseJson(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}, "a": 4}])").ok());
}

TEST(ParseJsonTest, LongDuplicateKeyIsTruncatedInTheArgument) {
  std::string key(1000, 'k');
  Result<json::value> v = ParseJson("{\"" + key + "\":1,\"" + key + "\":2}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().Arg("key").size(), 64u);
}

TEST(ParseJsonObjectTest, RequiresAnObject) {
  Request r;
  r.body = R"({"category": "roads"})";
  Result<json::object> o = ParseJsonObject(r);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->at("category"), "roads");
  for (const char* not_object : {"[]", "\"x\"", "1", "null"}) {
    r.body = not_object;
    o = ParseJsonObject(r);
    ASSERT_FALSE(o.ok()) << not_object;
    EXPECT_EQ(o.status().slug(), "http/expected-object");
  }
  r.body = "{";
  EXPECT_EQ(ParseJsonObject(r).status().slug(), "http/malformed-json");
}

TEST(JsonResponseTest, SerializesWithContentType) {
  json::object o;
  o["name"] = "村委会";
  o["n"] = 3;
  Response r = JsonResponse(201, o);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"name":"村委会","n":3})");
}

TEST(ParseJsonTest, ErrorRendersAsProblemWithPosition) {
  Result<json::value> v = ParseJson("{\n\"a\": }");
  ASSERT_FALSE(v.ok());
  Request req;
  req.path = "/api/v1/appeals";
  ProblemCatalog catalog;
  Response r = MakeProblem(v.status(), req, catalog);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("第 2 行第 6 列附近出错"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace gz::http

namespace gz::http {
namespace {

boost::json::object Obj(std::string_view text) { return ParseJson(text).value().as_object(); }

TEST(JsonFieldsTest, OnlyRefusesUnknownKeys) {
  auto o = Obj(R"({"phone":"1","__probe":1})");
  JsonFields f(o);
  Status s = f.Only({"phone"});
  EXPECT_EQ(s.slug(), "http/unknown-field");
  EXPECT_EQ(s.Arg("field"), "__probe");
  EXPECT_TRUE(f.Only({"phone", "__probe"}).ok());
}

TEST(JsonFieldsTest, StringsHaveLimitsAndTypes) {
  auto o = Obj(R"({"a":"abc","n":5,"z":"a\u0000b","nul":null})");
  JsonFields f(o);
  EXPECT_EQ(f.String("a", 3).value(), "abc");
  EXPECT_EQ(f.String("a", 2).status().Arg("reason"), "too-long");
  EXPECT_EQ(f.String("n", 9).status().Arg("reason"), "not-a-string");
  EXPECT_EQ(f.String("z", 9).status().Arg("reason"), "control-character");
  EXPECT_EQ(f.String("missing", 9).status().slug(), "http/missing-field");
  EXPECT_EQ(f.String("nul", 9).status().slug(), "http/missing-field");
  EXPECT_FALSE(f.OptionalString("nul", 9).value().has_value());
  EXPECT_EQ(*f.OptionalString("a", 9).value(), "abc");
}

TEST(JsonFieldsTest, IntegersBoolsArrays) {
  auto o = Obj(R"({"i":7,"big":18446744073709551615,"f":1.5,"b":true,"arr":["x","y"],"bad":[1]})");
  JsonFields f(o);
  EXPECT_EQ(f.Integer("i", 0, 10).value(), 7);
  EXPECT_EQ(f.Integer("i", 0, 5).status().Arg("reason"), "out-of-range");
  EXPECT_EQ(f.Integer("big", 0, INT64_MAX).status().Arg("reason"), "out-of-range");
  EXPECT_EQ(f.Integer("f", 0, 10).status().Arg("reason"), "not-an-integer");
  EXPECT_TRUE(f.Bool("b").value());
  EXPECT_EQ(f.Bool("i").status().Arg("reason"), "not-a-boolean");
  EXPECT_EQ(f.StringArray("arr", 2, 1).value(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(f.StringArray("arr", 1, 1).status().Arg("reason"), "too-many-items");
  EXPECT_EQ(f.StringArray("bad", 2, 1).status().Arg("reason"), "not-a-string");
}

}  // namespace
}  // namespace gz::http
