// Tests of the division routes through the router and the dispatcher (no network), on a real
// SQLite store holding the mini-dist fixture.
#include "modules/divisions/api/division_routes.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "http/dispatcher.h"
#include "modules/divisions/problems.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "modules/divisions/testing/division_fixtures.h"
#include "storage/migrate.h"
#include "storage/sqlite/testing.h"

namespace gz::divisions {
namespace {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;

class DivisionRoutesTest : public ::testing::Test {
 protected:
  // One store for the suite: the routes only read.
  static void SetUpTestSuite() {
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value().release();
    FakeClock clock;
    ASSERT_TRUE(storage::ApplyMigrations(*db_, DivisionMigrations(), clock).ok());
    store_ = new SqlDivisionStore(*db_);
    ASSERT_TRUE(store_->Upsert(MiniDistDivisions()).ok());
  }
  static void TearDownTestSuite() {
    delete store_;
    delete db_;
  }

  DivisionRoutesTest() : service_(*store_), dispatcher_(router_, catalog_, metrics_) {
    catalog_.Add(kProblems);
    RegisterDivisionRoutes(router_, service_);
  }

  Response Get(std::string path, std::string query = "") {
    Request r;
    r.method = Method::kGet;
    r.method_text = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    r.target = r.path + (r.query.empty() ? "" : "?" + r.query);
    r.request_id = "0123456789abcdef";
    r.headers = {{"accept-language", "en"}};
    log::CaptureForTest(&access_log_);  // keep the test output readable
    Response response = dispatcher_.Handle(r);
    log::CaptureForTest(nullptr);
    return response;
  }

  static json::object Body(const Response& r) { return json::parse(r.body).as_object(); }

  // The problem's type, after checking the status and that its detail names `arg_value`.
  static std::string ProblemType(const Response& r, int status, std::string_view arg_value = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json; charset=utf-8");
    json::object body = Body(r);
    if (!arg_value.empty()) {
      EXPECT_NE(std::string(body.at("detail").as_string()).find(arg_value), std::string::npos) << r.body;
    }
    return std::string(body.at("type").as_string());
  }

  static storage::Db* db_;
  static SqlDivisionStore* store_;
  DivisionService service_;
  http::Router router_;
  http::ProblemCatalog catalog_;
  http::Metrics metrics_;
  http::Dispatcher dispatcher_;
  std::string access_log_;
};

storage::Db* DivisionRoutesTest::db_ = nullptr;
SqlDivisionStore* DivisionRoutesTest::store_ = nullptr;

TEST_F(DivisionRoutesTest, EveryRouteIsPublicWithOperationIdAndSummary) {
  std::vector<std::string> ids;
  for (const http::Route& route : router_.routes()) {
    // Reads are GETs; the one POST is the batch lookup, which takes a JSON body.
    bool lookup = route.operation_id == "divisions.lookup";
    EXPECT_EQ(route.method, lookup ? Method::kPost : Method::kGet) << route.operation_id;
    EXPECT_EQ(route.permission, "public");
    EXPECT_FALSE(route.summary.empty());
    EXPECT_EQ(route.json_body, lookup) << route.operation_id;
    ids.push_back(route.operation_id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"divisions.roots", "divisions.get", "divisions.children",
                                           "divisions.lookup"}));
}

TEST_F(DivisionRoutesTest, GetVillageWithAncestors) {
  Response r = Get("/api/v1/divisions/420114001001");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=300");
  EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
  json::object b = Body(r);
  EXPECT_EQ(b.at("code"), "420114001001");
  EXPECT_EQ(b.at("native_code"), "420114001001");
  EXPECT_EQ(b.at("name"), "正街居委会");
  EXPECT_EQ(b.at("short_name"), "正街");
  EXPECT_EQ(b.at("level"), "village");
  EXPECT_EQ(b.at("parent_code"), "420114001000");
  const json::array& ancestors = b.at("ancestors").as_array();
  ASSERT_EQ(ancestors.size(), 4u);
  EXPECT_EQ(ancestors[0].at("name"), "湖北省");
  EXPECT_EQ(ancestors[0].at("level"), "province");
  EXPECT_EQ(ancestors[0].at("code"), "420000000000");
  EXPECT_EQ(ancestors[3].at("native_code"), "420114001");
  EXPECT_EQ(ancestors[3].at("level"), "township");
}

TEST_F(DivisionRoutesTest, NativeAndPaddedCodesNameTheSameDivision) {
  Response native = Get("/api/v1/divisions/420114");
  Response padded = Get("/api/v1/divisions/420114000000");
  ASSERT_EQ(native.status, 200);
  EXPECT_EQ(native.body, padded.body);
  json::object b = Body(native);
  EXPECT_EQ(b.at("level"), "county");
  EXPECT_EQ(b.at("native_code"), "420114");
}

TEST_F(DivisionRoutesTest, ProvinceHasNullParentAndNoAncestors) {
  json::object b = Body(Get("/api/v1/divisions/42"));
  EXPECT_TRUE(b.at("parent_code").is_null());
  EXPECT_TRUE(b.at("ancestors").as_array().empty());
}

TEST_F(DivisionRoutesTest, BadCodeIs400NamingTheReason) {
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/4201x4"), 400, "not-digits"), "/problems/divisions/bad-code");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/42011"), 400, "bad-length"), "/problems/divisions/bad-code");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/4201140010011"), 400, "bad-length"),
            "/problems/divisions/bad-code");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/００"), 400, "not-digits"), "/problems/divisions/bad-code");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/00/children"), 400, "zero-province"),
            "/problems/divisions/bad-code");
}

