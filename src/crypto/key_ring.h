// Master keys for field encryption: SecretKey (32 wiped bytes) and KeyRing (keys by id).
//
// Layer: crypto (interface). A KeyRing is what the key file (key_file.h) holds: one or more
// 32-byte master keys, each with an id 1..255, plus which id seals new data ("active") and which
// id computes blind indexes ("index"). Keeping old keys in the ring lets data sealed under them
// still open after a rotation; the key id travels in every sealed envelope (field_cipher.h).
//
// Secrets never leave through these types: no printing, no comparison, no copy. Memory holding
// a key is wiped (sodium_memzero) when it is destroyed or moved from.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace gz::crypto {

class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  SecretKey() = default;  // all zero
  ~SecretKey();
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  // Moves copy the bytes and wipe the source.
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;

  // 32 bytes from the CSPRNG. REQUIRES: crypto::Initialize() has returned OK.
  static SecretKey Random();

  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  static constexpr size_t size() { return kSize; }

 private:
  std::array<unsigned char, kSize> bytes_{};
};

class KeyRing {
 public:
  KeyRing() = default;
  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing&&) noexcept = default;

  // A ring with one fresh random key, id 1, active and used for the index.
  // REQUIRES: crypto::Initialize() has returned OK.
  static KeyRing Generate();

  // Adds a master key. Returns kInvalidArgument ("crypto/key-file-malformed") for id 0 or an id
  // that is already present. The first key added becomes active and index key.
  Status Add(uint8_t id, SecretKey key);
  // Selects the key that seals new data / computes blind indexes. kInvalidArgument if absent.
  Status SetActive(uint8_t id);
  Status SetIndex(uint8_t id);

  bool empty() const { return keys_.empty(); }
  uint8_t active_id() const { return active_id_; }
  uint8_t index_id() const { return index_id_; }
  std::vector<uint8_t> ids() const;
  // The key with `id`, or nullptr.
  const SecretKey* Find(uint8_t id) const;

 private:
  std::map<uint8_t, SecretKey> keys_;
  uint8_t active_id_ = 0;
  uint8_t index_id_ = 0;
};

// A public name for a master key, to tell whether two processes (two gongzhi nodes) hold the same
// key without either showing it: 16 bytes of BLAKE2b keyed with the key over a fixed label, as 32
// hex digits. Like a MAC, it reveals nothing of the key. REQUIRES: crypto::Initialize() is OK.
std::string KeyFingerprint(const SecretKey& key);

}  // namespace gz::crypto
