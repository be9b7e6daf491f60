// Keys shared by the nodes of one store (app/node_keys.h): two data folders, one PostgreSQL
// database, as two gongzhi nodes behind a load balancer.
#include "app/node_keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/application.h"
#include "app/messages.h"
#include "crypto/crypto.h"
#include "crypto/key_file.h"
#include "modules/transparency/signing_key.h"
#include "storage/postgres/testing.h"
#include "storage/store_facts.h"

namespace gz::app {
namespace {

namespace fs = std::filesystem;

class NodeKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("gongzhi-node-keys-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    auto cluster = storage::postgres::SharedTestCluster();
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = *cluster;
    auto name = cluster_->CreateDatabase();
    ASSERT_TRUE(name.ok()) << name.status().ToString();
    database_ = *name;
  }
  void TearDown() override {
    if (!database_.empty()) (void)cluster_->DropDatabase(database_);
    fs::remove_all(root_);
  }

  Config NodeConfig(const std::string& node) const {
    Config config;
    config.data_dir = (root_ / node).string();
    config.database_url = "postgresql://gongzhi@127.0.0.1:" + std::to_string(cluster_->port()) + "/" + database_;
    config.threads = 2;
    return config;
  }
  // Opens and migrates a node, as `gongzhi serve` does before serving.
  Status StartNode(const std::string& node) {
    auto app = Application::Open(NodeConfig(node));
    if (!app.ok()) return app.status();
    return (*app)->Migrate(nullptr);
  }
  fs::path Keys(const std::string& node) const { return root_ / node / "keys"; }
  void CopyKeys(const std::string& from, const std::string& to) const {
    fs::create_directories(root_ / to);
    fs::copy(Keys(from), Keys(to), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }

  fs::path root_;
  storage::postgres::TestCluster* cluster_ = nullptr;
  std::string database_;
};

TEST_F(NodeKeysTest, FirstNodeRecordsThePublicIdentityOfItsKeysOnly) {
  ASSERT_TRUE(StartNode("a").ok());
  auto opened = storage::postgres::OpenPostgres({.conninfo = cluster_->ConnInfo(database_), .pool_size = 1});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto facts = storage::ReadStoreFacts(**opened, "keys.");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->size(), 3u);  // the log's verifier key, the index key id, one field key
  EXPECT_EQ(facts->at("keys.field.index"), "1");
  EXPECT_EQ(facts->at("keys.field.key.1").size(), 32u);
  EXPECT_TRUE(facts->at("keys.tlog.verifier").starts_with("gongzhi.example/"));
  // Nothing secret: neither the field key's bytes nor the log's private key are in the store.
  auto ring = crypto::LoadKeyFile(crypto::DefaultKeyFilePath((root_ / "a").string()));
  ASSERT_TRUE(ring.ok());
  std::string key_hex;
  for (size_t i = 0; i < crypto::SecretKey::size(); ++i) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", ring->Find(1)->data()[i]);
    key_hex += b;
  }
  for (const auto& [name, value] : *facts) {
    EXPECT_EQ(value.find(key_hex), std::string::npos) << name;
    EXPECT_EQ(value.find("PRIVATE"), std::string::npos) << name;
  }
}

TEST_F(NodeKeysTest, SecondNodeWithoutKeysRefusesAndCreatesNone) {
  ASSERT_TRUE(StartNode("a").ok());
  Status s = StartNode("b");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition) << s.ToString();
  EXPECT_EQ(s.slug(), "app/keys-missing");
  EXPECT_EQ(s.Arg("path"), (root_ / "b").string());
  EXPECT_EQ(s.Arg("file"), "field.key");
  EXPECT_FALSE(fs::exists(Keys("b") / "field.key"));
  EXPECT_FALSE(fs::exists(Keys("b") / "tlog.key"));
  // The operator's message names the folder and what to copy.
  std::string text = DescribeForPerson(s, /*chinese=*/false);
  EXPECT_NE(text.find((root_ / "b").string()), std::string::npos) << text;
  EXPECT_NE(text.find("keys/"), std::string::npos) << text;

  // Only the log key missing is refused just the same.
  CopyKeys("a", "b");
  fs::remove(Keys("b") / "tlog.key");
  s = StartNode("b");
  EXPECT_EQ(s.slug(), "app/keys-missing") << s.ToString();
  EXPECT_EQ(s.Arg("file"), "tlog.key");
  EXPECT_FALSE(fs::exists(Keys("b") / "tlog.key"));
}

TEST_F(NodeKeysTest, SecondNodeWithItsOwnKeysRefuses) {
  ASSERT_TRUE(StartNode("a").ok());
  ASSERT_TRUE(crypto::Initialize().ok());
  // Node b made its keys elsewhere (another database, or started on its own first).
  fs::create_directories(Keys("b"));
  ASSERT_TRUE(crypto::LoadOrCreateKeyFile(crypto::DefaultKeyFilePath((root_ / "b").string())).ok());
  ASSERT_TRUE(fs::copy_file(Keys("a") / "tlog.key", Keys("b") / "tlog.key"));
  Status s = StartNode("b");
  EXPECT_EQ(s.slug(), "app/keys-mismatch") << s.ToString();
  EXPECT_EQ(s.Arg("path"), (root_ / "b").string());
  EXPECT_NE(s.Arg("detail").find("key 1 of keys/field.key"), std::string::npos) << s.Arg("detail");

  // The same field keys but another log key.
  fs::remove_all(Keys("b"));
  fs::create_directories(Keys("b"));
  ASSERT_TRUE(fs::copy_file(Keys("a") / "field.key", Keys("b") / "field.key"));
  ASSERT_TRUE(transparency::LoadOrCreateSigningKey(transparency::DefaultSigningKeyPath((root_ / "b").string()),
                                                   "gongzhi.example/other", false)
                  .ok());
  s = StartNode("b");
  EXPECT_EQ(s.slug(), "app/keys-mismatch") << s.ToString();
  EXPECT_NE(s.Arg("detail").find("tlog.key"), std::string::npos) << s.Arg("detail");
}

TEST_F(NodeKeysTest, SecondNodeWithCopiedKeysStartsAndRotationIsRecorded) {
  ASSERT_TRUE(StartNode("a").ok());
  CopyKeys("a", "b");
  Status s = StartNode("b");
  ASSERT_TRUE(s.ok()) << s.ToString();
  // Rotation: a new key added on one node is recorded; a node that lacks it is refused.
  ASSERT_TRUE(crypto::Initialize().ok());
  auto added = crypto::AddKeyToKeyFile(crypto::DefaultKeyFilePath((root_ / "a").string()), /*make_active=*/false);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_TRUE(StartNode("a").ok());
  s = StartNode("b");
  EXPECT_EQ(s.slug(), "app/keys-mismatch") << s.ToString();
  EXPECT_NE(s.Arg("detail").find("has no key 2"), std::string::npos) << s.Arg("detail");
  CopyKeys("a", "b");
  EXPECT_TRUE(StartNode("b").ok());
}

}  // namespace
}  // namespace gz::app
