#include "crypto/field_cipher.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <set>

#include "crypto/crypto.h"
#include "crypto/problems.h"

namespace gz::crypto {
namespace {

KeyRing FreshRing() {
  EXPECT_TRUE(Initialize().ok());
  return KeyRing::Generate();
}

FieldCipher MakeCipher(const KeyRing& ring, CipherSuite suite = CipherSuite::kXChaCha20Poly1305,
                       IndexAlgorithm index = IndexAlgorithm::kBlake2b256) {
  auto c = FieldCipher::Create(ring, suite, index);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

// A ring with keys 1 and 2 (1 active) whose bytes the test knows.
KeyRing KnownRing(unsigned char fill1 = 0x11, unsigned char fill2 = 0x22, uint8_t active = 1) {
  EXPECT_TRUE(Initialize().ok());
  KeyRing ring;
  SecretKey k1, k2;
  std::fill(k1.data(), k1.data() + SecretKey::kSize, fill1);
  std::fill(k2.data(), k2.data() + SecretKey::kSize, fill2);
  EXPECT_TRUE(ring.Add(1, std::move(k1)).ok());
  EXPECT_TRUE(ring.Add(2, std::move(k2)).ok());
  EXPECT_TRUE(ring.SetActive(active).ok());
  return ring;
}

size_t OverheadOf(CipherSuite suite) {
  return suite == CipherSuite::kSm4CtrHmacSm3 ? kSealOverheadSm4 : kSealOverhead;
}

class FieldCipherTest : public ::testing::TestWithParam<CipherSuite> {
 protected:
  KeyRing ring_ = FreshRing();
  FieldCipher cipher_ = MakeCipher(ring_, GetParam());
};

INSTANTIATE_TEST_SUITE_P(BothSuites, FieldCipherTest,
                         ::testing::Values(CipherSuite::kXChaCha20Poly1305, CipherSuite::kSm4CtrHmacSm3),
                         [](const auto& info) {
                           return info.param == CipherSuite::kSm4CtrHmacSm3 ? "Sm4" : "XChaCha";
                         });

TEST_P(FieldCipherTest, RoundTripsChineseAsciiAndEmpty) {
  for (std::string_view text : {std::string_view("王秀英"), std::string_view("420114200001019992"),
                                std::string_view(""), std::string_view("蔡甸区 3组45号 \x01\xff", 23)}) {
    std::string sealed = cipher_.Seal(text, "residents_residents.name:42");
    EXPECT_EQ(sealed.size(), text.size() + OverheadOf(GetParam()));
    EXPECT_GE(sealed.size(), kSealOverhead);  // the residents schema's minimum
    if (!text.empty()) {
      EXPECT_EQ(sealed.find(text), std::string::npos);
    }
    auto opened = cipher_.Open(sealed, "residents_residents.name:42");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, text);
  }
}

TEST_P(FieldCipherTest, LargePlaintextRoundTrips) {
  std::string big(3 * 1024 * 1024 + 7, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + (i >> 9));
  const std::string sealed = cipher_.Seal(big, "ad");
  EXPECT_EQ(sealed.size(), big.size() + OverheadOf(GetParam()));
  auto opened = cipher_.Open(sealed, "ad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_TRUE(*opened == big);
  std::string bad = sealed;
  bad[sealed.size() / 2] ^= 0x40;
  EXPECT_EQ(cipher_.Open(bad, "ad").status().slug(), problems::kIntegrityFailure);
}

TEST_P(FieldCipherTest, EveryTamperedByteIsDetected) {
  const std::string sealed = cipher_.Seal("张伟", "residents_residents.name:7");
  for (size_t i = 0; i < sealed.size(); ++i) {
    // 0x03 also turns one algorithm byte into the other (0x01 <-> 0x02).
    for (unsigned char mask : {0x01, 0x03, 0x80, 0xff}) {
      std::string bad = sealed;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto opened = cipher_.Open(bad, "residents_residents.name:7");
      ASSERT_FALSE(opened.ok()) << "byte " << i << " mask " << int(mask);
      EXPECT_EQ(opened.status().code(), Code::kFailedPrecondition);
      // Header bytes may read as an unknown key or algorithm; everything else is an integrity failure.
      if (i >= 2) {
        EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure) << "byte " << i;
      }
    }
  }
  EXPECT_EQ(cipher_.Open("short", "x").status().slug(), problems::kIntegrityFailure);
}

TEST_P(FieldCipherTest, EveryTruncationAndExtensionIsDetected) {
  const std::string sealed = cipher_.Seal("15481234567", "residents_residents.phone:9");
  for (size_t n = 0; n < sealed.size(); ++n) {
    auto opened = cipher_.Open(sealed.substr(0, n), "residents_residents.phone:9");
    ASSERT_FALSE(opened.ok()) << n;
    EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure) << n;
  }
  for (size_t n = 1; n < sealed.size(); ++n) {  // the front cut off
    EXPECT_FALSE(cipher_.Open(sealed.substr(n), "residents_residents.phone:9").ok()) << n;
  }
  EXPECT_EQ(cipher_.Open(sealed + "x", "residents_residents.phone:9").status().slug(), problems::kIntegrityFailure);
}

TEST_P(FieldCipherTest, CiphertextMovedToAnotherRowOrColumnFailsToOpen) {
  const std::string sealed = cipher_.Seal("420114200001019992", "residents_residents.id_number:1");
  EXPECT_TRUE(cipher_.Open(sealed, "residents_residents.id_number:1").ok());
  for (std::string_view other : {"residents_residents.id_number:2", "residents_residents.phone:1", "",
                                 "residents_residents.id_number:1 ", "residents_residents.id_number:"}) {
    auto opened = cipher_.Open(sealed, other);
    ASSERT_FALSE(opened.ok()) << other;
    EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure);
  }
}

