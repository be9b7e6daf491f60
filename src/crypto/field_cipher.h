// FieldCipher: encryption of personal-data fields at rest, and blind indexes to find them.
//
// Layer: crypto (interface). Domain code seals each personal field (name, ID number, phone, ...)
// before it reaches a store and opens it through one audited accessor (issue #3). Decisions and
// the reasons for them: docs/decisions/0004-personal-data-encryption.md.
//
// Sealed envelope, version 1 (all integers are single bytes):
//
//   +-----------+--------+--------------------+-------------------------------+
//   | algorithm | key id | nonce (24 bytes)   | ciphertext || tag (16 bytes)  |
//   +-----------+--------+--------------------+-------------------------------+
//     0x01 = XChaCha20-Poly1305-IETF (libsodium), key = KDF(master[key id], subkey 1)
//     0x02 = reserved for SM4-CTR + HMAC-SM3, encrypt-then-MAC (GB/T 39786 assessments)
//
// The AEAD's associated data is the two header bytes followed by the caller's associated data,
// so neither the header nor the binding can be changed without Open() failing. Callers bind a
// value to its place: "residents_residents.id_number:<row id>|..." -- a ciphertext copied to
// another row or column then fails to open (T-INTEG). Overhead: 42 bytes per field.
//
// Blind index, version 1: 0x01 | index key id | BLAKE2b-256 keyed with KDF(master[index id],
// subkey 2) over (domain || 0x00 || normalized value) = 34 bytes. Equal inputs give equal
// indexes under one key, so a store can look up "the resident with this ID number" with an
// equality match and never decrypt; without the key an index reveals nothing but equality.
// The domain ("residents.id_number") keeps two columns' indexes unrelated.
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
inline constexpr uint8_t kAlgSm4CtrHmacSm3 = 0x02;  // reserved, not implemented yet
inline constexpr uint8_t kIndexBlake2b256 = 0x01;
inline constexpr size_t kSealOverhead = 2 + 24 + 16;
inline constexpr size_t kBlindIndexSize = 2 + 32;

class FieldCipher {
 public:
  // Derives a sealing key for every key in `ring` and the index key from ring.index_id().
  // Calls Initialize(). Returns kFailedPrecondition ("crypto/key-file-malformed") for an empty
  // ring, or the Initialize() error.
  static Result<FieldCipher> Create(const KeyRing& ring);

  FieldCipher(FieldCipher&&) noexcept;
  FieldCipher& operator=(FieldCipher&&) noexcept;
  ~FieldCipher();

  // Encrypts `plaintext` (any bytes, may be empty) under the active key with a fresh random
  // nonce, so sealing the same value twice gives different bytes. Never fails.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;

  // Decrypts an envelope made by Seal() with the same `associated_data`. Returns
  //   kFailedPrecondition ("crypto/integrity-failure") if the bytes were altered, truncated, are
  //     not an envelope, or were sealed for other associated data (another row or column);
  //   kFailedPrecondition ("crypto/unknown-key", argument "key_id") if the key id is not in the
  //     ring, or the algorithm is one this build does not implement (argument "algorithm").
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

  // The blind index of `normalized_value` in `domain` (34 bytes, deterministic per index key).
  // REQUIRES: `domain` contains no NUL byte; the caller normalizes the value (e.g. upper-case
  // 'X' in an ID number) so that equal values give equal indexes.
  std::string BlindIndex(std::string_view domain, std::string_view normalized_value) const;

  // True if `sealed` was made under another key or algorithm than the active ones (a rotation
  // job re-seals such fields). False for bytes that are not an envelope at all.
  bool NeedsReseal(std::string_view sealed) const;

  uint8_t active_key_id() const;
  uint8_t index_key_id() const;

 private:
  struct Keys;
  explicit FieldCipher(std::unique_ptr<Keys> keys);
  std::unique_ptr<Keys> keys_;
};

}  // namespace gz::crypto
