// The GeoReport and client administration routes, called through the router with the real
// services (no dispatcher, no identity guard: principals are made by hand). What the apitests in
// tests/api/open311/ check against the real server is only sampled here; this covers what needs a
// hand-made principal or an exact look at the documents.
#include "modules/open311/api/georeport_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "access/gate.h"
#include "modules/appeals/problems.h"
#include "modules/open311/api/client_routes.h"
#include "modules/open311/problems.h"
#include "modules/open311/testing/open311_test_env.h"

namespace gz::open311 {
namespace {

using testing::Open311TestEnv;

std::string FormEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
      out += static_cast<char>(c);
    else if (c == ' ')
      out += '+';
    else
      out += {'%', kHex[c >> 4], kHex[c & 15]};
  }
  return out;
}

class GeoReportRoutesTest : public ::testing::Test {
 protected:
  GeoReportRoutesTest() : gate_(&denials_) {
    catalog_.Add(problems::kTexts);
    catalog_.Add(appeals::problems::kTexts);
    RegisterGeoReportRoutes(router_, *env.georeport, catalog_);
    RegisterClientRoutes(router_, *env.clients, gate_);
  }

  http::Response Call(http::Method method, std::string target, std::string body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {},
                      const access::Principal* caller = nullptr) {
    http::Request req;
    req.method = method;
    req.target = target;
    const size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.body = std::move(body);
    req.headers = std::move(headers);
    req.request_id = "test";
    if (caller != nullptr) req.principal = std::make_shared<const access::Principal>(*caller);
    auto match = router_.Find(method, req.path, &req.path_params);
    EXPECT_NE(match.route, nullptr) << target;
    if (match.route == nullptr) return {};
    req.route = match.route->pattern;
    Result<http::Response> r = match.route->handler(req);
    if (!r.ok()) {
      http::Response failed;
      failed.status = http::HttpStatusFor(r.status());
      failed.body = std::string(r.status().slug());
      return failed;
    }
    return std::move(*r);
  }
  http::Response Get(std::string target) { return Call(http::Method::kGet, std::move(target)); }
  http::Response PostForm(std::string target, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [k, v] : fields) {
      if (!body.empty()) body += '&';
      body += FormEscape(k);
      body += '=';
      body += FormEscape(v);
    }
    return Call(http::Method::kPost, std::move(target), body,
                {{"content-type", "application/x-www-form-urlencoded"}});
  }
  static boost::json::value Json(const http::Response& r) { return boost::json::parse(r.body); }
  static std::string ErrorType(const http::Response& r) {
    return std::string(Json(r).as_array()[0].as_object().at("type").as_string());
  }

  access::Principal Admin(const char* scope = testing::kCounty) {
    access::Principal p;
    p.self.account_id = 401;
    p.self.grants.push_back(access::Grant{0, access::Role::kCountyAdmin, scope});
    return p;
  }

  Open311TestEnv env;
  appeals::testing::RecordingSink denials_;
  access::Gate gate_;
  http::ProblemCatalog catalog_;
  http::Router router_;
};

