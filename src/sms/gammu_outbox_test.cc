#include "sms/gammu_outbox.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace gz::sms {
namespace {

namespace fs = std::filesystem;

class GammuOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gz-sms-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<fs::path> Files() {
    std::vector<fs::path> v;
    if (!fs::exists(dir_)) return v;
    for (const auto& e : fs::directory_iterator(dir_)) v.push_back(e.path());
    return v;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
};

TEST_F(GammuOutboxTest, WritesOneUnicodeFileGammuCanRead) {
  GammuOutbox outbox(dir_.string());
  ASSERT_TRUE(outbox.Send({42, "15400000001", "验证码 123456"}).ok());
  std::vector<fs::path> files = Files();
  ASSERT_EQ(files.size(), 1u);
  const std::string name = files[0].filename().string();
  EXPECT_TRUE(name.starts_with("OUTA")) << name;
  EXPECT_TRUE(name.ends_with("_00_15400000001_gz42.txt")) << name;
  // BOM, then UTF-16LE: 验 = U+9A8C, 证 = U+8BC1.
  const std::string bytes = Read(files[0]);
  ASSERT_GE(bytes.size(), 6u);
  EXPECT_EQ(bytes.substr(0, 6), std::string("\xFF\xFE\x8C\x9A\xC1\x8B", 6));
  EXPECT_EQ(bytes.size(), 2u + 2u * 10u);  // 10 UTF-16 units: 验证码, space, six digits
  EXPECT_EQ(fs::status(dir_).permissions() & fs::perms::others_all, fs::perms::none);
}

TEST_F(GammuOutboxTest, ResendingTheSameIdQueuesItOnce) {
  GammuOutbox outbox(dir_.string());
  ASSERT_TRUE(outbox.Send({7, "15400000001", "a"}).ok());
  ASSERT_TRUE(outbox.Send({7, "15400000001", "a"}).ok());
  ASSERT_TRUE(outbox.Send({8, "15400000001", "b"}).ok());
  EXPECT_EQ(Files().size(), 2u);
}

TEST_F(GammuOutboxTest, RefusesWhatItCannotSendFaithfully) {
  GammuOutbox outbox(dir_.string());
  const auto reason = [&](const SmsMessage& m) {
    Status s = outbox.Send(m);
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    return s.ToString();
  };
  EXPECT_NE(reason({1, "1540000000", "x"}).find("phone"), std::string::npos);
  EXPECT_NE(reason({1, "25400000001", "x"}).find("phone"), std::string::npos);
  EXPECT_NE(reason({1, "1540000000a", "x"}).find("phone"), std::string::npos);
  EXPECT_NE(reason({1, "15400000001", ""}).find("empty"), std::string::npos);
  EXPECT_NE(reason({1, "15400000001", std::string("\xC0\xAF", 2)}).find("not-utf8"), std::string::npos);
  EXPECT_NE(reason({1, "15400000001", std::string("\xED\xA0\x80", 3)}).find("not-utf8"), std::string::npos);
  std::string long_text;
  for (size_t i = 0; i <= kMaxTextChars; ++i) long_text += "字";
  EXPECT_NE(reason({1, "15400000001", long_text}).find("too-long"), std::string::npos);
  EXPECT_NE(reason({0, "15400000001", "x"}).find("id"), std::string::npos);
  EXPECT_TRUE(Files().empty());
}

TEST(Utf16Test, EncodesBeyondTheBasicPlaneAsSurrogatePairs) {
  std::optional<std::string> u = ToUtf16LeWithBom("\xF0\x9F\x98\x80");  // U+1F600
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, std::string("\xFF\xFE\x3D\xD8\x00\xDE", 6));
  EXPECT_EQ(CountChars("a字\xF0\x9F\x98\x80"), 3u);
  EXPECT_FALSE(ToUtf16LeWithBom(std::string("\xE5\xAD", 2)));  // truncated
}

TEST_F(GammuOutboxTest, AnUnwritableFolderIsUnavailableNotACrash) {
  std::ofstream(dir_.string()) << "a file where the folder should be";
  GammuOutbox outbox(dir_.string());
  EXPECT_EQ(outbox.Send({1, "15400000001", "x"}).code(), Code::kUnavailable);
  fs::remove(dir_);
}

}  // namespace
}  // namespace gz::sms
