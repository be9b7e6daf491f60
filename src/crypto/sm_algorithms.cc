#include "crypto/sm_algorithms.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "crypto/problems.h"

namespace gz::crypto::internal {
namespace {

Status Unavailable(std::string note) {
  return FailedPrecondition(std::string(problems::kAlgorithmUnavailable), std::move(note));
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

// EVP_*Update take an int length; fields are small, but nothing here may truncate silently.
constexpr size_t kMaxChunk = size_t{1} << 30;

// GB/T 32907-2016 appendix A, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
// CTR's first keystream block is SM4(key, IV), so IV = that plaintext over 16 zero bytes must
// give the standard ECB ciphertext: this checks the very call that seals data.
constexpr unsigned char kSm4Vector[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                          0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
constexpr unsigned char kSm4Expected[16] = {0x68, 0x1e, 0xdf, 0x34, 0xd2, 0x06, 0x96, 0x5e,
                                            0x86, 0xb3, 0xe9, 0x4f, 0x53, 0x6e, 0x42, 0x46};
// GB/T 32905-2016 appendix A, example 1: SM3("abc").
constexpr unsigned char kSm3Abc[32] = {0x66, 0xc7, 0xf0, 0xf4, 0x62, 0xee, 0xed, 0xd9, 0xd1, 0xf2, 0xd4,
                                       0x6b, 0xdc, 0x10, 0xe4, 0xe2, 0x41, 0x67, 0xc4, 0x87, 0x5c, 0xf2,
                                       0xf7, 0xa2, 0x29, 0x7d, 0xa0, 0x2b, 0x8f, 0x4b, 0xa8, 0xe0};

Status CheckSm3() {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SM3", nullptr);
  if (md == nullptr) return Unavailable("OpenSSL has no SM3");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = EVP_Digest("abc", 3, out, &len, md, nullptr) == 1 && len == sizeof kSm3Abc &&
                  std::memcmp(out, kSm3Abc, sizeof kSm3Abc) == 0;
  EVP_MD_free(md);
  if (!ok) return Unavailable("SM3 fails the GB/T 32905 test vector");
  return Status::Ok();
}

}  // namespace

Result<Sm4Ctr> Sm4Ctr::Fetch() {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  if (cipher == nullptr) return Unavailable("OpenSSL has no SM4-CTR");
  Sm4Ctr out(cipher);
  if (EVP_CIPHER_get_key_length(cipher) != static_cast<int>(kSm4KeyBytes) ||
      EVP_CIPHER_get_iv_length(cipher) != static_cast<int>(kSm4IvBytes)) {
    return Unavailable("SM4-CTR has unexpected key or IV sizes");
  }
  const unsigned char zeros[16] = {};
  unsigned char block[16];
  if (!out.Apply(kSm4Vector, kSm4Vector, zeros, sizeof zeros, block) ||
      std::memcmp(block, kSm4Expected, sizeof block) != 0) {
    return Unavailable("SM4 fails the GB/T 32907 test vector");
  }
  GZ_RETURN_IF_ERROR(CheckSm3());
  return out;
}

Sm4Ctr::Sm4Ctr(Sm4Ctr&& other) noexcept : cipher_(std::exchange(other.cipher_, nullptr)) {}
Sm4Ctr& Sm4Ctr::operator=(Sm4Ctr&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_free(cipher_);
    cipher_ = std::exchange(other.cipher_, nullptr);
  }
  return *this;
}
Sm4Ctr::~Sm4Ctr() { EVP_CIPHER_free(cipher_); }

bool Sm4Ctr::Apply(const unsigned char* key, const unsigned char* iv, const unsigned char* in, size_t size,
                   unsigned char* out) const {
  // The context holds the key schedule; OpenSSL's SM4 provider clears it when the context is freed.
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher_, key, iv, nullptr) != 1) return false;
  size_t done = 0;
  while (done < size) {
    const size_t n = std::min(size - done, kMaxChunk);
    int len = 0;
    if (EVP_EncryptUpdate(ctx.get(), out + done, &len, in + done, static_cast<int>(n)) != 1 ||
        static_cast<size_t>(len) != n) {
      return false;
    }
    done += n;
  }
  int tail = 0;
  return EVP_EncryptFinal_ex(ctx.get(), out + done, &tail) == 1 && tail == 0;
}

Result<HmacSm3> HmacSm3::Create(const unsigned char* key, size_t key_size) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return Unavailable("OpenSSL has no HMAC");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context keeps its own reference
  if (ctx == nullptr) return Unavailable("EVP_MAC_CTX_new failed");
  HmacSm3 out(ctx);
  char digest[] = "SM3";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx, key, key_size, params) != 1 || EVP_MAC_CTX_get_mac_size(ctx) != kSm3Bytes)
    return Unavailable("OpenSSL has no HMAC-SM3");
  return out;
}

HmacSm3::HmacSm3(HmacSm3&& other) noexcept : keyed_(std::exchange(other.keyed_, nullptr)) {}
HmacSm3& HmacSm3::operator=(HmacSm3&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(keyed_);
    keyed_ = std::exchange(other.keyed_, nullptr);
  }
  return *this;
}
HmacSm3::~HmacSm3() { EVP_MAC_CTX_free(keyed_); }

bool HmacSm3::Compute(std::initializer_list<std::string_view> parts, unsigned char out[kSm3Bytes]) const {
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_dup(keyed_));
  if (!ctx) return false;
  for (std::string_view part : parts) {
    if (EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size()) != 1)
      return false;
  }
  size_t len = 0;
  return EVP_MAC_final(ctx.get(), out, &len, kSm3Bytes) == 1 && len == kSm3Bytes;
}

}  // namespace gz::crypto::internal
