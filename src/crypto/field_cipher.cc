#include "crypto/field_cipher.h"

#include <sodium.h>

#include <map>

#include "crypto/crypto.h"
#include "crypto/problems.h"

namespace gz::crypto {
namespace {

static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::kSize == crypto_kdf_KEYBYTES);
static_assert(kSealOverhead == 2 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kBlindIndexSize == 2 + crypto_generichash_BYTES);

// crypto_kdf context (exactly 8 bytes) and subkey ids: changing any of them loses all data.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "gzfield1";
constexpr uint64_t kSubkeySeal = 1;
constexpr uint64_t kSubkeyIndex = 2;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

SecretKey Derive(const SecretKey& master, uint64_t subkey_id) {
  SecretKey out;
  crypto_kdf_derive_from_key(out.data(), out.size(), subkey_id, kKdfContext, master.data());
  return out;
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Status IntegrityFailure(const char* note) {
  return FailedPrecondition(std::string(problems::kIntegrityFailure), note);
}

}  // namespace

struct FieldCipher::Keys {
  std::map<uint8_t, SecretKey> seal;  // by key id
  SecretKey index;
  uint8_t active_id = 0;
  uint8_t index_id = 0;
};

FieldCipher::FieldCipher(std::unique_ptr<Keys> keys) : keys_(std::move(keys)) {}
FieldCipher::FieldCipher(FieldCipher&&) noexcept = default;
FieldCipher& FieldCipher::operator=(FieldCipher&&) noexcept = default;
FieldCipher::~FieldCipher() = default;  // SecretKey destructors wipe

Result<FieldCipher> FieldCipher::Create(const KeyRing& ring) {
  GZ_RETURN_IF_ERROR(Initialize());
  if (ring.empty() || !ring.Find(ring.active_id()) || !ring.Find(ring.index_id()))
    return FailedPrecondition(std::string(problems::kKeyFileMalformed), "empty key ring");
  auto keys = std::make_unique<Keys>();
  for (uint8_t id : ring.ids()) keys->seal.emplace(id, Derive(*ring.Find(id), kSubkeySeal));
  keys->index = Derive(*ring.Find(ring.index_id()), kSubkeyIndex);
  keys->active_id = ring.active_id();
  keys->index_id = ring.index_id();
  return FieldCipher(std::move(keys));
}

std::string FieldCipher::Seal(std::string_view plaintext, std::string_view associated_data) const {
  const unsigned char header[2] = {kAlgXChaCha20Poly1305, keys_->active_id};
  std::string ad(reinterpret_cast<const char*>(header), 2);
  ad.append(associated_data);

  std::string out(kSealOverhead + plaintext.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = header[0];
  p[1] = header[1];
  unsigned char* nonce = p + 2;
  randombytes_buf(nonce, kNonceBytes);  // 192-bit random nonces: collisions are not a concern
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(p + 2 + kNonceBytes, &clen, U(plaintext), plaintext.size(), U(ad),
                                             ad.size(), nullptr, nonce, keys_->seal.at(keys_->active_id).data());
  out.resize(2 + kNonceBytes + clen);
  return out;
}

Result<std::string> FieldCipher::Open(std::string_view sealed, std::string_view associated_data) const {
  if (sealed.size() < kSealOverhead) return IntegrityFailure("sealed field too short");
  const auto* p = U(sealed);
  if (p[0] != kAlgXChaCha20Poly1305) {
    return FailedPrecondition(std::string(problems::kUnknownKey), "algorithm not implemented in this build")
        .With("algorithm", std::to_string(p[0]));
  }
  auto key = keys_->seal.find(p[1]);
  if (key == keys_->seal.end())
    return FailedPrecondition(std::string(problems::kUnknownKey)).With("key_id", std::to_string(p[1]));

  std::string ad(sealed.substr(0, 2));
  ad.append(associated_data);
  const unsigned char* nonce = p + 2;
  const unsigned char* c = p + 2 + kNonceBytes;
  const size_t clen = sealed.size() - 2 - kNonceBytes;
  std::string out(clen - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, c,
                                                 clen, U(ad), ad.size(), nonce, key->second.data()) != 0) {
    return IntegrityFailure("authentication failed: altered, or sealed for another row or column");
  }
  out.resize(mlen);
  return out;
}

std::string FieldCipher::BlindIndex(std::string_view domain, std::string_view normalized_value) const {
  std::string out(kBlindIndexSize, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = kIndexBlake2b256;
  p[1] = keys_->index_id;
  crypto_generichash_state st;
  crypto_generichash_init(&st, keys_->index.data(), keys_->index.size(), crypto_generichash_BYTES);
  crypto_generichash_update(&st, U(domain), domain.size());
  const unsigned char sep = 0;  // domain and value cannot run into each other
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, U(normalized_value), normalized_value.size());
  crypto_generichash_final(&st, p + 2, crypto_generichash_BYTES);
  sodium_memzero(&st, sizeof st);
  return out;
}

bool FieldCipher::NeedsReseal(std::string_view sealed) const {
  if (sealed.size() < kSealOverhead) return false;
  return static_cast<uint8_t>(sealed[0]) != kAlgXChaCha20Poly1305 || static_cast<uint8_t>(sealed[1]) != keys_->active_id;
}

uint8_t FieldCipher::active_key_id() const { return keys_->active_id; }
uint8_t FieldCipher::index_key_id() const { return keys_->index_id; }

}  // namespace gz::crypto
