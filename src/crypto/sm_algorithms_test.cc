#include "crypto/sm_algorithms.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

namespace gz::crypto::internal {
namespace {

std::vector<unsigned char> Hex(std::string_view hex) {
  std::vector<unsigned char> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<unsigned char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string ToHex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

// SM4-ECB straight from EVP, independent of Sm4Ctr, to check it against the standard.
std::vector<unsigned char> Sm4Ecb(const std::vector<unsigned char>& key, std::vector<unsigned char> data,
                                  int rounds = 1) {
  EVP_CIPHER* ecb = EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr);
  EXPECT_NE(ecb, nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EXPECT_EQ(EVP_EncryptInit_ex2(ctx, ecb, key.data(), nullptr, nullptr), 1);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  for (int r = 0; r < rounds; ++r) {
    int len = 0;
    EXPECT_EQ(EVP_EncryptUpdate(ctx, data.data(), &len, data.data(), static_cast<int>(data.size())), 1);
    EXPECT_EQ(static_cast<size_t>(len), data.size());
  }
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(ecb);
  return data;
}

std::string Sm3Hex(std::string_view data) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SM3", nullptr);
  EXPECT_NE(md, nullptr);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out, &len, md, nullptr), 1);
  EVP_MD_free(md);
  return ToHex(out, len);
}

const std::vector<unsigned char> kStdKey = Hex("0123456789abcdeffedcba9876543210");

TEST(Sm4Test, GbT32907ExampleOneThroughEvp) {
  EXPECT_EQ(Sm4Ecb(kStdKey, kStdKey), Hex("681edf34d206965e86b3e94f536e4246"));
}

TEST(Sm4Test, GbT32907ExampleTwoOneMillionRounds) {
  EXPECT_EQ(Sm4Ecb(kStdKey, kStdKey, 1000000), Hex("595298c7c6fd271f0402f804c33d3f66"));
}

TEST(Sm4CtrTest, FirstKeystreamBlockIsTheStandardVector) {
  auto ctr = Sm4Ctr::Fetch();
  ASSERT_TRUE(ctr.ok()) << ctr.status().ToString();
  const unsigned char zeros[16] = {};
  unsigned char out[16];
  ASSERT_TRUE(ctr->Apply(kStdKey.data(), kStdKey.data(), zeros, 16, out));
  EXPECT_EQ(ToHex(out, 16), "681edf34d206965e86b3e94f536e4246");
}

TEST(Sm4CtrTest, CounterIsTheWholeBlockAndWrapsAt2To128) {
  auto ctr = Sm4Ctr::Fetch();
  ASSERT_TRUE(ctr.ok());
  const std::vector<unsigned char> iv(16, 0xff);
  std::vector<unsigned char> zeros(40, 0);
  std::vector<unsigned char> out(40);
  ASSERT_TRUE(ctr->Apply(kStdKey.data(), iv.data(), zeros.data(), zeros.size(), out.data()));
  std::vector<unsigned char> counters(iv);
  counters.resize(48, 0x00);  // ff..ff, then 00..00, then 00..01
  counters[47] = 0x01;
  std::vector<unsigned char> keystream = Sm4Ecb(kStdKey, counters);
  keystream.resize(40);  // a partial last block uses the start of its keystream block
  EXPECT_EQ(out, keystream);
}

TEST(Sm4CtrTest, InPlaceRoundTrip) {
  auto ctr = Sm4Ctr::Fetch();
  ASSERT_TRUE(ctr.ok());
  std::string text = "王秀英 420114200001019992 and a tail that is not a whole block";
  const std::string original = text;
  auto* p = reinterpret_cast<unsigned char*>(text.data());
  const unsigned char iv[16] = {9};
  ASSERT_TRUE(ctr->Apply(kStdKey.data(), iv, p, text.size(), p));
  EXPECT_NE(text, original);
  ASSERT_TRUE(ctr->Apply(kStdKey.data(), iv, p, text.size(), p));
  EXPECT_EQ(text, original);
  ASSERT_TRUE(ctr->Apply(kStdKey.data(), iv, nullptr, 0, nullptr));  // empty is fine
}

TEST(Sm3Test, GbT32905Examples) {
  EXPECT_EQ(Sm3Hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd16;
  for (int i = 0; i < 16; ++i) abcd16 += "abcd";
  EXPECT_EQ(Sm3Hex(abcd16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

// RFC 2104 written out over the SM3 digest (64-byte blocks), independent of EVP_MAC.
std::string ReferenceHmacSm3(std::string key, std::string_view message) {
  auto raw = [](std::string_view data) {
    std::string hex = Sm3Hex(data);
    std::string out;
    for (unsigned char b : Hex(hex)) out += static_cast<char>(b);
    return out;
  };
  if (key.size() > 64) key = raw(key);
  key.resize(64, '\0');
  std::string ipad = key, opad = key;
  for (char& c : ipad) c = static_cast<char>(c ^ 0x36);
  for (char& c : opad) c = static_cast<char>(c ^ 0x5c);
  std::string inner = raw(ipad + std::string(message));
  return Sm3Hex(opad + inner);
}

TEST(HmacSm3Test, MatchesRfc2104OverSm3AndIgnoresHowTheMessageIsSplit) {
  for (size_t key_size : {16u, 32u, 100u}) {
    std::string key;
    for (size_t i = 0; i < key_size; ++i) key += static_cast<char>(i * 7 + 1);
    auto mac = HmacSm3::Create(reinterpret_cast<const unsigned char*>(key.data()), key.size());
    ASSERT_TRUE(mac.ok()) << mac.status().ToString();
    const std::string message = "residents.id_number" + std::string(1, '\0') + "420114200001019992";
    unsigned char whole[kSm3Bytes], split[kSm3Bytes], empty[kSm3Bytes];
    ASSERT_TRUE(mac->Compute({message}, whole));
    ASSERT_TRUE(mac->Compute({std::string_view(message).substr(0, 5), "", std::string_view(message).substr(5)}, split));
    EXPECT_EQ(ToHex(whole, kSm3Bytes), ReferenceHmacSm3(key, message)) << key_size;
    EXPECT_EQ(ToHex(split, kSm3Bytes), ToHex(whole, kSm3Bytes));
    ASSERT_TRUE(mac->Compute({}, empty));
    EXPECT_EQ(ToHex(empty, kSm3Bytes), ReferenceHmacSm3(key, ""));
  }
}

TEST(HmacSm3Test, KeyedStateIsReusedNotConsumed) {
  const unsigned char key[32] = {1, 2, 3};
  auto mac = HmacSm3::Create(key, sizeof key);
  ASSERT_TRUE(mac.ok());
  unsigned char a[kSm3Bytes], b[kSm3Bytes];
  ASSERT_TRUE(mac->Compute({"x"}, a));
  ASSERT_TRUE(mac->Compute({"y"}, b));
  ASSERT_TRUE(mac->Compute({"x"}, b));
  EXPECT_EQ(ToHex(a, kSm3Bytes), ToHex(b, kSm3Bytes));
  HmacSm3 moved = std::move(mac).value();
  ASSERT_TRUE(moved.Compute({"x"}, b));
  EXPECT_EQ(ToHex(a, kSm3Bytes), ToHex(b, kSm3Bytes));
}

}  // namespace
}  // namespace gz::crypto::internal
