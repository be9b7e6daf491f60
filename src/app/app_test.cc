// The composition root's promises: the OpenAPI document matches the router's table, every route
// declares a permission, every problem type has texts in both languages, and a fresh store
// migrates and reports ready.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "access/policy.h"
#include "app/application.h"
#include "app/messages.h"
#include "app/system_routes.h"

namespace gz::app {
namespace {

class ApplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("gongzhi-app-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Config config;
    config.data_dir = dir_.string();
    config.database_url = "sqlite://" + (dir_ / "gongzhi.db").string();
    auto app = Application::Open(config);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(*app);
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  http::Response Get(const std::string& path) {
    http::Request req;
    req.method = http::Method::kGet;
    req.method_text = "GET";
    req.target = path;
    req.path = path;
    req.request_id = "test";
    req.remote_addr = "127.0.0.1";
    return app_->Handle(req);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Application> app_;
};

TEST_F(ApplicationTest, OpenApiDocumentMatchesTheRouteTable) {
  auto doc = boost::json::parse(OpenApiDocument()).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      std::string m(method);
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(m + " " + std::string(path) + " " + std::string(op.at("operationId").as_string()) + " " +
                        std::string(op.at("x-permission").as_string()));
    }
  }
  std::set<std::string> routed;
  for (const auto& r : app_->router().routes())
    routed.insert(std::string(http::MethodName(r.method)) + " " + r.pattern + " " + r.operation_id + " " + r.permission);
  EXPECT_EQ(documented, routed) << "src/app/openapi.json and the router disagree";
}

TEST_F(ApplicationTest, EveryRouteDeclaresAPermissionAndAUniqueOperation) {
  std::set<std::string> ids;
  for (const auto& r : app_->router().routes()) {
    EXPECT_FALSE(r.permission.empty()) << r.pattern;
    EXPECT_FALSE(r.summary.empty()) << r.pattern;
    EXPECT_TRUE(ids.insert(r.operation_id).second) << "duplicate operation id " << r.operation_id;
  }
}

// The census of issue #3: a route whose permission is not in THE policy table could never be
// checked by the gate nor by the access matrix (the Decidim CVE-2026-40870 lesson).
TEST_F(ApplicationTest, EveryRoutePermissionIsInThePolicyTable) {
  ASSERT_FALSE(app_->router().routes().empty());
  for (const auto& r : app_->router().routes())
    EXPECT_NE(access::FindPermission(r.permission), nullptr)
        << http::MethodName(r.method) << " " << r.pattern << " names '" << r.permission
        << "', which src/access/policy_table.cc does not define";
}

TEST_F(ApplicationTest, EveryProblemHasBothLanguages) {
  for (std::string_view slug : Problems().Slugs()) {
    const ProblemText* t = Problems().Find(slug);
    ASSERT_NE(t, nullptr);
    EXPECT_FALSE(t->title_zh.empty()) << slug;
    EXPECT_FALSE(t->title_en.empty()) << slug;
    EXPECT_FALSE(t->detail_zh.empty()) << slug;
    EXPECT_FALSE(t->detail_en.empty()) << slug;
  }
  EXPECT_NE(Problems().Find("divisions/unknown-code"), nullptr);
  EXPECT_NE(Problems().Find("config/bad-value"), nullptr);
}

TEST_F(ApplicationTest, ReadyOnlyAfterMigration) {
  http::Response before = Get("/readyz");
  EXPECT_EQ(before.status, 503);
  EXPECT_NE(before.body.find("/problems/system/not-ready"), std::string::npos) << before.body;
  int applied = 0;
  ASSERT_TRUE(app_->Migrate(&applied).ok());
  EXPECT_EQ(applied, static_cast<int>(app_->migrations().size()));
  http::Response after = Get("/readyz");
  EXPECT_EQ(after.status, 200) << after.body;
  ASSERT_TRUE(app_->Migrate(&applied).ok());
  EXPECT_EQ(applied, 0);
}

TEST_F(ApplicationTest, MetricsAreForLoopbackCallersOnly) {
  EXPECT_EQ(Get("/healthz").status, 200);
  http::Response local = Get("/metrics");
  EXPECT_EQ(local.status, 200);
  EXPECT_NE(local.body.find("gz_http_requests_total"), std::string::npos);
  http::Request remote;
  remote.method = http::Method::kGet;
  remote.method_text = "GET";
  remote.target = remote.path = "/metrics";
  remote.request_id = "test";
  remote.remote_addr = "203.0.113.7";
  EXPECT_EQ(app_->Handle(remote).status, 403);
}

TEST_F(ApplicationTest, DescribesFailuresForPeopleInBothLanguages) {
  Status s = InvalidArgument("config/bad-value").With("key", "listen").With("reason", "expected address:port");
  EXPECT_EQ(DescribeForPerson(s, false), "Invalid setting: The value of listen is invalid: expected address:port");
  EXPECT_EQ(DescribeForPerson(s, true), "配置值无效：配置项 listen 的值无效：expected address:port");
}

// The web app through the whole dispatcher: its pages and files with the security headers and the
// request log, while the API's unknown paths stay problems; a named --web-root must exist.
TEST(ApplicationWebApp, ServesTheAppBesideTheApi) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("gongzhi-app-web-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "web" / "assets");
  { std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>app</title>"; }
  { std::ofstream(dir / "web" / "assets" / "a-1.js") << "1"; }
  Config config;
  config.data_dir = (dir / "data").string();
  config.database_url = "sqlite://" + (dir / "data" / "gongzhi.db").string();
  config.web_root = (dir / "web").string();
  config.web_root_required = true;
  {
    auto app = Application::Open(config);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    auto get = [&](const std::string& path) {
      http::Request req;
      req.method = http::Method::kGet;
      req.method_text = "GET";
      req.target = req.path = path;
      req.request_id = "test";
      req.remote_addr = "127.0.0.1";
      return (*app)->Handle(req);
    };
    http::Response page = get("/appeals/7");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "<!doctype html><title>app</title>");
    EXPECT_NE(page.Header("Content-Security-Policy").find("script-src 'self'"), std::string_view::npos);
    EXPECT_EQ(page.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(get("/assets/a-1.js").Header("Cache-Control"), "public, max-age=31536000, immutable");
    http::Response api = get("/api/v1/nothing-here");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(api.Header("Content-Type"), "application/problem+json; charset=utf-8");
    EXPECT_EQ(get("/healthz").status, 200);
  }
  config.web_root = (dir / "missing").string();
  EXPECT_EQ(Application::Open(config).status().slug(), "app/web-root");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gz::app
