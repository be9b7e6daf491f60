#include "crypto/field_cipher.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/crypto.h"
#include "crypto/problems.h"

namespace gz::crypto {
namespace {

KeyRing FreshRing() {
  EXPECT_TRUE(Initialize().ok());
  return KeyRing::Generate();
}

FieldCipher MakeCipher(const KeyRing& ring) {
  auto c = FieldCipher::Create(ring);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

class FieldCipherTest : public ::testing::Test {
 protected:
  KeyRing ring_ = FreshRing();
  FieldCipher cipher_ = MakeCipher(ring_);
};

TEST_F(FieldCipherTest, RoundTripsChineseAsciiAndEmpty) {
  for (std::string_view text : {std::string_view("王秀英"), std::string_view("420114200001019992"),
                                std::string_view(""), std::string_view("蔡甸区 3组45号 \x01\xff", 23)}) {
    std::string sealed = cipher_.Seal(text, "residents_residents.name:42");
    EXPECT_EQ(sealed.size(), text.size() + kSealOverhead);
    if (!text.empty()) {
      EXPECT_EQ(sealed.find(text), std::string::npos);
    }
    auto opened = cipher_.Open(sealed, "residents_residents.name:42");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, text);
  }
}

TEST_F(FieldCipherTest, EveryTamperedByteIsDetected) {
  const std::string sealed = cipher_.Seal("张伟", "residents_residents.name:7");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto opened = cipher_.Open(bad, "residents_residents.name:7");
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), Code::kFailedPrecondition);
    // Header bytes may read as an unknown key or algorithm; everything else is an integrity failure.
    if (i >= 2) {
      EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure) << "byte " << i;
    }
  }
  auto truncated = cipher_.Open(sealed.substr(0, sealed.size() - 1), "residents_residents.name:7");
  EXPECT_EQ(truncated.status().slug(), problems::kIntegrityFailure);
  EXPECT_EQ(cipher_.Open("short", "x").status().slug(), problems::kIntegrityFailure);
}

TEST_F(FieldCipherTest, CiphertextMovedToAnotherRowOrColumnFailsToOpen) {
  const std::string sealed = cipher_.Seal("420114200001019992", "residents_residents.id_number:1");
  EXPECT_TRUE(cipher_.Open(sealed, "residents_residents.id_number:1").ok());
  for (std::string_view other : {"residents_residents.id_number:2", "residents_residents.phone:1", "",
                                 "residents_residents.id_number:1 "}) {
    auto opened = cipher_.Open(sealed, other);
    ASSERT_FALSE(opened.ok()) << other;
    EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure);
  }
}

TEST_F(FieldCipherTest, EachSealUsesAFreshNonce) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(cipher_.Seal("李娜", "ad"));
  EXPECT_EQ(seen.size(), 200u);
}

TEST_F(FieldCipherTest, AnotherKeyCannotOpen) {
  FieldCipher other = MakeCipher(KeyRing::Generate());
  auto opened = other.Open(cipher_.Seal("刘洋", "ad"), "ad");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure);
}

TEST_F(FieldCipherTest, BlindIndexIsDeterministicDomainSeparatedAndKeyDependent) {
  const std::string a = cipher_.BlindIndex("residents.id_number", "420114200001019992");
  EXPECT_EQ(a.size(), kBlindIndexSize);
  EXPECT_EQ(a, cipher_.BlindIndex("residents.id_number", "420114200001019992"));
  EXPECT_NE(a, cipher_.BlindIndex("residents.id_number", "420114200002299981"));
  EXPECT_NE(a, cipher_.BlindIndex("residents.phone", "420114200001019992"));
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(cipher_.BlindIndex("ab", "c"), cipher_.BlindIndex("a", "bc"));
  // A second cipher from the same ring agrees; a different ring does not.
  EXPECT_EQ(a, MakeCipher(ring_).BlindIndex("residents.id_number", "420114200001019992"));
  EXPECT_NE(a, MakeCipher(KeyRing::Generate()).BlindIndex("residents.id_number", "420114200001019992"));
  EXPECT_EQ(a.find("420114"), std::string::npos);
}

