#include "app/web_assets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace gz::app {
namespace {

namespace fs = std::filesystem;

class WebAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gz_web_assets_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "dist" / "assets");
    Write("dist/index.html", "<!doctype html><html lang=\"zh-CN\"></html>");
    Write("dist/assets/app-3f2a1b.js", "console.log(1)");
    Write("dist/assets/app-3f2a1b.js.gz", "GZIPPED");
    Write("dist/assets/app-3f2a1b.js.br", "BROTLI");
    Write("dist/assets/app-9c8d.css", "body{}");
    Write("dist/sw.js", "self.addEventListener('fetch',()=>{})");
    Write("secret.txt", "outside the root");
    fs::create_symlink(root_ / "secret.txt", root_ / "dist" / "link.txt");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& bytes) {
    std::ofstream(root_ / rel, std::ios::binary) << bytes;
  }
  WebAssets Load(WebAssetLimits limits = {}) {
    Result<WebAssets> a = WebAssets::Load((root_ / "dist").string(), limits);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return std::move(*a);
  }
  fs::path root_;
};

TEST_F(WebAssetsTest, HashedAssetsAreImmutableAndTheIndexIsRevalidated) {
  WebAssets web = Load();
  std::optional<http::Response> js = web.Serve("/assets/app-3f2a1b.js", "", "");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->Header("Cache-Control"), "public, max-age=31536000, immutable");
  std::optional<http::Response> index = web.Serve("/", "", "");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->Header("Cache-Control"), "no-cache");
  EXPECT_EQ(web.Serve("/sw.js", "", "")->Header("Cache-Control"), "no-cache");
  EXPECT_EQ(web.Serve("/assets/app-9c8d.css", "", "")->Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(WebAssetsTest, PrecompressedFilesWhenAccepted) {
  WebAssets web = Load();
  std::optional<http::Response> br = web.Serve("/assets/app-3f2a1b.js", "gzip, deflate, br", "");
  EXPECT_EQ(br->body, "BROTLI");
  EXPECT_EQ(br->Header("Content-Encoding"), "br");
  EXPECT_EQ(br->Header("Vary"), "Accept-Encoding");
  std::optional<http::Response> gz = web.Serve("/assets/app-3f2a1b.js", "gzip, br;q=0", "");
  EXPECT_EQ(gz->body, "GZIPPED");
  EXPECT_EQ(gz->Header("Content-Encoding"), "gzip");
  std::optional<http::Response> plain = web.Serve("/assets/app-3f2a1b.js", "identity", "");
  EXPECT_EQ(plain->body, "console.log(1)");
  EXPECT_TRUE(plain->Header("Content-Encoding").empty());
  EXPECT_NE(br->Header("ETag"), plain->Header("ETag"));
  // The compressed siblings are not files of their own.
  EXPECT_FALSE(web.Serve("/assets/app-3f2a1b.js.gz", "", ""));
  // A file without a compressed sibling is sent as it is.
  EXPECT_EQ(web.Serve("/assets/app-9c8d.css", "br", "")->body, "body{}");
}

TEST_F(WebAssetsTest, ConditionalRequestsGet304) {
  WebAssets web = Load();
  std::string etag(web.Serve("/", "", "")->Header("ETag"));
  ASSERT_FALSE(etag.empty());
  std::optional<http::Response> again = web.Serve("/", "", "\"other\", " + etag);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(web.Serve("/", "", "\"other\"")->status, 200);
}

TEST_F(WebAssetsTest, ClientRoutesGetTheIndexButServerPathsAndMissingFilesDoNot) {
  WebAssets web = Load();
  EXPECT_EQ(web.Serve("/appeals/12", "", "")->body, "<!doctype html><html lang=\"zh-CN\"></html>");
  EXPECT_EQ(web.Serve("/staff/queue", "", "")->Header("Cache-Control"), "no-cache");
  for (const char* path : {"/api", "/api/v1/nothing", "/open311/v2/services.json", "/tlog/checkpoint", "/metrics",
                           "/healthz", "/readyz", "/.well-known/x", "/assets/gone-1234.js", "/favicon.ico",
                           "/assets/new-route"})
    EXPECT_FALSE(web.Serve(path, "", "")) << path;
  EXPECT_FALSE(WebAssets::IsServerPath("/apis-of-the-village"));
  EXPECT_TRUE(WebAssets::IsServerPath("/api.json"));
}

TEST_F(WebAssetsTest, NothingOutsideTheRootIsReachable) {
  WebAssets web = Load();
  EXPECT_FALSE(web.Serve("/link.txt", "", ""));  // a symbolic link is skipped, not followed
  EXPECT_FALSE(web.Serve("/../secret.txt", "", ""));
  EXPECT_FALSE(web.Serve("/assets/../../secret.txt", "", ""));
  EXPECT_EQ(web.file_count(), 4u);  // index, js, css, sw
  // A file written after start is not served: only what Load() read exists.
  Write("dist/later.txt", "x");
  EXPECT_FALSE(web.Serve("/later.txt", "", ""));
}

TEST_F(WebAssetsTest, LimitsAndAMissingIndexRefuseToLoad) {
  WebAssetLimits small;
  small.max_file_bytes = 10;
  EXPECT_EQ(WebAssets::Load((root_ / "dist").string(), small).status().slug(), "app/web-root");
  WebAssetLimits few;
  few.max_files = 2;
  EXPECT_EQ(WebAssets::Load((root_ / "dist").string(), few).status().slug(), "app/web-root");
  fs::remove(root_ / "dist" / "index.html");
  EXPECT_EQ(WebAssets::Load((root_ / "dist").string()).status().slug(), "app/web-root");
  EXPECT_EQ(WebAssets::Load((root_ / "nowhere").string()).status().slug(), "app/web-root");
  std::string long_path = "/" + std::string(600, 'a');
  WebAssets web = [&] {
    Write("dist/index.html", "<!doctype html>");
    return Load();
  }();
  EXPECT_FALSE(web.Serve(long_path, "", ""));
}

TEST(AcceptEncoding, QValuesAndStar) {
  EXPECT_TRUE(ParseAcceptEncoding("br").br);
  EXPECT_FALSE(ParseAcceptEncoding("br;q=0").br);
  EXPECT_FALSE(ParseAcceptEncoding("br; q=0.000").br);
  EXPECT_TRUE(ParseAcceptEncoding("br;q=0.5").br);
  EXPECT_TRUE(ParseAcceptEncoding("GZIP").gzip);
  EXPECT_TRUE(ParseAcceptEncoding("*").gzip);
  EXPECT_FALSE(ParseAcceptEncoding("*, gzip;q=0").gzip);
  EXPECT_TRUE(ParseAcceptEncoding("*, gzip;q=0").br);
  EXPECT_FALSE(ParseAcceptEncoding("").br);
  EXPECT_FALSE(ParseAcceptEncoding(",,;;q=").gzip);
}

}  // namespace
}  // namespace gz::app
