// FieldCipher: encryption of personal-data fields at rest, and blind indexes to find them.
//
// Layer: crypto (interface). Domain code seals each personal field (name, ID number, phone, ...)
// before it reaches a store and opens it through one audited accessor (issue #3). Decisions and
// the reasons for them: docs/decisions/0004-personal-data-encryption.md (envelopes, indexes, keys)
// and docs/decisions/0008-sm4-cipher-suite.md (the national-standard suite).
//
// Two cipher suites; the configured one seals new data, and Open() accepts both, always, so
// changing the setting never makes stored data unreadable (a re-seal job moves old fields over at
// its own pace: NeedsReseal()). Each envelope starts with its algorithm and key id:
//
//   0x01 XChaCha20-Poly1305-IETF (libsodium), the default. Overhead 42 bytes.
//   +------+--------+-------------------+------------------------------+
//   | 0x01 | key id | nonce (24 bytes)  | ciphertext || tag (16 bytes) |
//   +------+--------+-------------------+------------------------------+
//     key = crypto_kdf(master[key id], subkey 1, "gzfield1"); AEAD associated data =
//     header (2 bytes) || caller's associated data.
//
//   0x02 SM4-CTR + HMAC-SM3, encrypt-then-MAC (OpenSSL 3; GB/T 39786 assessments expect SM
//   algorithms, and OpenSSL 3.0 has no SM4-GCM). Overhead 50 bytes.
//   +------+--------+-------------------+--------------------+-------------------+
//   | 0x02 | key id | IV (16 bytes)     | SM4-CTR ciphertext | HMAC-SM3 tag (32) |
//   +------+--------+-------------------+--------------------+-------------------+
//     SM4 key = crypto_kdf(master[key id], subkey 1, "gzsm4fd1") (16 bytes), MAC key = subkey 2
//     (32 bytes); tag = HMAC-SM3(header || IV || be64(len C) || C || be64(len AD) || AD). The
//     lengths make the MAC input decode one way only, so no byte can move between the ciphertext
//     and the associated data. The tag is checked (in constant time) before anything is decrypted.
//
// Callers bind a value to its place through the associated data: "residents_residents.id_number:
// <row id>|..." -- a ciphertext copied to another row or column then fails to open (T-INTEG).
//
// Blind indexes (34 bytes) are chosen separately from the cipher suite, because a lookup only finds
// rows whose stored index was computed the same way: switching the index algorithm (or the index
// key) needs a re-index job first, switching the cipher suite does not.
//   0x01 | index key id | BLAKE2b-256 keyed with crypto_kdf(master[index id], subkey 2, "gzfield1")
//   0x02 | index key id | HMAC-SM3 keyed with crypto_kdf(master[index id], subkey 3, "gzsm4fd1")
// both over (domain || 0x00 || normalized value). Equal inputs give equal indexes under one key
// and algorithm, so a store looks up "the resident with this ID number" with an equality match
// and never decrypts; without the key an index reveals nothing but equality. The domain
// ("residents.id_number") keeps two columns' indexes unrelated.
//
// Thread-safety: a FieldCipher is immutable after Create(); all methods are safe to call from
// any number of threads. It holds derived keys only (wiped on destruction), not the key file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/key_ring.h"

namespace gz::crypto {

inline constexpr uint8_t kAlgXChaCha20Poly1305 = 0x01;
inline constexpr uint8_t kAlgSm4CtrHmacSm3 = 0x02;
inline constexpr uint8_t kIndexBlake2b256 = 0x01;
inline constexpr uint8_t kIndexHmacSm3 = 0x02;
// The smallest envelope of any algorithm: the residents schema refuses shorter sealed columns.
inline constexpr size_t kSealOverhead = 2 + 24 + 16;
inline constexpr size_t kSealOverheadSm4 = 2 + 16 + 32;
inline constexpr size_t kBlindIndexSize = 2 + 32;  // both index algorithms

enum class CipherSuite { kXChaCha20Poly1305, kSm4CtrHmacSm3 };
enum class IndexAlgorithm { kBlake2b256, kHmacSm3 };

// Setting values: "xchacha20-poly1305" | "sm4-ctr-hmac-sm3" (ASCII case ignored). Anything else
// is kInvalidArgument ("crypto/unknown-cipher-suite", argument "value").
Result<CipherSuite> ParseCipherSuite(std::string_view name);
std::string_view CipherSuiteName(CipherSuite suite);
// "blake2b-256" | "hmac-sm3"; kInvalidArgument ("crypto/unknown-cipher-suite") otherwise.
Result<IndexAlgorithm> ParseIndexAlgorithm(std::string_view name);
std::string_view IndexAlgorithmName(IndexAlgorithm algorithm);

class FieldCipher {
 public:
  // Derives the keys of both suites for every key in `ring`, and the index key from
  // ring.index_id(). `suite` seals new data; `index` computes blind indexes and must stay what
  // the stored indexes were made with. Calls Initialize(). Returns
  //   kFailedPrecondition ("crypto/key-file-malformed") for an empty ring;
  //   kFailedPrecondition ("crypto/algorithm-unavailable") if `suite` or `index` needs SM4/SM3
  //     and this OpenSSL lacks them or fails their standard test vectors (with the default suite
  //     and index, a missing SM4 only makes 0x02 envelopes unreadable: Open() says so);
  //   or the Initialize() error.
  static Result<FieldCipher> Create(const KeyRing& ring, CipherSuite suite = CipherSuite::kXChaCha20Poly1305,
                                    IndexAlgorithm index = IndexAlgorithm::kBlake2b256);

  FieldCipher(FieldCipher&&) noexcept;
  FieldCipher& operator=(FieldCipher&&) noexcept;
  ~FieldCipher();

  // Encrypts `plaintext` (any bytes, may be empty) with the configured suite under the active key
  // and a fresh random nonce or IV, so sealing the same value twice gives different bytes. Never
  // fails: the algorithms were checked by Create(), so an OpenSSL error can only mean memory ran
  // out, which throws std::bad_alloc like any allocation.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;

  // Decrypts an envelope of either suite made by Seal() with the same `associated_data`. Returns
  //   kFailedPrecondition ("crypto/integrity-failure") if the bytes were altered, truncated, are
  //     not an envelope, or were sealed for other associated data (another row or column);
  //   kFailedPrecondition ("crypto/unknown-key", argument "key_id") if the key id is not in the
  //     ring, or (argument "algorithm") the algorithm byte is unknown or not available here.
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

  // The blind index of `normalized_value` in `domain` (34 bytes, deterministic per index
  // algorithm and index key). REQUIRES: `domain` contains no NUL byte; the caller normalizes the
  // value (e.g. upper-case 'X' in an ID number) so that equal values give equal indexes.
  std::string BlindIndex(std::string_view domain, std::string_view normalized_value) const;

  // True if `sealed` was made under another key or suite than the active ones (a rotation job
  // re-seals such fields). False for bytes that are not an envelope of a known algorithm.
  bool NeedsReseal(std::string_view sealed) const;

  CipherSuite suite() const;
  IndexAlgorithm index_algorithm() const;
  uint8_t active_key_id() const;
  uint8_t index_key_id() const;

 private:
  struct Keys;
  explicit FieldCipher(std::unique_ptr<Keys> keys);
  std::unique_ptr<Keys> keys_;
};

}  // namespace gz::crypto