TEST_F(GeoReportRoutesTest, AClientFilesAndReadsBackInBothFormats) {
  IssuedClient c = env.Issue();
  http::Response filed = PostForm("/open311/v2/requests.json", {{"api_key", c.key},
                                                                {"jurisdiction_id", testing::kVillage},
                                                                {"service_code", "street_lights"},
                                                                {"description", "路灯坏了 & 没人修"},
                                                                {"lat", "30.58"},
                                                                {"long", "114.03"},
                                                                {"address_string", "村口"},
                                                                {"phone", "15400000001"},
                                                                {"first_name", "不存"},
                                                                {"attribute[WHISPER]", "ignored"}});
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Header("Cache-Control"), "no-store");
  const boost::json::value filed_json = Json(filed);
  const boost::json::object& answer = filed_json.as_array()[0].as_object();
  const std::string id(answer.at("service_request_id").as_string());
  const std::string token(answer.at("token").as_string());
  EXPECT_NE(std::string(answer.at("service_notice").as_string()).find("+08:00"), std::string::npos);

  http::Response mine = Get("/open311/v2/requests/" + id + ".json?api_key=" + c.key);
  ASSERT_EQ(mine.status, 200) << mine.body;
  const boost::json::value mine_json = Json(mine);
  const boost::json::object& r = mine_json.as_array()[0].as_object();
  EXPECT_EQ(r.at("description").as_string(), "路灯坏了 & 没人修");
  EXPECT_EQ(r.at("address").as_string(), "村口");
  EXPECT_DOUBLE_EQ(r.at("lat").as_double(), 30.58);
  EXPECT_EQ(r.at("status").as_string(), "open");
  EXPECT_EQ(r.at("service_code").as_string(), "street_lights");
  EXPECT_EQ(r.at("service_name").as_string(), "路灯照明");
  EXPECT_EQ(r.at("agency_responsible").as_string(), "village:420114001205");
  EXPECT_EQ(r.at("jurisdiction_id").as_string(), testing::kVillage);
  EXPECT_TRUE(std::string(r.at("expected_datetime").as_string()).ends_with("+08:00"));
  EXPECT_EQ(mine.Header("Cache-Control"), "no-store");

  http::Response pub = Get("/open311/v2/requests/" + id + ".xml");
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.Header("Content-Type"), "text/xml; charset=utf-8");
  EXPECT_NE(pub.body.find("<service_requests><request><service_request_id>" + id + "</service_request_id>"),
            std::string::npos)
      << pub.body;
  EXPECT_NE(pub.body.find("<description></description>"), std::string::npos) << "no personal data in public";
  EXPECT_EQ(pub.body.find("路灯坏了"), std::string::npos);

  http::Response t = Get("/open311/v2/tokens/" + token + ".xml");
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_NE(t.body.find("<service_request_id>" + id + "</service_request_id>"), std::string::npos);
}