// Without a length in the MAC input, the last ciphertext byte could move to the front of the
// associated data and the tag would still match.
TEST_P(FieldCipherTest, BytesCannotMoveBetweenCiphertextAndAssociatedData) {
  const std::string sealed = cipher_.Seal("李娜", "ab");
  const size_t tag = GetParam() == CipherSuite::kSm4CtrHmacSm3 ? 32 : 16;
  const size_t last_c = sealed.size() - tag - 1;
  std::string shifted = sealed;
  shifted.erase(last_c, 1);
  const std::string ad = std::string(1, sealed[last_c]) + "ab";
  auto opened = cipher_.Open(shifted, ad);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure);
}

TEST_P(FieldCipherTest, EachSealUsesAFreshNonce) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(cipher_.Seal("李娜", "ad"));
  EXPECT_EQ(seen.size(), 200u);
}

TEST_P(FieldCipherTest, AnotherKeyCannotOpen) {
  FieldCipher other = MakeCipher(KeyRing::Generate(), GetParam());
  auto opened = other.Open(cipher_.Seal("刘洋", "ad"), "ad");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().slug(), problems::kIntegrityFailure);
}

TEST_P(FieldCipherTest, WrongKeyIdIsDetected) {
  FieldCipher cipher = MakeCipher(KnownRing(), GetParam());
  std::string sealed = cipher.Seal("刘洋", "ad");
  ASSERT_EQ(static_cast<uint8_t>(sealed[1]), 1);
  sealed[1] = 2;  // a key the ring has: the tag does not match under it
  EXPECT_EQ(cipher.Open(sealed, "ad").status().slug(), problems::kIntegrityFailure);
  sealed[1] = 9;  // a key the ring lacks: said clearly
  auto unknown = cipher.Open(sealed, "ad");
  EXPECT_EQ(unknown.status().slug(), problems::kUnknownKey);
  EXPECT_EQ(unknown.status().Arg("key_id"), "9");
}

TEST_P(FieldCipherTest, BlindIndexIsDeterministicDomainSeparatedAndKeyDependent) {
  const std::string a = cipher_.BlindIndex("residents.id_number", "420114200001019992");
  EXPECT_EQ(a.size(), kBlindIndexSize);
  EXPECT_EQ(a, cipher_.BlindIndex("residents.id_number", "420114200001019992"));
  EXPECT_NE(a, cipher_.BlindIndex("residents.id_number", "420114200002299981"));
  EXPECT_NE(a, cipher_.BlindIndex("residents.phone", "420114200001019992"));
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(cipher_.BlindIndex("ab", "c"), cipher_.BlindIndex("a", "bc"));
  // A second cipher from the same ring agrees; a different ring does not.
  EXPECT_EQ(a, MakeCipher(ring_, GetParam()).BlindIndex("residents.id_number", "420114200001019992"));
  EXPECT_NE(a, MakeCipher(KeyRing::Generate(), GetParam()).BlindIndex("residents.id_number", "420114200001019992"));
  EXPECT_EQ(a.find("420114"), std::string::npos);
}

