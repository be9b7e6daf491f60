// The public routes through the router: exact C2SP paths (one spelling per tile), content types,
// cache headers and the JSON shapes of the agreed interface.
#include "modules/transparency/api/tlog_routes.h"

#include <gtest/gtest.h>

#include "http/json.h"
#include "modules/transparency/sql/log_sql.h"
#include "storage/sqlite/testing.h"

namespace gz::transparency {
namespace {

class TlogRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(storage::sqlite::OpenTemporarySqliteForTest()).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, TransparencyMigrations(), clock_).ok());
    store_ = std::make_unique<SqlLogStore>(*db_);
    log_ = std::make_unique<TransparencyLog>(*store_, *tlog::GenerateSignerKey("gongzhi.example/420114"), clock_);
    RegisterTlogRoutes(router_, *log_);
    for (int i = 0; i < 260; ++i)
      ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
                       return AppendEntryInTx(tx, "420114001205", "e" + std::to_string(i)).status();
                     }).ok());
    ASSERT_TRUE(log_->SignPending().ok());
  }
  Result<http::Response> Get(const std::string& target) {
    http::Request req;
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    auto m = router_.Find(http::Method::kGet, req.path, &req.path_params);
    if (!m.route) return NotFound("no-route");
    return m.route->handler(req);
  }
  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<SqlLogStore> store_;
  std::unique_ptr<TransparencyLog> log_;
  http::Router router_;
};

TEST_F(TlogRoutesTest, TilesCheckpointAndKey) {
  Result<http::Response> cp = Get("/tlog/checkpoint");
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->body.substr(0, 27), "gongzhi.example/420114\n260\n");
  EXPECT_EQ(cp->Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Get("/tlog/verifier-key")->body, log_->verifier_key() + "\n");
  Result<http::Response> full = Get("/tlog/tile/0/000");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->body.size(), 8192u);
  EXPECT_EQ(full->Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/tlog/tile/0/001.p/4")->body.size(), 128u);
  EXPECT_EQ(Get("/tlog/tile/1/000.p/1")->body.size(), 32u);
  EXPECT_EQ(Get("/tlog/tile/entries/001.p/4")->body, std::string("\x00\x04" "e256\x00\x04" "e257\x00\x04" "e258\x00\x04" "e259", 24));
  for (const char* missing : {"/tlog/tile/0/001.p/5", "/tlog/tile/0/002", "/tlog/tile/0/01", "/tlog/tile/0/x000/000",
                              "/tlog/tile/2/000.p/1", "/tlog/tile/entries/001"})
    EXPECT_EQ(Get(missing).status().slug(), "tlog/tile-not-found") << missing;
}

TEST_F(TlogRoutesTest, JsonProofs) {
  Result<http::Response> inc = Get("/api/v1/tlog/inclusion?index=5");
  ASSERT_TRUE(inc.ok());
  auto o = http::ParseJson(inc->body)->as_object();
  EXPECT_EQ(o["index"].as_string(), "5");
  EXPECT_EQ(o["tree_size"].as_string(), "260");
  EXPECT_TRUE(o["checkpoint"].is_string());
  EXPECT_EQ(o["proof"].as_array().size(), 9u);
  auto c = http::ParseJson(Get("/api/v1/tlog/consistency?from=0&to=260")->body)->as_object();
  EXPECT_EQ(c["proof"].as_array().size(), 0u);
  auto e = http::ParseJson(Get("/api/v1/tlog/entries/3")->body)->as_object();
  EXPECT_EQ(e["entry"].as_string(), "ZTM=");
  EXPECT_EQ(e["village"].as_string(), "420114001205");
  EXPECT_EQ(Get("/api/v1/tlog/inclusion?index=260").status().slug(), "tlog/not-included-yet");
  EXPECT_EQ(Get("/api/v1/tlog/inclusion?index=x").status().slug(), "tlog/bad-range");
  EXPECT_EQ(Get("/api/v1/tlog/consistency?from=5&to=3").status().slug(), "tlog/bad-range");
  EXPECT_EQ(Get("/api/v1/tlog/entries/999").status().slug(), "tlog/not-included-yet");
}

}  // namespace
}  // namespace gz::transparency
