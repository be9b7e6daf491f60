// SM4-CTR and HMAC-SM3 through OpenSSL 3's EVP layer: the primitives of FieldCipher's
// national-standard suite (docs/decisions/0008-sm4-cipher-suite.md).
//
// Layer: crypto (internal). Only field_cipher.cc and the crypto tests include this header; every
// other caller goes through FieldCipher. OpenSSL objects are fetched once per FieldCipher, not per
// call: a fetch takes a global lock and costs more than sealing a field.
//
// Thread-safety: after construction both classes are read-only; Apply() and Compute() make a
// private OpenSSL context per call, so any number of threads may share one object.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "core/status.h"

namespace gz::crypto::internal {

inline constexpr size_t kSm4KeyBytes = 16;
inline constexpr size_t kSm4IvBytes = 16;
inline constexpr size_t kSm3Bytes = 32;

// SM4 (GB/T 32907) in counter mode. OpenSSL increments the whole 16-byte IV as one big-endian
// counter (wrapping at 2^128), so a random IV per message keeps counter blocks from repeating.
class Sm4Ctr {
 public:
  // Fetches SM4-CTR and SM3 from the default provider and checks them against the standard
  // vectors (GB/T 32907 SM4, GB/T 32905 SM3 "abc"), so a provider that is missing or computes
  // something else is caught at start-up, not after data was sealed with it. Returns
  // kFailedPrecondition ("crypto/algorithm-unavailable") if either is missing or wrong.
  static Result<Sm4Ctr> Fetch();

  Sm4Ctr(Sm4Ctr&& other) noexcept;
  Sm4Ctr& operator=(Sm4Ctr&& other) noexcept;
  Sm4Ctr(const Sm4Ctr&) = delete;
  Sm4Ctr& operator=(const Sm4Ctr&) = delete;
  ~Sm4Ctr();

  // out = in XOR keystream(key, iv), so the same call encrypts and decrypts. `out` may equal
  // `in`. Returns false only if OpenSSL fails, which after Fetch() means memory ran out.
  bool Apply(const unsigned char* key, const unsigned char* iv, const unsigned char* in, size_t size,
             unsigned char* out) const;

 private:
  explicit Sm4Ctr(EVP_CIPHER* cipher) : cipher_(cipher) {}
  EVP_CIPHER* cipher_ = nullptr;
};

// HMAC (RFC 2104) with SM3 under one fixed key. The keyed state is made once and copied for
// each message, which skips the digest fetch and the key padding on every call.
class HmacSm3 {
 public:
  // kFailedPrecondition ("crypto/algorithm-unavailable") if HMAC or SM3 is missing.
  static Result<HmacSm3> Create(const unsigned char* key, size_t key_size);

  HmacSm3(HmacSm3&& other) noexcept;
  HmacSm3& operator=(HmacSm3&& other) noexcept;
  HmacSm3(const HmacSm3&) = delete;
  HmacSm3& operator=(const HmacSm3&) = delete;
  ~HmacSm3();  // OpenSSL cleanses the keyed state when it frees it

  // The tag of the concatenation of `parts`. Returns false only if OpenSSL fails (out of memory).
  bool Compute(std::initializer_list<std::string_view> parts, unsigned char out[kSm3Bytes]) const;

 private:
  explicit HmacSm3(EVP_MAC_CTX* keyed) : keyed_(keyed) {}
  EVP_MAC_CTX* keyed_ = nullptr;
};

}  // namespace gz::crypto::internal