TEST(FieldCipherRotationTest, OldKeyStillOpensAfterRotationAndIsFlaggedForReseal) {
  ASSERT_TRUE(Initialize().ok());
  KeyRing old_ring;
  SecretKey k1 = SecretKey::Random();
  SecretKey k1_copy;
  std::copy(k1.data(), k1.data() + SecretKey::kSize, k1_copy.data());
  ASSERT_TRUE(old_ring.Add(1, std::move(k1)).ok());
  FieldCipher old_cipher = MakeCipher(old_ring);
  const std::string sealed_v1 = old_cipher.Seal("陈静", "ad");
  EXPECT_FALSE(old_cipher.NeedsReseal(sealed_v1));

  KeyRing rotated;
  ASSERT_TRUE(rotated.Add(1, std::move(k1_copy)).ok());
  ASSERT_TRUE(rotated.Add(2, SecretKey::Random()).ok());
  ASSERT_TRUE(rotated.SetActive(2).ok());  // index stays on key 1: existing indexes remain valid
  FieldCipher new_cipher = MakeCipher(rotated);
  EXPECT_EQ(new_cipher.active_key_id(), 2);
  EXPECT_EQ(new_cipher.index_key_id(), 1);
  auto opened = new_cipher.Open(sealed_v1, "ad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "陈静");
  EXPECT_TRUE(new_cipher.NeedsReseal(sealed_v1));
  const std::string sealed_v2 = new_cipher.Seal("陈静", "ad");
  EXPECT_EQ(static_cast<uint8_t>(sealed_v2[1]), 2);
  EXPECT_FALSE(new_cipher.NeedsReseal(sealed_v2));
  EXPECT_EQ(old_cipher.BlindIndex("d", "v"), new_cipher.BlindIndex("d", "v"));

  // The old ring does not know key 2: a clear "unknown key", not a silent garbage read.
  auto unknown = old_cipher.Open(sealed_v2, "ad");
  EXPECT_EQ(unknown.status().slug(), problems::kUnknownKey);
  EXPECT_EQ(unknown.status().Arg("key_id"), "2");
}

TEST(FieldCipherRotationTest, ReservedSm4AlgorithmIsRefusedClearly) {
  FieldCipher cipher = MakeCipher(FreshRing());
  std::string sealed = cipher.Seal("x", "ad");
  sealed[0] = static_cast<char>(kAlgSm4CtrHmacSm3);
  auto opened = cipher.Open(sealed, "ad");
  EXPECT_EQ(opened.status().slug(), problems::kUnknownKey);
  EXPECT_EQ(opened.status().Arg("algorithm"), "2");
}

TEST(FieldCipherCreateTest, EmptyRingIsRefused) {
  auto c = FieldCipher::Create(KeyRing());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().slug(), problems::kKeyFileMalformed);
}

TEST(RowIdTest, IncreasingDistinctAndTimeOrdered) {
  ASSERT_TRUE(Initialize().ok());
  const int64_t t = 1795795200000;  // 2026-11-28
  std::set<int64_t> ids;
  int64_t prev = 0;
  for (int i = 0; i < 100000; ++i) {  // the clock stands still: still unique and increasing
    const int64_t id = NewRowId(t);
    EXPECT_GT(id, prev);
    ids.insert(id);
    prev = id;
  }
  EXPECT_EQ(ids.size(), 100000u);
  // Not sequential: the steps vary.
  std::set<int64_t> steps;
  for (int i = 0; i < 100; ++i) {
    const int64_t a = NewRowId(t);
    steps.insert(NewRowId(t) - a);
  }
  EXPECT_GT(steps.size(), 10u);
  // A clock that goes back does not make ids go back; a later time gives larger ids.
  const int64_t before = NewRowId(t - 3600000);
  EXPECT_GT(before, prev);
  const int64_t later = NewRowId(t + 86400000);
  EXPECT_GE(later >> 22, (t + 86400000 - 1704067200000));
  EXPECT_GT(later, 0);
}

}  // namespace
}  // namespace gz::crypto