TEST(FieldCipherSuiteTest, SwitchingTheSuiteKeepsOldDataReadableAndIndexesUnchanged) {
  const KeyRing ring = KnownRing();
  FieldCipher xchacha = MakeCipher(ring, CipherSuite::kXChaCha20Poly1305);
  FieldCipher sm4 = MakeCipher(ring, CipherSuite::kSm4CtrHmacSm3);
  EXPECT_EQ(xchacha.suite(), CipherSuite::kXChaCha20Poly1305);
  EXPECT_EQ(sm4.suite(), CipherSuite::kSm4CtrHmacSm3);
  const std::string by_x = xchacha.Seal("周德明", "ad");
  const std::string by_sm = sm4.Seal("周德明", "ad");
  EXPECT_EQ(static_cast<uint8_t>(by_x[0]), kAlgXChaCha20Poly1305);
  EXPECT_EQ(static_cast<uint8_t>(by_sm[0]), kAlgSm4CtrHmacSm3);
  for (const FieldCipher* c : {&xchacha, &sm4}) {
    for (const std::string* sealed : {&by_x, &by_sm}) {
      auto opened = c->Open(*sealed, "ad");
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      EXPECT_EQ(*opened, "周德明");
      EXPECT_EQ(c->Open(*sealed, "other").status().slug(), problems::kIntegrityFailure);
    }
  }
  // Fields of the other suite are flagged for the re-seal job, those of the configured one not.
  EXPECT_FALSE(xchacha.NeedsReseal(by_x));
  EXPECT_TRUE(xchacha.NeedsReseal(by_sm));
  EXPECT_TRUE(sm4.NeedsReseal(by_x));
  EXPECT_FALSE(sm4.NeedsReseal(by_sm));
  // Indexes follow the index algorithm, not the suite: lookups keep working across a switch.
  EXPECT_EQ(xchacha.BlindIndex("d", "v"), sm4.BlindIndex("d", "v"));
  EXPECT_EQ(sm4.index_algorithm(), IndexAlgorithm::kBlake2b256);
}

TEST(FieldCipherSuiteTest, EmptyPlaintextOpensAcrossSuites) {
  const KeyRing ring = KnownRing();
  FieldCipher xchacha = MakeCipher(ring, CipherSuite::kXChaCha20Poly1305);
  FieldCipher sm4 = MakeCipher(ring, CipherSuite::kSm4CtrHmacSm3);
  const std::string sealed = sm4.Seal("", "");
  EXPECT_EQ(sealed.size(), kSealOverheadSm4);
  auto opened = xchacha.Open(sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "");
}

// The stored format, rebuilt from the documentation with libsodium and OpenSSL directly: a change
// to the derivation or the layout would make every stored SM field unreadable.
TEST(FieldCipherSuiteTest, Sm4EnvelopeIsExactlyTheDocumentedFormat) {
  const KeyRing ring = KnownRing(0x11, 0x22, /*active=*/2);
  FieldCipher cipher = MakeCipher(ring, CipherSuite::kSm4CtrHmacSm3);
  const std::string plaintext = "420114200001019992";
  const std::string ad = "residents_residents.id_number:1";
  const std::string sealed = cipher.Seal(plaintext, ad);
  ASSERT_EQ(sealed.size(), 2 + 16 + plaintext.size() + 32);
  EXPECT_EQ(static_cast<uint8_t>(sealed[0]), 0x02);
  EXPECT_EQ(static_cast<uint8_t>(sealed[1]), 2);

  unsigned char sm4_key[16], mac_key[32];
  crypto_kdf_derive_from_key(sm4_key, sizeof sm4_key, 1, "gzsm4fd1", ring.Find(2)->data());
  crypto_kdf_derive_from_key(mac_key, sizeof mac_key, 2, "gzsm4fd1", ring.Find(2)->data());
  auto be64 = [](uint64_t v) {
    std::string out(8, '\0');
    for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v);
    return out;
  };
  const std::string iv = sealed.substr(2, 16);
  const std::string c = sealed.substr(18, plaintext.size());
  const std::string mac_input = sealed.substr(0, 18) + be64(c.size()) + c + be64(ad.size()) + ad;
  unsigned char tag[32];
  size_t tag_len = 0;
  ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SM3", nullptr, mac_key, sizeof mac_key,
                      reinterpret_cast<const unsigned char*>(mac_input.data()), mac_input.size(), tag, sizeof tag,
                      &tag_len),
            nullptr);
  ASSERT_EQ(tag_len, 32u);
  EXPECT_EQ(sealed.substr(sealed.size() - 32), std::string(reinterpret_cast<char*>(tag), 32));

  EVP_CIPHER* ctr = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  ASSERT_NE(ctr, nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  std::string decrypted(c.size(), '\0');
  int len = 0;
  ASSERT_EQ(EVP_DecryptInit_ex2(ctx, ctr, sm4_key, reinterpret_cast<const unsigned char*>(iv.data()), nullptr), 1);
  ASSERT_EQ(EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(decrypted.data()), &len,
                              reinterpret_cast<const unsigned char*>(c.data()), static_cast<int>(c.size())),
            1);
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(ctr);
  EXPECT_EQ(decrypted, plaintext);
}

