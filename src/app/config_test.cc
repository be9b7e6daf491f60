#include "app/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "core/log.h"

namespace gz::app {
namespace {

std::map<std::string, std::string>* g_env = nullptr;

std::optional<std::string> FakeEnv(const char* name) {
  if (!g_env) return std::nullopt;
  auto it = g_env->find(name);
  if (it == g_env->end()) return std::nullopt;
  return it->second;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { g_env = &env_; }
  void TearDown() override { g_env = nullptr; }
  std::string WriteFile(const std::string& text) {
    // One file per test and process: ctest runs the cases of this binary in parallel processes,
    // and a shared name let one case read another's file.
    std::string path = ::testing::TempDir() + "gongzhi-config-" +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + std::to_string(getpid()) + ".conf";
    std::ofstream(path) << text;
    return path;
  }
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, DefaultsWhenNothingIsGiven) {
  auto values = LoadConfig({}, &FakeEnv);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  auto config = ToConfig(*values);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen_address, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->data_dir, "var");
  EXPECT_TRUE(config->database_url.starts_with("sqlite:///")) << config->database_url;
  EXPECT_TRUE(config->database_url.ends_with("/var/gongzhi.db")) << config->database_url;
  EXPECT_FALSE(config->demo);
  EXPECT_EQ(values->SourceOf("listen"), Source::kDefault);
}

TEST_F(ConfigTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  std::string path = WriteFile(
      "# a comment\n"
      "listen = \"127.0.0.1:7001\"\n"
      "data_dir = /srv/from-file   # trailing comment\n"
      "threads = 3\n"
      "log_level = warn\n");
  env_["GONGZHI_CONFIG"] = path;
  env_["GONGZHI_DATA_DIR"] = "/srv/from-env";
  env_["GONGZHI_THREADS"] = "5";
  auto values = LoadConfig({{"threads", "7"}}, &FakeEnv);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  auto config = ToConfig(*values);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen_port, 7001);          // file only
  EXPECT_EQ(config->data_dir, "/srv/from-env");  // env beats file
  EXPECT_EQ(config->threads, 7);                 // flag beats env
  EXPECT_EQ(config->log_level, "warn");
  EXPECT_EQ(config->database_url, "sqlite:///srv/from-env/gongzhi.db");
  EXPECT_EQ(values->SourceOf("listen"), Source::kFile);
  EXPECT_EQ(values->SourceOf("data_dir"), Source::kEnvironment);
  EXPECT_EQ(values->SourceOf("threads"), Source::kFlag);
}

TEST_F(ConfigTest, ConfigFlagBeatsConfigEnvironment) {
  std::string path = WriteFile("listen = 127.0.0.1:7002\n");
  env_["GONGZHI_CONFIG"] = "/nonexistent/gongzhi.conf";
  auto values = LoadConfig({{"config", path}}, &FakeEnv);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(values->Get("listen"), "127.0.0.1:7002");
}

TEST_F(ConfigTest, UnknownKeyInFileIsAnError) {
  std::string path = WriteFile("listne = 127.0.0.1:1\n");
  auto values = LoadConfig({{"config", path}}, &FakeEnv);
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.status().slug(), "config/unknown-key");
  EXPECT_EQ(values.status().Arg("key"), "listne");
}

TEST_F(ConfigTest, UnreadableFileIsAnError) {
  auto values = LoadConfig({{"config", "/nonexistent/gongzhi.conf"}}, &FakeEnv);
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.status().slug(), "config/unreadable-file");
}

TEST_F(ConfigTest, BadValuesNameTheKey) {
  for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"listen", "8080"}, {"listen", "127.0.0.1:99999"}, {"threads", "many"}, {"threads", "-1"},
           {"log_level", "loud"}, {"demo", "maybe"}, {"demo_county", "4201"}, {"idle_timeout", "0"},
           {"public_url", "gongzhi.example.cn"}, {"public_url", "https://gongzhi.example.cn/"},
           {"public_url", "https://gongzhi.example.cn/?x=\"><script>"}}) {
    auto values = LoadConfig({{key, value}}, &FakeEnv);
    ASSERT_TRUE(values.ok());
    auto config = ToConfig(*values);
    ASSERT_FALSE(config.ok()) << key << "=" << value;
    EXPECT_EQ(config.status().slug(), "config/bad-value");
    EXPECT_EQ(config.status().Arg("key"), key);
  }
}

TEST_F(ConfigTest, ParsesIpv6ListenAddress) {
  auto values = LoadConfig({{"listen", "[::1]:9000"}}, &FakeEnv);
  ASSERT_TRUE(values.ok());
  auto config = ToConfig(*values);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen_address, "::1");
  EXPECT_EQ(config->listen_port, 9000);
}

TEST_F(ConfigTest, MalformedFileLinesAreReported) {
  EXPECT_EQ(ParseConfigText("just words\n").status().slug(), "config/bad-file");
  EXPECT_EQ(ParseConfigText("listen = \"unclosed\n").status().slug(), "config/bad-file");
  EXPECT_EQ(ParseConfigText("\n\nlisten = \"a\" b\n").status().Arg("line"), "3");
}

TEST_F(ConfigTest, EffectiveConfigLogMasksSecrets) {
  auto values = LoadConfig({{"metrics_token", "tok-canary-4711"},
                            {"database", "postgresql://gz:pw-canary-4712@db.example/gongzhi"}},
                           &FakeEnv);
  ASSERT_TRUE(values.ok());
  std::string sink;
  log::CaptureForTest(&sink);
  LogEffectiveConfig(*values, "serve");
  log::CaptureForTest(nullptr);
  EXPECT_EQ(sink.find("canary"), std::string::npos) << sink;
  EXPECT_NE(sink.find("postgresql://gz:***@db.example/gongzhi (flag)"), std::string::npos) << sink;
  EXPECT_NE(sink.find("\"metrics_token\":\"*** (flag)\""), std::string::npos) << sink;
  EXPECT_NE(sink.find("\"listen\":\"127.0.0.1:8080 (default)\""), std::string::npos) << sink;
}

TEST_F(ConfigTest, AuditRetentionDefaultsToAYearAndRefusesLessThan180Days) {
  auto config = ToConfig(*LoadConfig({}, &FakeEnv));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->audit_retention_days, 365);
  env_["GONGZHI_AUDIT_RETENTION_DAYS"] = "180";
  config = ToConfig(*LoadConfig({}, &FakeEnv));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->audit_retention_days, 180);
  for (std::string bad : {"179", "0", "-1", "a year"}) {
    env_["GONGZHI_AUDIT_RETENTION_DAYS"] = bad;
    config = ToConfig(*LoadConfig({}, &FakeEnv));
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_EQ(config.status().slug(), "config/bad-value");
    EXPECT_EQ(config.status().Arg("key"), "audit_retention_days");
  }
}

}  // namespace
}  // namespace gz::app