TEST_F(DivisionRoutesTest, UnknownCodeIs404) {
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420115"), 404, "420115000000"), "/problems/divisions/unknown-code");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420115/children"), 404), "/problems/divisions/unknown-code");
}

TEST_F(DivisionRoutesTest, ChildrenWithDefaultPage) {
  Response r = Get("/api/v1/divisions/420114/children");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=300");
  json::object b = Body(r);
  EXPECT_EQ(b.at("parent").at("name"), "蔡甸区");
  EXPECT_EQ(b.at("parent").at("parent_code"), "420100000000");
  EXPECT_EQ(b.at("total"), 17);
  EXPECT_EQ(b.at("limit"), 500);
  EXPECT_EQ(b.at("offset"), 0);
  const json::array& items = b.at("items").as_array();
  ASSERT_EQ(items.size(), 17u);
  EXPECT_EQ(items[0].at("code"), "420114001000");
  EXPECT_EQ(items[0].at("level"), "township");
  EXPECT_EQ(items[0].as_object().count("parent_code"), 0u);  // summaries leave it out
}

TEST_F(DivisionRoutesTest, ChildrenPaged) {
  json::object b = Body(Get("/api/v1/divisions/420114001/children", "limit=10&offset=30"));
  EXPECT_EQ(b.at("total"), 35);
  EXPECT_EQ(b.at("limit"), 10);
  EXPECT_EQ(b.at("offset"), 30);
  EXPECT_EQ(b.at("items").as_array().size(), 5u);
}

TEST_F(DivisionRoutesTest, BadPagingIs400NamingTheParameter) {
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420114/children", "limit=0"), 400, "limit"),
            "/problems/divisions/bad-paging");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420114/children", "limit=1001"), 400, "1000"),
            "/problems/divisions/bad-paging");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420114/children", "limit=abc"), 400, "not-a-number"),
            "/problems/divisions/bad-paging");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420114/children", "offset=-1"), 400, "offset"),
            "/problems/divisions/bad-paging");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions/420114/children", "limit="), 400, "empty"),
            "/problems/divisions/bad-paging");
  EXPECT_EQ(ProblemType(Get("/api/v1/divisions", "limit=5000"), 400), "/problems/divisions/bad-paging");
}

TEST_F(DivisionRoutesTest, VillageHasAnEmptyChildList) {
  Response r = Get("/api/v1/divisions/420114001001/children");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("total"), 0);
}

TEST_F(DivisionRoutesTest, RootsAreTheProvinces) {
  Response r = Get("/api/v1/divisions");
  ASSERT_EQ(r.status, 200) << r.body;
  json::object b = Body(r);
  EXPECT_TRUE(b.at("parent").is_null());
  EXPECT_EQ(b.at("total"), 3);
  std::vector<std::string> names;
  for (const json::value& v : b.at("items").as_array()) names.emplace_back(v.at("name").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"福建省", "湖北省", "广东省"}));
}

TEST_F(DivisionRoutesTest, CityWithoutCountiesListsItsTowns) {
  json::object b = Body(Get("/api/v1/divisions/441900/children"));  // GB/T 2260 form of 东莞
  EXPECT_EQ(b.at("parent").at("native_code"), "4419");
  EXPECT_EQ(b.at("total"), 2);
}

