#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

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

// Rotation ------------------------------------------------------------------------------------

bool SameKey(const SecretKey* a, const SecretKey* b) {
  return a && b && std::equal(a->data(), a->data() + SecretKey::kSize, b->data());
}

std::vector<std::string> FolderEntries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(KeyFileTest, AddingAKeyKeepsTheOldOnesAndOldDataStillOpens) {
  const fs::path path = DefaultKeyFilePath(dir_);
  auto before = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(before.ok());
  auto old_cipher = FieldCipher::Create(*before);
  ASSERT_TRUE(old_cipher.ok());
  const std::string old_field = old_cipher->Seal("赵敏", "ad");

  auto added = AddKeyToKeyFile(path);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 2);
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(FolderEntries(path.parent_path()), std::vector<std::string>{"field.key"});  // no temporary left

  auto after = LoadKeyFile(path);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->ids(), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(after->active_id(), 2);
  EXPECT_EQ(after->index_id(), 1);  // indexes stay valid without a re-index
  EXPECT_TRUE(SameKey(before->Find(1), after->Find(1)));
  EXPECT_FALSE(SameKey(after->Find(1), after->Find(2)));

  for (CipherSuite suite : {CipherSuite::kXChaCha20Poly1305, CipherSuite::kSm4CtrHmacSm3}) {
    auto cipher = FieldCipher::Create(*after, suite);
    ASSERT_TRUE(cipher.ok());
    auto opened = cipher->Open(old_field, "ad");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, "赵敏");
    EXPECT_TRUE(cipher->NeedsReseal(old_field));
    EXPECT_EQ(static_cast<uint8_t>(cipher->Seal("x", "ad")[1]), 2);
    EXPECT_EQ(cipher->BlindIndex("d", "v"), old_cipher->BlindIndex("d", "v"));
  }

  auto third = AddKeyToKeyFile(path);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 3);
  auto reloaded = LoadKeyFile(path);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->ids(), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_TRUE(SameKey(after->Find(2), reloaded->Find(2)));
}

TEST_F(KeyFileTest, TwoStepRotationAddsFirstAndActivatesLater) {
  const fs::path path = dir_ / "field.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(path).ok());
  auto added = AddKeyToKeyFile(path, /*make_active=*/false);
  ASSERT_TRUE(added.ok());
  auto staged = LoadKeyFile(path);
  ASSERT_TRUE(staged.ok());
  EXPECT_EQ(staged->ids(), (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(staged->active_id(), 1);

  ASSERT_TRUE(SetActiveKeyInKeyFile(path, 2).ok());
  auto active = LoadKeyFile(path);
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->active_id(), 2);
  EXPECT_TRUE(SameKey(staged->Find(2), active->Find(2)));

  const std::string text = ReadText(path);
  Status unknown = SetActiveKeyInKeyFile(path, 7);
  EXPECT_EQ(unknown.slug(), problems::kUnknownKey);
  EXPECT_EQ(unknown.Arg("key_id"), "7");
  EXPECT_EQ(ReadText(path), text);
}

TEST_F(KeyFileTest, RotationKeepsAReadOnlyMode) {
  const fs::path path = dir_ / "field.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  ASSERT_TRUE(AddKeyToKeyFile(path).ok());
  EXPECT_EQ(ModeOf(path), 0400u);
  EXPECT_TRUE(LoadKeyFile(path).ok());
}

TEST_F(KeyFileTest, RotationRunAsRootKeepsTheServersOwnership) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to hand the file to another user";
  const fs::path path = dir_ / "field.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(path).ok());
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  ASSERT_TRUE(AddKeyToKeyFile(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);
  EXPECT_EQ(st.st_gid, 65534u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(KeyFileTest, RotationRefusesWhatLoadingRefusesAndChangesNothing) {
  EXPECT_EQ(AddKeyToKeyFile(dir_ / "missing.key").status().code(), Code::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "missing.key"));

  const fs::path open_file = dir_ / "open.key";
  ASSERT_TRUE(LoadOrCreateKeyFile(open_file).ok());
  ASSERT_EQ(::chmod(open_file.c_str(), 0644), 0);
  const std::string text = ReadText(open_file);
  EXPECT_EQ(AddKeyToKeyFile(open_file).status().slug(), problems::kKeyFilePermissions);
  EXPECT_EQ(ReadText(open_file), text);

  const fs::path full = dir_ / "full.key";
  WriteText(full, "gz-field-keys 1\nkey 1 " + std::string(64, 'a') + "\nkey 255 " + std::string(64, 'b') + "\n");
  const std::string full_text = ReadText(full);
  auto exhausted = AddKeyToKeyFile(full);
  EXPECT_EQ(exhausted.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(exhausted.status().slug(), problems::kKeyIdsExhausted);
  EXPECT_EQ(ReadText(full), full_text);
  EXPECT_EQ(exhausted.status().ToString().find(std::string(64, 'b')), std::string::npos);
}

TEST_F(KeyFileTest, ConcurrentRotationsLoseNoKey) {
  const fs::path path = dir_ / "field.key";
  auto first = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(first.ok());
  constexpr int kThreads = 6, kEach = 4;
  std::vector<std::vector<uint8_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto id = AddKeyToKeyFile(path, i % 2 == 0);
        EXPECT_TRUE(id.ok()) << id.status().ToString();
        if (id.ok()) got[t].push_back(*id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<uint8_t> all{1};
  for (const auto& ids : got) all.insert(all.end(), ids.begin(), ids.end());
  std::sort(all.begin(), all.end());
  auto last = LoadKeyFile(path);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->ids(), all);  // every id handed out is in the file, none twice
  EXPECT_EQ(all.size(), 1u + kThreads * kEach);
  EXPECT_TRUE(SameKey(first->Find(1), last->Find(1)));
  EXPECT_EQ(FolderEntries(dir_), std::vector<std::string>{"field.key"});
}

}  // namespace
}  // namespace gz::crypto
