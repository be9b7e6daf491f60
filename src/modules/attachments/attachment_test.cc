// Layer: attachments domain tests: sealing binds the bytes to their row and hash.
#include "modules/attachments/attachment.h"

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "crypto/secrets.h"

namespace gz::attachments {
namespace {

class AttachmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*cipher));
  }
  Attachment Info() const {
    Attachment a;
    a.id = 4242;
    a.owner_type = "appeal";
    a.owner_id = 77;
    a.division = "420114001205";
    a.width = 2;
    a.height = 1;
    a.added_by = 101;
    a.added_at_ms = 1'700'000'000'000;
    return a;
  }
  std::unique_ptr<crypto::FieldCipher> cipher_;
};

TEST_F(AttachmentTest, OwnerTypesAreShortLowerCaseNames) {
  EXPECT_TRUE(IsOwnerType("appeal"));
  EXPECT_TRUE(IsOwnerType("disclosure_item2"));
  EXPECT_FALSE(IsOwnerType(""));
  EXPECT_FALSE(IsOwnerType("Appeal"));
  EXPECT_FALSE(IsOwnerType("appeal;drop"));
  EXPECT_FALSE(IsOwnerType(std::string(33, 'a')));
}

TEST_F(AttachmentTest, SealsAndOpensTheBytes) {
  const std::string bytes = "\xFF\xD8 not really a photo \xFF\xD9";
  SealedAttachment s = SealAttachment(*cipher_, Info(), bytes);
  EXPECT_EQ(s.info.byte_size, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(s.info.sha256, crypto::Sha256Hex(bytes));
  EXPECT_EQ(s.sealed.find("not really"), std::string::npos);
  Result<std::string> opened = OpenAttachment(*cipher_, s);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, bytes);
}

TEST_F(AttachmentTest, BytesMovedToAnotherRowOrOwnerOrHashDoNotOpen) {
  const SealedAttachment s = SealAttachment(*cipher_, Info(), "photo bytes");
  for (auto change : std::vector<std::function<void(SealedAttachment&)>>{
           [](SealedAttachment& a) { a.info.id += 1; },
           [](SealedAttachment& a) { a.info.owner_id += 1; },
           [](SealedAttachment& a) { a.info.owner_type = "disclosure"; },
           [](SealedAttachment& a) { a.info.division = "420114001206"; },
           [](SealedAttachment& a) { a.info.sha256 = crypto::Sha256Hex("other bytes"); },
           [](SealedAttachment& a) { a.info.byte_size += 1; },
           [](SealedAttachment& a) { a.sealed[a.sealed.size() / 2] ^= 1; },
       }) {
    SealedAttachment moved = s;
    change(moved);
    Result<std::string> opened = OpenAttachment(*cipher_, moved);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().slug(), "crypto/integrity-failure");
  }
}

}  // namespace
}  // namespace gz::attachments
