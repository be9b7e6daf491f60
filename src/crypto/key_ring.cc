#include "crypto/key_ring.h"

#include <sodium.h>

#include <cstring>

#include "crypto/problems.h"

namespace gz::crypto {

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

SecretKey SecretKey::Random() {
  SecretKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

KeyRing KeyRing::Generate() {
  KeyRing ring;
  (void)ring.Add(1, SecretKey::Random());  // cannot fail: empty ring, id 1
  return ring;
}

Status KeyRing::Add(uint8_t id, SecretKey key) {
  if (id == 0) return InvalidArgument(std::string(problems::kKeyFileMalformed), "key id 0 is reserved");
  if (keys_.count(id)) {
    return InvalidArgument(std::string(problems::kKeyFileMalformed), "duplicate key id")
        .With("key_id", std::to_string(id));
  }
  keys_.emplace(id, std::move(key));
  if (active_id_ == 0) active_id_ = id;
  if (index_id_ == 0) index_id_ = id;
  return Status::Ok();
}

Status KeyRing::SetActive(uint8_t id) {
  if (!Find(id)) return InvalidArgument(std::string(problems::kUnknownKey)).With("key_id", std::to_string(id));
  active_id_ = id;
  return Status::Ok();
}

Status KeyRing::SetIndex(uint8_t id) {
  if (!Find(id)) return InvalidArgument(std::string(problems::kUnknownKey)).With("key_id", std::to_string(id));
  index_id_ = id;
  return Status::Ok();
}

std::vector<uint8_t> KeyRing::ids() const {
  std::vector<uint8_t> out;
  for (const auto& [id, key] : keys_) out.push_back(id);
  return out;
}

const SecretKey* KeyRing::Find(uint8_t id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

std::string KeyFingerprint(const SecretKey& key) {
  static constexpr char kLabel[] = "gongzhi field key fingerprint v1";
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1, key.data(),
                     key.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : out) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

}  // namespace gz::crypto
