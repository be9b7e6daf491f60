// Both wire formats: the JSON is what Boost.JSON writes; the XML is parsed back with expat, so a
// hostile text (markup, entities, control characters, broken UTF-8) can never make it malformed.
// And the form encoding of GeoReport POSTs.
#include "modules/open311/api/georeport_format.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>

#include "modules/open311/problems.h"

namespace gz::open311::format {
namespace {

// Parses `xml` with expat; returns the concatenated character data of every element named
// `element`, or nullopt (with the parser's message in *error) when it is not well-formed.
struct Collected {
  std::string element;
  std::vector<std::string> texts;
  int depth_in = 0;
};

std::optional<std::vector<std::string>> ParseXml(const std::string& xml, const std::string& element, std::string* error) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  Collected c{element, {}, 0};
  XML_SetUserData(p, &c);
  XML_SetElementHandler(
      p,
      [](void* data, const XML_Char* name, const XML_Char**) {
        auto* c = static_cast<Collected*>(data);
        if (c->element == name) {
          c->texts.emplace_back();
          ++c->depth_in;
        }
      },
      [](void* data, const XML_Char* name) {
        auto* c = static_cast<Collected*>(data);
        if (c->element == name) --c->depth_in;
      });
  XML_SetCharacterDataHandler(p, [](void* data, const XML_Char* s, int len) {
    auto* c = static_cast<Collected*>(data);
    if (c->depth_in > 0) c->texts.back().append(s, static_cast<size_t>(len));
  });
  const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  if (!ok) *error = XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  if (!ok) return std::nullopt;
  return c.texts;
}

Node Request(std::string description) {
  Node n = Node::Object();
  n.Add("service_request_id", Node::Text("7"))
      .Add("description", Node::Text(std::move(description)))
      .Add("lat", Node::Number(30.58))
      .Add("expected_datetime", Node::Null())
      .Add("metadata", Node::Bool(false))
      .Add("code", Node::Integer(-3));
  return n;
}

TEST(GeoReportXml, EscapesMarkupAndStaysWellFormed) {
  const std::string hostile =
      "</description><script>alert(1)</script>&amp; &lt; \"quoted\" 'single' ]]> <!-- x --> <?pi?> &#0; 路灯";
  Node list = Node::Array("request");
  list.Push(Request(hostile));
  const std::string xml = ToXml("service_requests", list);
  EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests><request>")) << xml;
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  std::string error;
  std::optional<std::vector<std::string>> texts = ParseXml(xml, "description", &error);
  ASSERT_TRUE(texts.has_value()) << error << "\n" << xml;
  ASSERT_EQ(texts->size(), 1u);
  EXPECT_EQ(texts->front(), hostile) << "escaping must round-trip exactly";
  EXPECT_EQ(*ParseXml(xml, "lat", &error), std::vector<std::string>{"30.58"});
  EXPECT_EQ(*ParseXml(xml, "expected_datetime", &error), std::vector<std::string>{""});
  EXPECT_EQ(*ParseXml(xml, "metadata", &error), std::vector<std::string>{"false"});
  EXPECT_EQ(*ParseXml(xml, "code", &error), std::vector<std::string>{"-3"});
}

TEST(GeoReportXml, ReplacesWhatXmlCannotCarry) {
  // Control characters, U+FFFE/U+FFFF, a lone continuation byte, a truncated sequence, an
  // overlong encoding and an encoded surrogate: each becomes U+FFFD; TAB, LF and CR survive.
  const std::string nasty = std::string("a\x01" "b\x1f" "c\x7f") + "\xEF\xBF\xBE" "\xEF\xBF\xBF" "\x80" "\xE6\x9D" "x" +
                            "\xC0\xAF" + "\xED\xA0\x80" + "\t\n\r" + std::string("\0z", 2);
  const std::string xml = ToXml("errors", Node::Object().Add("description", Node::Text(nasty)));
  std::string error;
  std::optional<std::vector<std::string>> texts = ParseXml(xml, "description", &error);
  ASSERT_TRUE(texts.has_value()) << error << "\n" << xml;
  const std::string r = "\xEF\xBF\xBD";
  // 0x7f is allowed by XML 1.0 and kept.
  const std::string five = r + r + r + r + r;
  EXPECT_EQ(texts->front(), "a" + r + "b" + r + "c\x7f" + five + "x" + five + "\t\n\r" + r + "z");
}

TEST(GeoReportXml, TheEscapesAreTheFiveEntitiesAndCr) {
  EXPECT_EQ(XmlText("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(XmlText("\r"), "&#13;");
  EXPECT_EQ(XmlText("村委会"), "村委会");
}

TEST(GeoReportJson, WritesTheSameTreeAsJson) {
  Node list = Node::Array("request");
  list.Push(Request("a \"quoted\" </script> 路灯\n"));
  Node formats = Node::Array("format");
  formats.Push(Node::Text("text/xml"));
  list.Push(std::move(Node::Object().Add("formats", std::move(formats))));
  boost::json::value v = boost::json::parse(ToJson(list));
  ASSERT_TRUE(v.is_array());
  const boost::json::object& o = v.as_array()[0].as_object();
  EXPECT_EQ(o.at("description").as_string(), "a \"quoted\" </script> 路灯\n");
  EXPECT_DOUBLE_EQ(o.at("lat").as_double(), 30.58);
  EXPECT_TRUE(o.at("expected_datetime").is_null());
  EXPECT_EQ(o.at("metadata").as_bool(), false);
  EXPECT_EQ(o.at("code").as_int64(), -3);
  EXPECT_EQ(v.as_array()[1].as_object().at("formats").as_array()[0].as_string(), "text/xml");
  EXPECT_EQ(ToJson(Node::Number(std::numeric_limits<double>::infinity())), "null");
}

TEST(GeoReportFormat, TheExtensionPicksTheFormat) {
  EXPECT_EQ(SplitExtension("requests.json"), std::make_pair(std::string("requests"), Format::kJson));
  EXPECT_EQ(SplitExtension("123.xml"), std::make_pair(std::string("123"), Format::kXml));
  EXPECT_EQ(SplitExtension("a.b.xml"), std::make_pair(std::string("a.b"), Format::kXml));
  for (const char* bad : {"requests", "requests.html", ".json", "requests.JSON", "requests.json.", ""})
    EXPECT_EQ(SplitExtension(bad), std::nullopt) << bad;
  http::Response x = Render(201, Format::kXml, "service_requests", Node::Array("request"));
  EXPECT_EQ(x.status, 201);
  EXPECT_EQ(x.Header("Content-Type"), "text/xml; charset=utf-8");
  EXPECT_EQ(x.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests></service_requests>\n");
  http::Response j = Render(200, Format::kJson, "services", Node::Array("service"));
  EXPECT_EQ(j.Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(j.body, "[]");
}

TEST(GeoReportForm, DecodesTheHtmlFormEncoding) {
  auto pairs = ParseForm("api_key=k&description=%E8%B7%AF%E7%81%AF+%E5%9D%8F%E4%BA%86&attribute%5Bx%5D=1&&flag&e=", 10);
  ASSERT_TRUE(pairs.ok()) << pairs.status().ToString();
  std::vector<std::pair<std::string, std::string>> want = {
      {"api_key", "k"}, {"description", "路灯 坏了"}, {"attribute[x]", "1"}, {"flag", ""}, {"e", ""}};
  EXPECT_EQ(*pairs, want);
  EXPECT_TRUE(ParseForm("", 10)->empty());
  EXPECT_EQ(ParseForm("a=%zz", 10).status().Arg("reason"), "encoding");
  EXPECT_EQ(ParseForm("a=%4", 10).status().Arg("reason"), "encoding");
  EXPECT_EQ(ParseForm("%=1", 10).status().Arg("reason"), "encoding");
  EXPECT_EQ(ParseForm("a=1&b=2&c=3", 2).status().Arg("reason"), "too-many");
  EXPECT_EQ(ParseForm("a=1", 10).status().ok(), true);
}

TEST(GeoReportForm, AcceptsOnlyTheFormMediaType) {
  EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormContentType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded;charset=\"utf-8\""));
  EXPECT_FALSE(IsFormContentType(""));
  EXPECT_FALSE(IsFormContentType("application/json"));
  EXPECT_FALSE(IsFormContentType("multipart/form-data; boundary=x"));
  EXPECT_FALSE(IsFormContentType("application/x-www-form-urlencoded; charset=gbk"));
  EXPECT_FALSE(IsFormContentType("application/x-www-form-urlencoded; junk"));
}

}  // namespace
}  // namespace gz::open311::format
