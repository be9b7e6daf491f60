#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "core/log.h"
#include "http/json.h"

namespace gz::http {
namespace {

namespace json = boost::json;

constexpr ProblemText kTestProblems[] = {
    {"things/not-found", "事项不存在", "没有编号为 {id} 的事项", "No such thing", "There is no thing {id}"},
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher_(router_, catalog_, metrics_) {
    catalog_.Add(kTestProblems);
    Add(Method::kGet, "/api/v1/things/{id}", [](Request& r) -> Result<Response> {
      if (r.PathParam("id") == "404") return NotFound("things/not-found").With("id", "404");
      return Response::Json(200, "{\"id\":\"" + std::string(r.PathParam("id")) + "\"}");
    });
    Add(Method::kPost, "/api/v1/things/{id}", [](Request&) -> Result<Response> { return Response::Json(201, "{}"); });
    Add(Method::kGet, "/api/v1/cached", [](Request&) -> Result<Response> {
      Response r = Response::Json(200, "{}");
      r.SetHeader("Cache-Control", "public, max-age=60");
      return r;
    });
    Add(Method::kGet, "/healthz", [](Request&) -> Result<Response> { return Response::Text(200, "ok"); });
    Add(Method::kGet, "/api/v1/file", [](Request&) -> Result<Response> {
      Response r = Response::Text(200, "\xFF\xD8\xFF", "image/jpeg");
      r.SetHeader("Content-Security-Policy", kFileContentSecurityPolicy);
      return r;
    });
    Add(Method::kGet, "/api/v1/weaker", [](Request&) -> Result<Response> {
      Response r = Response::Json(200, "{}");
      r.SetHeader("Content-Security-Policy", "default-src *; script-src 'unsafe-inline'");
      return r;
    });
    Route json_route;
    json_route.json_body = true;
    json_route.max_body_bytes = 64;
    Add(Method::kPost, "/api/v1/appeals", [](Request& r) -> Result<Response> {
      GZ_ASSIGN_OR_RETURN(json::object o, ParseJsonObject(r));
      return JsonResponse(201, o);
    }, json_route);
    Add(Method::kGet, "/api/v1/throws", [](Request&) -> Result<Response> {
      throw std::runtime_error("secret detail: resident 张三 id 420102199001011234");
    });
    Add(Method::kGet, "/api/v1/throws-int", [](Request&) -> Result<Response> { throw 42; });
    Add(Method::kGet, "/api/v1/internal", [](Request&) -> Result<Response> {
      return Internal("db file /var/lib/gz/x.db is corrupt");
    });
  }

  void Add(Method m, std::string pattern, Handler h, Route base = {}) {
    base.method = m;
    base.pattern = std::move(pattern);
    base.operation_id = base.pattern;
    base.permission = "public";
    base.handler = std::move(h);
    router_.Add(std::move(base));
  }

  Response Send(Method m, std::string path, std::string body = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = m;
    r.method_text = std::string(MethodName(m));
    r.path = std::move(path);
    r.target = r.path;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.request_id = "0123456789abcdef";
    log::CaptureForTest(&log_);
    Response response = dispatcher_.Handle(r);
    log::CaptureForTest(nullptr);
    last_request_ = r;
    return response;
  }

  static json::object Problem(const Response& r) {
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json; charset=utf-8");
    return json::parse(r.body).as_object();
  }

  Router router_;
  ProblemCatalog catalog_;
  Metrics metrics_;
  Dispatcher dispatcher_;
  std::string log_;
  Request last_request_;
};

TEST_F(DispatcherTest, CallsTheHandlerWithPathParams) {
  Response r = Send(Method::kGet, "/api/v1/things/7");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"id\":\"7\"}");
  EXPECT_EQ(last_request_.route, "/api/v1/things/{id}");
}

TEST_F(DispatcherTest, EveryResponseCarriesSecurityHeadersAndRequestId) {
  for (const Response& r : {Send(Method::kGet, "/api/v1/things/7"), Send(Method::kGet, "/nope"),
                            Send(Method::kDelete, "/api/v1/things/7"), Send(Method::kGet, "/api/v1/throws"),
                            Send(Method::kGet, "/healthz")}) {
    EXPECT_EQ(r.Header("Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
              "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
              "object-src 'none'; form-action 'self'");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Referrer-Policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.Header("Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_EQ(r.Header("X-Request-Id"), "0123456789abcdef");
  }
}

// A stored file may tighten the policy to the sandbox; any other policy a handler sets is
// replaced by the default, so no handler can weaken it.
TEST_F(DispatcherTest, OnlyTheFilePolicyMayReplaceTheDefaultContentSecurityPolicy) {
  EXPECT_EQ(Send(Method::kGet, "/api/v1/file").Header("Content-Security-Policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(Send(Method::kGet, "/api/v1/weaker").Header("Content-Security-Policy"),
            Send(Method::kGet, "/api/v1/things/7").Header("Content-Security-Policy"));
  EXPECT_EQ(Send(Method::kGet, "/api/v1/file").Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(DispatcherTest, ApiResponsesAreNoStoreUnlessTheHandlerSaidOtherwise) {
  EXPECT_EQ(Send(Method::kGet, "/api/v1/things/7").Header("Cache-Control"), "no-store");
  EXPECT_EQ(Send(Method::kGet, "/api/v1/nope").Header("Cache-Control"), "no-store");
  EXPECT_EQ(Send(Method::kGet, "/api/v1/cached").Header("Cache-Control"), "public, max-age=60");
  EXPECT_EQ(Send(Method::kGet, "/healthz").Header("Cache-Control"), "");
}

TEST_F(DispatcherTest, UnknownPathIs404Problem) {
  Response r = Send(Method::kGet, "/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  json::object p = Problem(r);
  EXPECT_EQ(p.at("type"), "/problems/http/not-found");
  EXPECT_EQ(p.at("instance"), "/api/v1/nothing-here");
  EXPECT_EQ(p.at("request_id"), "0123456789abcdef");
}

TEST_F(DispatcherTest, WrongMethodIs405WithAllowHeader) {
  Response r = Send(Method::kDelete, "/api/v1/things/7");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD, POST");
  json::object p = Problem(r);
  EXPECT_EQ(p.at("type"), "/problems/http/method-not-allowed");
  EXPECT_EQ(p.at("detail"), "该地址不支持 DELETE 请求，可用的方法：GET, HEAD, POST");
}

TEST_F(DispatcherTest, TraceIs405) {
  Request r;
  r.method = Method::kOther;
  r.method_text = "TRACE";
  r.path = "/healthz";
  r.request_id = "1";
  log::CaptureForTest(&log_);
  Response response = dispatcher_.Handle(r);
  log::CaptureForTest(nullptr);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, HEAD");
}

TEST_F(DispatcherTest, HeadDropsTheBodyButKeepsItsLength) {
  Response get = Send(Method::kGet, "/api/v1/things/12345");
  Response head = Send(Method::kHead, "/api/v1/things/12345");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("Content-Type"), get.Header("Content-Type"));
  Response head404 = Send(Method::kHead, "/nope");
  EXPECT_EQ(head404.status, 404);
  EXPECT_TRUE(head404.body.empty());
  EXPECT_NE(head404.Header("Content-Length"), "0");
}

TEST_F(DispatcherTest, JsonRouteAcceptsJsonContentTypes) {
  for (const char* ct : {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
                         "application/json; charset=\"utf-8\""}) {
    Response r = Send(Method::kPost, "/api/v1/appeals", R"({"a":1})", {{"content-type", ct}});
    EXPECT_EQ(r.status, 201) << ct << " " << r.body;
    EXPECT_EQ(r.body, R"({"a":1})");
  }
}

TEST_F(DispatcherTest, JsonRouteRejectsOtherContentTypesWith415) {
  for (const char* ct : {"", "text/plain", "application/x-www-form-urlencoded", "application/json-patch+json",
                         "application/json; charset=latin1", "multipart/form-data; boundary=x"}) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (*ct) headers.emplace_back("content-type", ct);
    Response r = Send(Method::kPost, "/api/v1/appeals", R"({"a":1})", headers);
    EXPECT_EQ(r.status, 415) << ct;
    EXPECT_EQ(Problem(r).at("type"), "/problems/http/unsupported-media-type");
  }
}

TEST_F(DispatcherTest, JsonRouteRejectsEmptyBodyWith400) {
  Response r = Send(Method::kPost, "/api/v1/appeals", "", {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Problem(r).at("type"), "/problems/http/empty-body");
}

TEST_F(DispatcherTest, JsonRouteReportsMalformedJsonPosition) {
  Response r = Send(Method::kPost, "/api/v1/appeals", "{\"a\":\n  x}",
                    {{"content-type", "application/json"}, {"accept-language", "en"}});
  EXPECT_EQ(r.status, 400);
  json::object p = Problem(r);
  EXPECT_EQ(p.at("type"), "/problems/http/malformed-json");
  EXPECT_EQ(p.at("detail"), "The request body is not valid JSON: error near line 2, column 3");
  EXPECT_EQ(r.Header("Content-Language"), "en");
}

TEST_F(DispatcherTest, RouteBodyLimitGives413) {
  std::string big = "{\"a\":\"" + std::string(100, 'x') + "\"}";
  Response r = Send(Method::kPost, "/api/v1/appeals", big, {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 413);
  json::object p = Problem(r);
  EXPECT_EQ(p.at("type"), "/problems/http/body-too-large");
  EXPECT_EQ(p.at("detail"), "请求体超过了 64 字节的上限");
}

TEST_F(DispatcherTest, DefaultBodyLimitAppliesToRoutesWithoutTheirOwn) {
  dispatcher_.set_default_max_body_bytes(10);
  EXPECT_EQ(Send(Method::kPost, "/api/v1/things/1", std::string(11, 'x')).status, 413);
  EXPECT_EQ(Send(Method::kPost, "/api/v1/things/1", std::string(10, 'x')).status, 201);
  // A route's own limit wins, larger or smaller than the default.
  EXPECT_EQ(Send(Method::kPost, "/api/v1/appeals", "{\"a\":\"" + std::string(40, 'x') + "\"}",
                 {{"content-type", "application/json"}}).status, 201);
  EXPECT_EQ(router_.LargestBodyLimit(10), 64u);
  EXPECT_EQ(router_.LargestBodyLimit(1000), 1000u);
}

TEST_F(DispatcherTest, HandlerStatusBecomesProblemInTheNegotiatedLanguage) {
  Response zh = Send(Method::kGet, "/api/v1/things/404");
  EXPECT_EQ(zh.status, 404);
  EXPECT_EQ(Problem(zh).at("detail"), "没有编号为 404 的事项");
  EXPECT_EQ(last_request_.language, Language::kZh);
  Response en = Send(Method::kGet, "/api/v1/things/404", "", {{"accept-language", "en-US,en;q=0.9,zh;q=0.5"}});
  EXPECT_EQ(Problem(en).at("detail"), "There is no thing 404");
  EXPECT_EQ(last_request_.language, Language::kEn);
}

TEST_F(DispatcherTest, ExceptionBecomes500WithoutDetailsAndIsLogged) {
  Response r = Send(Method::kGet, "/api/v1/throws");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(Problem(r).at("type"), "/problems/internal");
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("420102"), std::string::npos);
  EXPECT_NE(log_.find("\"event\":\"request.internal_error\""), std::string::npos);
  EXPECT_NE(log_.find("\"level\":\"error\""), std::string::npos);
  EXPECT_NE(log_.find("\"request_id\":\"0123456789abcdef\""), std::string::npos);

  r = Send(Method::kGet, "/api/v1/throws-int");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(log_.find("non-standard exception"), std::string::npos);
}

TEST_F(DispatcherTest, InternalStatusBecomes500AndIsLogged) {
  Response r = Send(Method::kGet, "/api/v1/internal");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("corrupt"), std::string::npos);
  EXPECT_NE(log_.find("corrupt"), std::string::npos);
}

TEST_F(DispatcherTest, AccessLogUsesThePatternNeverThePathOrQuery) {
  Request r;
  r.method = Method::kGet;
  r.path = "/api/v1/things/420102199001011234";
  r.query = "name=%E5%BC%A0%E4%B8%89";
  r.target = r.path + "?" + r.query;
  r.request_id = "feedfacefeedface";
  log::CaptureForTest(&log_);
  Response response = dispatcher_.Handle(r);
  log::CaptureForTest(nullptr);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(std::count(log_.begin(), log_.end(), '\n'), 1);
  json::object line = json::parse(log_).as_object();
  EXPECT_EQ(line.at("event"), "request");
  EXPECT_EQ(line.at("request_id"), "feedfacefeedface");
  EXPECT_EQ(line.at("method"), "GET");
  EXPECT_EQ(line.at("route"), "/api/v1/things/{id}");
  EXPECT_EQ(line.at("status"), 200);
  EXPECT_TRUE(line.at("duration_ms").is_number());
  EXPECT_EQ(line.at("bytes_out"), static_cast<int64_t>(response.body.size()));
  EXPECT_EQ(log_.find("420102199001011234"), std::string::npos);
  EXPECT_EQ(log_.find("E5%BC"), std::string::npos);
}

TEST_F(DispatcherTest, MetricsUseThePatternAndUnmatched) {
  Send(Method::kGet, "/api/v1/things/1");
  Send(Method::kGet, "/api/v1/things/2");
  Send(Method::kGet, "/secret/path/of/someone");
  Send(Method::kDelete, "/api/v1/things/2");
  std::string text = metrics_.RenderPrometheus();
  EXPECT_NE(text.find("gz_http_requests_total{route=\"/api/v1/things/{id}\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("gz_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("gz_http_requests_total{route=\"unmatched\",method=\"DELETE\",status=\"405\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(text.find("secret"), std::string::npos);
}

TEST_F(DispatcherTest, FallbackAnswersOnlyUnknownPathsForGetAndHead) {
  Route fallback;
  fallback.pattern = "/{web}";
  fallback.operation_id = "web.files";
  fallback.permission = "public";
  fallback.handler = [](Request& r) -> Result<Response> { return Response::Text(200, "app:" + r.path, "text/html"); };
  dispatcher_.set_fallback(std::move(fallback));
  Response page = Send(Method::kGet, "/appeals/12");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "app:/appeals/12");
  EXPECT_FALSE(page.Header("Content-Security-Policy").empty());
  EXPECT_NE(log_.find("\"route\":\"/{web}\""), std::string::npos);
  Response head = Send(Method::kHead, "/appeals/12");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  // A known route still wins, a known path with another method is still 405, other methods 404.
  EXPECT_EQ(Send(Method::kGet, "/healthz").body, "ok");
  EXPECT_EQ(Send(Method::kPut, "/api/v1/things/1").status, 405);
  EXPECT_EQ(Send(Method::kPost, "/appeals/12").status, 404);
}

}  // namespace
}  // namespace gz::http