TEST_F(GeoReportRoutesTest, ErrorsAreGeoReportErrorsWithTheRightStatus) {
  IssuedClient c = env.Issue();
  http::Response no_key = PostForm("/open311/v2/requests.json", {{"service_code", "street_lights"}});
  EXPECT_EQ(no_key.status, 403);
  EXPECT_EQ(ErrorType(no_key), "/problems/open311/key-required");
  const boost::json::value no_key_json = Json(no_key);
  const boost::json::object& e = no_key_json.as_array()[0].as_object();
  EXPECT_EQ(e.at("code").as_int64(), 403);
  EXPECT_TRUE(e.at("description").is_string());

  http::Response xml = PostForm("/open311/v2/requests.xml", {{"api_key", "gz311_wrong"}});
  EXPECT_EQ(xml.status, 403);
  EXPECT_TRUE(xml.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error><code>403</code>"))
      << xml.body;

  http::Response json_body = Call(http::Method::kPost, "/open311/v2/requests.json", "{\"api_key\":\"x\"}",
                                  {{"content-type", "application/json"}});
  EXPECT_EQ(json_body.status, 415);
  EXPECT_EQ(ErrorType(json_body), "/problems/open311/form-encoding-required");

  http::Response dup = PostForm("/open311/v2/requests.json", {{"api_key", c.key}, {"phone", "1"}, {"phone", "2"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(ErrorType(dup), "/problems/open311/duplicate-parameter");

  http::Response long_field =
      PostForm("/open311/v2/requests.json", {{"api_key", c.key}, {"description", std::string(9000, 'x')}});
  EXPECT_EQ(long_field.status, 400);
  EXPECT_EQ(ErrorType(long_field), "/problems/open311/bad-parameter");

  http::Response unknown_service = Get("/open311/v2/services/fireworks.json");
  EXPECT_EQ(unknown_service.status, 404);
  EXPECT_EQ(ErrorType(unknown_service), "/problems/open311/unknown-service");
  http::Response bad_format = Get("/open311/v2/requests/1.html");
  EXPECT_EQ(bad_format.status, 404);
  EXPECT_EQ(ErrorType(bad_format), "/problems/open311/unknown-format");
  EXPECT_EQ(Get("/open311/v2/requests.json").status, 400);
  EXPECT_EQ(Get("/open311/v2/requests.json?jurisdiction_id=420114001205&status=pending").status, 400);
  EXPECT_EQ(Get("/open311/v2/requests.json?jurisdiction_id=420114001205&start_date=yesterday").status, 400);
  EXPECT_EQ(Get("/open311/v2/requests.json?jurisdiction_id=420114001205&api_key=bad").status, 403);
  EXPECT_EQ(Get("/open311/v2/requests/99.json").status, 404);
}

TEST_F(GeoReportRoutesTest, DiscoveryAndServicesDescribeTheEndpoint) {
  http::Response d = Call(http::Method::kGet, "/open311/v2/discovery.json", "", {{"host", "gongzhi.example.cn"}});
  ASSERT_EQ(d.status, 200);
  const boost::json::value d_json = Json(d);
  const boost::json::object& doc = d_json.as_object();
  EXPECT_EQ(doc.at("endpoints").as_array()[0].as_object().at("url").as_string(), "http://gongzhi.example.cn/open311/v2");
  http::Response odd = Call(http::Method::kGet, "/open311/v2/discovery.xml", "", {{"host", "evil\"><x>"}});
  EXPECT_NE(odd.body.find("<url>/open311/v2</url>"), std::string::npos) << odd.body;
  EXPECT_NE(odd.body.find("<formats><format>text/xml</format><format>application/json</format></formats>"),
            std::string::npos);

  http::Response s = Get("/open311/v2/services.json?jurisdiction_id=420114001205");
  ASSERT_EQ(s.status, 200);
  bool found = false;
  const boost::json::value services = Json(s);
  for (const auto& v : services.as_array()) {
    const boost::json::object& o = v.as_object();
    if (o.at("service_code").as_string() != "water_supply") continue;
    found = true;
    EXPECT_EQ(o.at("service_name").as_string(), "供水");
    EXPECT_EQ(o.at("group").as_string(), "utilities");
    EXPECT_EQ(o.at("metadata").as_bool(), false);
    EXPECT_EQ(o.at("type").as_string(), "realtime");
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Get("/open311/v2/services.json?jurisdiction_id=420114009999").status, 404);
  http::Response def = Get("/open311/v2/services/water_supply.xml");
  EXPECT_EQ(def.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_definition><service_code>water_supply</service_code>"
            "<attributes></attributes></service_definition>\n");
}

TEST_F(GeoReportRoutesTest, AdministratorsIssueAndRevokeOnlyInsideTheirArea) {
  access::Principal admin = Admin();
  http::Response created = Call(http::Method::kPost, "/api/v1/open311/clients",
                                "{\"name\":\"蔡甸随手拍\",\"scope\":\"420114001\"}", {}, &admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const boost::json::value created_json = Json(created);
  const boost::json::object& o = created_json.as_object();
  const std::string key(o.at("key").as_string());
  const std::string id(o.at("id").as_string());
  EXPECT_TRUE(LooksLikeKey(key));
  EXPECT_EQ(o.at("scope").as_string(), "420114001000");
  EXPECT_EQ(o.at("status").as_string(), "active");
  EXPECT_EQ(created.Header("Cache-Control"), "no-store");

  http::Response list = Call(http::Method::kGet, "/api/v1/open311/clients", "", {}, &admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(key.substr(10)), std::string::npos) << "a key is shown once";
  EXPECT_EQ(Json(list).as_object().at("items").as_array().size(), 1u);

  // An administrator of another county sees nothing of it and cannot issue keys here.
  access::Principal elsewhere = Admin("420115000000");
  EXPECT_EQ(Json(Call(http::Method::kGet, "/api/v1/open311/clients", "", {}, &elsewhere)).as_object().at("items").as_array().size(), 0u);
  http::Response foreign = Call(http::Method::kPost, "/api/v1/open311/clients", "{\"name\":\"x\",\"scope\":\"420114\"}",
                                {}, &elsewhere);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(foreign.body, "open311/scope-not-found");
  http::Response foreign_revoke =
      Call(http::Method::kPost, "/api/v1/open311/clients/" + id + "/revoke", "{}", {}, &elsewhere);
  EXPECT_EQ(foreign_revoke.status, 404);
  EXPECT_EQ(denials_.Count("access.denied"), 2u);

  http::Response revoked =
      Call(http::Method::kPost, "/api/v1/open311/clients/" + id + "/revoke", "{\"reason\":\"泄露\"}", {}, &admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Json(revoked).as_object().at("status").as_string(), "revoked");
  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/open311/clients/" + id + "/revoke", "{}", {}, &admin).status, 409);
  http::Response refused = PostForm("/open311/v2/requests.json", {{"api_key", key}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(ErrorType(refused), "/problems/open311/bad-key");
}

}  // namespace
}  // namespace gz::open311
