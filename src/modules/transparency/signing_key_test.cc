// The log's key file: created once (0600, Go signer-key format), reloaded unchanged, refused when
// readable by others or named for another origin than the one configured explicitly.
#include "modules/transparency/signing_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "storage/sqlite/testing.h"

namespace gz::transparency {
namespace {

TEST(SigningKey, CreatedOnceThenReloaded) {
  auto dir = storage::sqlite::TempDirForTest::Create();
  ASSERT_TRUE(dir.ok());
  std::filesystem::path path = DefaultSigningKeyPath(dir->path());
  bool created = false;
  Result<tlog::SignerKey> first = LoadOrCreateSigningKey(path, "gongzhi.example/420114", false, &created);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(created);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<tlog::SignerKey> again = LoadOrCreateSigningKey(path, "other.example/1", false, &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(again->public_key, first->public_key);
  EXPECT_EQ(again->name, "gongzhi.example/420114");  // the existing key's name is the origin
  EXPECT_EQ(LoadOrCreateSigningKey(path, "other.example/1", true).status().slug(), "tlog/key-file");
  std::string text;
  std::getline(std::ifstream(path) >> std::ws, text);
  EXPECT_TRUE(text.starts_with("#"));
  chmod(path.c_str(), 0644);
  EXPECT_EQ(LoadSigningKey(path).status().slug(), "tlog/key-file");
}

}  // namespace
}  // namespace gz::transparency