TEST(FieldCipherSuiteTest, HmacSm3IndexIsTheDocumentedFormatAndDiffersFromBlake2b) {
  const KeyRing ring = KnownRing();
  FieldCipher sm = MakeCipher(ring, CipherSuite::kXChaCha20Poly1305, IndexAlgorithm::kHmacSm3);
  FieldCipher blake = MakeCipher(ring);
  EXPECT_EQ(sm.index_algorithm(), IndexAlgorithm::kHmacSm3);
  const std::string index = sm.BlindIndex("residents.phone", "15481234567");
  ASSERT_EQ(index.size(), kBlindIndexSize);
  EXPECT_EQ(static_cast<uint8_t>(index[0]), kIndexHmacSm3);
  EXPECT_EQ(static_cast<uint8_t>(index[1]), 1);
  EXPECT_EQ(index, MakeCipher(ring, CipherSuite::kSm4CtrHmacSm3, IndexAlgorithm::kHmacSm3)
                       .BlindIndex("residents.phone", "15481234567"));
  EXPECT_NE(index.substr(2), blake.BlindIndex("residents.phone", "15481234567").substr(2));
  EXPECT_EQ(static_cast<uint8_t>(blake.BlindIndex("d", "v")[0]), kIndexBlake2b256);

  unsigned char key[32];
  crypto_kdf_derive_from_key(key, sizeof key, 3, "gzsm4fd1", ring.Find(1)->data());
  const std::string input = std::string("residents.phone") + '\0' + "15481234567";
  unsigned char tag[32];
  size_t tag_len = 0;
  ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SM3", nullptr, key, sizeof key,
                      reinterpret_cast<const unsigned char*>(input.data()), input.size(), tag, sizeof tag, &tag_len),
            nullptr);
  EXPECT_EQ(index.substr(2), std::string(reinterpret_cast<char*>(tag), 32));
}

TEST(FieldCipherSuiteTest, NamesParseBothWaysAndUnknownNamesAreRefused) {
  for (CipherSuite s : {CipherSuite::kXChaCha20Poly1305, CipherSuite::kSm4CtrHmacSm3}) {
    auto parsed = ParseCipherSuite(CipherSuiteName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(CipherSuiteName(CipherSuite::kSm4CtrHmacSm3), "sm4-ctr-hmac-sm3");
  EXPECT_EQ(CipherSuiteName(CipherSuite::kXChaCha20Poly1305), "xchacha20-poly1305");
  EXPECT_EQ(*ParseCipherSuite("SM4-CTR-HMAC-SM3"), CipherSuite::kSm4CtrHmacSm3);
  for (std::string_view bad : {"", "sm4", "sm4-gcm", "aes-256-gcm", " sm4-ctr-hmac-sm3", "xchacha20-poly1305\n"}) {
    auto parsed = ParseCipherSuite(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(parsed.status().slug(), problems::kUnknownCipherSuite);
    EXPECT_EQ(parsed.status().Arg("value"), bad);
  }
  EXPECT_EQ(*ParseIndexAlgorithm("hmac-sm3"), IndexAlgorithm::kHmacSm3);
  EXPECT_EQ(*ParseIndexAlgorithm("blake2b-256"), IndexAlgorithm::kBlake2b256);
  EXPECT_EQ(IndexAlgorithmName(IndexAlgorithm::kHmacSm3), "hmac-sm3");
  EXPECT_EQ(ParseIndexAlgorithm("sm3").status().slug(), problems::kUnknownCipherSuite);
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

TEST(FieldCipherRotationTest, SmFieldsUnderAnOldKeyOpenAfterRotation) {
  FieldCipher before = MakeCipher(KnownRing(0x11, 0x22, 1), CipherSuite::kSm4CtrHmacSm3);
  FieldCipher after = MakeCipher(KnownRing(0x11, 0x22, 2), CipherSuite::kSm4CtrHmacSm3);
  const std::string old_field = before.Seal("陈静", "ad");
  EXPECT_TRUE(after.NeedsReseal(old_field));
  auto opened = after.Open(old_field, "ad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "陈静");
  const std::string new_field = after.Seal("陈静", "ad");
  EXPECT_EQ(static_cast<uint8_t>(new_field[1]), 2);
  EXPECT_FALSE(after.NeedsReseal(new_field));
  EXPECT_TRUE(before.Open(new_field, "ad").ok());  // same two keys, other one active
}

TEST(FieldCipherRotationTest, UnknownAlgorithmIsRefusedClearly) {
  FieldCipher cipher = MakeCipher(FreshRing());
  std::string sealed = cipher.Seal("x", "ad");
  EXPECT_FALSE(cipher.NeedsReseal(sealed));
  sealed[0] = 0x03;
  auto opened = cipher.Open(sealed, "ad");
  EXPECT_EQ(opened.status().slug(), problems::kUnknownKey);
  EXPECT_EQ(opened.status().Arg("algorithm"), "3");
  EXPECT_FALSE(cipher.NeedsReseal(sealed));  // not an envelope this build knows
  EXPECT_FALSE(cipher.NeedsReseal("short"));
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