TEST_F(DivisionRoutesTest, HandlerCanBeCalledThroughTheRouterAlone) {
  Request r;
  r.method = Method::kGet;
  r.path = "/api/v1/divisions/4201/children";
  http::Router::Match m = router_.Find(r.method, r.path, &r.path_params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->operation_id, "divisions.children");
  Result<Response> response = m.route->handler(r);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(Body(*response).at("total"), 1);

  r.path = "/api/v1/divisions/4201x";
  m = router_.Find(r.method, r.path, &r.path_params);
  ASSERT_NE(m.route, nullptr);
  Result<Response> bad = m.route->handler(r);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().slug(), problems::kBadCode);
  EXPECT_EQ(bad.status().Arg("reason"), "not-digits");
}

// With a cache, a second read is served from it (the store is not asked again: a rename in
// the store shows only after Clear() or the TTL), and both code forms share one entry.
TEST(DivisionRoutesCacheTest, ServesFromTheCacheUntilCleared) {
  auto db = storage::sqlite::OpenTemporarySqliteForTest();
  ASSERT_TRUE(db.ok());
  FakeClock clock;
  ASSERT_TRUE(storage::ApplyMigrations(**db, DivisionMigrations(), clock).ok());
  SqlDivisionStore store(**db);
  ASSERT_TRUE(store.Upsert(MiniDistDivisions()).ok());
  DivisionService service(store);
  http::ResponseCache cache(clock, std::chrono::seconds(60), 1 << 20);
  http::Router router;
  RegisterDivisionRoutes(router, service, &cache);
  auto get = [&](std::string path) {
    Request r;
    r.method = Method::kGet;
    r.path = std::move(path);
    http::Router::Match m = router.Find(r.method, r.path, &r.path_params);
    Result<Response> res = m.route->handler(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->body : std::string();
  };
  std::string first = get("/api/v1/divisions/4201/children");
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(get("/api/v1/divisions/420100000000/children"), first);
  EXPECT_EQ(cache.entries(), 1u);

  std::optional<Division> renamed;
  for (const Division& d : MiniDistDivisions())
    if (d.code.level() == Level::kCounty && d.code.canonical().starts_with("4201")) renamed = d;
  ASSERT_TRUE(renamed.has_value());
  renamed->name = "改名后";
  ASSERT_TRUE(store.Upsert(std::vector<Division>{*renamed}).ok());
  EXPECT_EQ(get("/api/v1/divisions/4201/children"), first);  // still the cached answer
  cache.Clear();
  EXPECT_NE(get("/api/v1/divisions/4201/children"), first);
  clock.Advance(std::chrono::seconds(61));
  EXPECT_NE(get("/api/v1/divisions/4201/children").find("改名后"), std::string::npos);
}

// Every problem the module declares has both languages, and each placeholder in a detail is an
// argument the code supplies.
TEST(DivisionProblemsTest, EveryProblemHasBothLanguagesAndKnownPlaceholders) {
  const std::map<std::string_view, std::vector<std::string_view>> args = {
      {problems::kBadCode, {"code", "reason"}},
      {problems::kUnknownCode, {"code"}},
      {problems::kBadPaging, {"param", "reason", "min", "max"}},
      {problems::kWrongLevel, {"code", "expected", "actual"}},
      {problems::kBadSource, {"file", "reason", "column"}},
      {problems::kBadLookup, {"reason", "max"}},
  };
  EXPECT_EQ(std::size(kProblems), args.size());
  for (const ProblemText& p : kProblems) {
    ASSERT_TRUE(args.contains(p.slug)) << p.slug;
    EXPECT_TRUE(p.slug.starts_with("divisions/"));
    for (std::string_view text : {p.title_zh, p.detail_zh, p.title_en, p.detail_en}) EXPECT_FALSE(text.empty()) << p.slug;
    for (std::string_view detail : {p.detail_zh, p.detail_en}) {
      for (size_t at = detail.find('{'); at != std::string_view::npos; at = detail.find('{', at + 1)) {
        std::string_view name = detail.substr(at + 1, detail.find('}', at) - at - 1);
        const auto& allowed = args.at(p.slug);
        EXPECT_NE(std::find(allowed.begin(), allowed.end(), name), allowed.end()) << p.slug << ": {" << name << "}";
      }
    }
  }
}

}  // namespace
}  // namespace gz::divisions
