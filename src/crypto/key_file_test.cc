#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "crypto/field_cipher.h"
#include "crypto/problems.h"

namespace gz::crypto {
namespace {

namespace fs = std::filesystem;

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gz_keyfile_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static mode_t ModeOf(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  void WriteText(const fs::path& p, const std::string& text, mode_t mode = 0600) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    ASSERT_EQ(::chmod(p.c_str(), mode), 0);
  }
  static std::string ReadText(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
};

TEST_F(KeyFileTest, CreatedWith0600InA0700FolderAndReloadedToTheSameKeys) {
  const fs::path path = DefaultKeyFilePath(dir_ / "data");
  EXPECT_EQ(path, dir_ / "data" / "keys" / "field.key");
  bool created = false;
  auto first = LoadOrCreateKeyFile(path, &created);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(path.parent_path()), 0700u);
  EXPECT_EQ(first->active_id(), 1);
  EXPECT_EQ(first->index_id(), 1);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp-" + std::to_string(::getpid())));

  auto second = LoadOrCreateKeyFile(path, &created);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(created);
  ASSERT_NE(second->Find(1), nullptr);
  EXPECT_TRUE(std::equal(first->Find(1)->data(), first->Find(1)->data() + SecretKey::kSize, second->Find(1)->data()));

  // What one process sealed, the next one (same file) opens.
  auto c1 = FieldCipher::Create(*first);
  auto c2 = FieldCipher::Create(*second);
  ASSERT_TRUE(c1.ok() && c2.ok());
  auto opened = c2->Open(c1->Seal("赵敏", "ad"), "ad");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "赵敏");
}

TEST_F(KeyFileTest, TwoFreshDirectoriesGetDifferentKeys) {
  auto a = LoadOrCreateKeyFile(dir_ / "a" / "field.key");
  auto b = LoadOrCreateKeyFile(dir_ / "b" / "field.key");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(std::equal(a->Find(1)->data(), a->Find(1)->data() + SecretKey::kSize, b->Find(1)->data()));
}

TEST_F(KeyFileTest, TooOpenPermissionsAreRefusedWithoutRevealingTheKey) {
  const fs::path path = dir_ / "keys" / "field.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(path).ok());
  const std::string text = ReadText(path);
  for (mode_t mode : {0644, 0640, 0604, 0660, 0606}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto loaded = LoadOrCreateKeyFile(path);
    ASSERT_FALSE(loaded.ok()) << std::oct << mode;
    EXPECT_EQ(loaded.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(loaded.status().slug(), problems::kKeyFilePermissions);
    EXPECT_EQ(loaded.status().Arg("path"), path.string());
    const std::string key_hex = text.substr(text.find("key 1 ") + 6, 64);
    EXPECT_EQ(loaded.status().ToString().find(key_hex), std::string::npos);
  }
  // Read-only for the owner is fine.
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(LoadKeyFile(path).ok());
  // The refused file was not replaced by a new key.
  EXPECT_EQ(ReadText(path), text);
}

TEST_F(KeyFileTest, NotARegularFileIsRefused) {
  const fs::path path = dir_ / "field.key";
  fs::create_directories(path);
  ASSERT_EQ(::chmod(path.c_str(), 0700), 0);
  auto loaded = LoadKeyFile(path);
  EXPECT_EQ(loaded.status().slug(), problems::kKeyFilePermissions);
}

TEST_F(KeyFileTest, MissingFileIsNotFoundForLoad) {
  auto loaded = LoadKeyFile(dir_ / "nope.key");
  EXPECT_EQ(loaded.status().code(), Code::kNotFound);
  EXPECT_EQ(loaded.status().slug(), problems::kKeyFileUnreadable);
}

TEST_F(KeyFileTest, MalformedFilesAreRefusedWithTheLine) {
  const std::string key = std::string(64, 'a');
  struct Case {
    std::string text;
    std::string line;
  };
  const Case cases[] = {
      {"", "1"},
      {"# only a comment\n", "2"},
      {"gz-field-keys 2\nkey 1 " + key + "\n", "1"},
      {"something else\n", "1"},
      {"gz-field-keys 1\n", "2"},                                  // no key
      {"gz-field-keys 1\nkey 0 " + key + "\n", "2"},               // id 0
      {"gz-field-keys 1\nkey 256 " + key + "\n", "2"},             // id too big
      {"gz-field-keys 1\nkey 1 " + key.substr(2) + "\n", "2"},     // short
      {"gz-field-keys 1\nkey 1 " + std::string(64, 'g') + "\n", "2"},  // not hex
      {"gz-field-keys 1\nkey 1 " + key + "\nkey 1 " + key + "\n", "3"},
      {"gz-field-keys 1\nkey 1 " + key + "\nactive 2\n", "3"},
      {"gz-field-keys 1\nkey 1 " + key + "\nindex 9\n", "3"},
      {"gz-field-keys 1\nkey 1 " + key + "\nactive 1\nactive 1\n", "4"},
      {"gz-field-keys 1\nkey 1 " + key + " extra\n", "2"},
      {"gz-field-keys 1\nsecret 1 " + key + "\n", "2"},
  };
  for (const Case& c : cases) {
    const fs::path path = dir_ / "bad.key";
    fs::remove(path);
    WriteText(path, c.text);
    auto loaded = LoadOrCreateKeyFile(path);
    ASSERT_FALSE(loaded.ok()) << c.text;
    EXPECT_EQ(loaded.status().slug(), problems::kKeyFileMalformed) << c.text;
    EXPECT_EQ(loaded.status().Arg("line"), c.line) << c.text;
    EXPECT_EQ(loaded.status().ToString().find(key), std::string::npos);
  }
}

TEST_F(KeyFileTest, HandWrittenRotationFileLoads) {
  const fs::path path = dir_ / "rot.key";
  WriteText(path,
            "# rotated 2026-11-28\r\n"
            "gz-field-keys 1\n\n"
            "key 1 " + std::string(64, '1') + "\n"
            "key 2\t" + std::string(64, 'B') + "\n"
            "active 2\n"
            "index 1\n");
  auto loaded = LoadKeyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->ids(), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(loaded->active_id(), 2);
  EXPECT_EQ(loaded->index_id(), 1);
  EXPECT_EQ(loaded->Find(2)->data()[0], 0xbb);
}

TEST_F(KeyFileTest, ExistingKeyFileIsNeverOverwritten) {
  const fs::path path = dir_ / "k" / "field.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(path).ok());
  const std::string before = ReadText(path);
  Status s = WriteNewKeyFile(path, KeyRing::Generate());
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(ReadText(path), before);
}

}  // namespace
}  // namespace gz::crypto
