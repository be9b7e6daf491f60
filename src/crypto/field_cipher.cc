#include "crypto/field_cipher.h"

#include <sodium.h>

#include <map>
#include <new>
#include <optional>

#include "crypto/crypto.h"
#include "crypto/problems.h"
#include "crypto/sm_algorithms.h"

namespace gz::crypto {
namespace {

using internal::HmacSm3;
using internal::Sm4Ctr;

static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::kSize == crypto_kdf_KEYBYTES);
static_assert(kSealOverhead == 2 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kSealOverheadSm4 == 2 + internal::kSm4IvBytes + internal::kSm3Bytes);
static_assert(kSealOverhead <= kSealOverheadSm4);  // kSealOverhead is the smallest envelope
static_assert(kBlindIndexSize == 2 + crypto_generichash_BYTES);
static_assert(kBlindIndexSize == 2 + internal::kSm3Bytes);
static_assert(internal::kSm4KeyBytes >= crypto_kdf_BYTES_MIN && internal::kSm4KeyBytes <= SecretKey::kSize);

// crypto_kdf contexts (exactly 8 bytes) and subkey ids: changing any of them loses all data.
// The SM suite has its own context, so none of its keys can equal a key of the libsodium suite.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "gzfield1";
constexpr uint64_t kSubkeySeal = 1;
constexpr uint64_t kSubkeyIndex = 2;
constexpr char kKdfContextSm[crypto_kdf_CONTEXTBYTES + 1] = "gzsm4fd1";
constexpr uint64_t kSubkeySm4 = 1;
constexpr uint64_t kSubkeySm3Mac = 2;
constexpr uint64_t kSubkeySm3Index = 3;

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kIvBytes = internal::kSm4IvBytes;
constexpr size_t kTagBytes = internal::kSm3Bytes;

SecretKey Derive(const SecretKey& master, uint64_t subkey_id, const char* context,
                 size_t size = SecretKey::kSize) {
  SecretKey out;  // a 16-byte SM4 key uses the first half; the rest stays zero
  crypto_kdf_derive_from_key(out.data(), size, subkey_id, context, master.data());
  return out;
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
std::string_view S(const unsigned char* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

Status IntegrityFailure(const char* note) {
  return FailedPrecondition(std::string(problems::kIntegrityFailure), note);
}

Status UnknownAlgorithm(uint8_t alg, const char* note) {
  return FailedPrecondition(std::string(problems::kUnknownKey), note).With("algorithm", std::to_string(alg));
}

struct BigEndian64 {
  unsigned char b[8];
  explicit BigEndian64(uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) b[i] = static_cast<unsigned char>(v);
  }
  std::string_view view() const { return S(b, sizeof b); }
};

// header || IV || be64(len C) || C || be64(len AD) || AD: each variable part is preceded by its
// length, so two different (ciphertext, associated data) pairs never give the same MAC input.
bool Sm3Tag(const HmacSm3& mac, const unsigned char* header_and_iv, std::string_view ciphertext,
            std::string_view associated_data, unsigned char tag[kTagBytes]) {
  const BigEndian64 clen(ciphertext.size()), adlen(associated_data.size());
  return mac.Compute({S(header_and_iv, 2 + kIvBytes), clen.view(), ciphertext, adlen.view(), associated_data}, tag);
}

uint8_t AlgorithmOf(CipherSuite suite) {
  return suite == CipherSuite::kSm4CtrHmacSm3 ? kAlgSm4CtrHmacSm3 : kAlgXChaCha20Poly1305;
}

// The envelope size without plaintext for a known algorithm byte, 0 for an unknown one.
size_t OverheadOf(uint8_t alg) {
  if (alg == kAlgXChaCha20Poly1305) return kSealOverhead;
  if (alg == kAlgSm4CtrHmacSm3) return kSealOverheadSm4;
  return 0;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (AsciiLower(a[i]) != b[i]) return false;
  return true;
}

Status UnknownName(std::string_view name, const char* expected) {
  return InvalidArgument(std::string(problems::kUnknownCipherSuite), expected).With("value", std::string(name));
}

}  // namespace

Result<CipherSuite> ParseCipherSuite(std::string_view name) {
  for (CipherSuite s : {CipherSuite::kXChaCha20Poly1305, CipherSuite::kSm4CtrHmacSm3})
    if (EqualsIgnoringCase(name, CipherSuiteName(s))) return s;
  return UnknownName(name, "expected xchacha20-poly1305 or sm4-ctr-hmac-sm3");
}

std::string_view CipherSuiteName(CipherSuite suite) {
  return suite == CipherSuite::kSm4CtrHmacSm3 ? "sm4-ctr-hmac-sm3" : "xchacha20-poly1305";
}

Result<IndexAlgorithm> ParseIndexAlgorithm(std::string_view name) {
  for (IndexAlgorithm a : {IndexAlgorithm::kBlake2b256, IndexAlgorithm::kHmacSm3})
    if (EqualsIgnoringCase(name, IndexAlgorithmName(a))) return a;
  return UnknownName(name, "expected blake2b-256 or hmac-sm3");
}

std::string_view IndexAlgorithmName(IndexAlgorithm algorithm) {
  return algorithm == IndexAlgorithm::kHmacSm3 ? "hmac-sm3" : "blake2b-256";
}

struct FieldCipher::Keys {
  struct PerKey {
    SecretKey xchacha;
    SecretKey sm4;                  // first kSm4KeyBytes bytes
    std::optional<HmacSm3> sm3_mac;  // empty when SM is not available
  };
  std::map<uint8_t, PerKey> by_id;
  std::optional<Sm4Ctr> sm4;  // empty when this OpenSSL has no usable SM4/SM3
  SecretKey index_blake2b;
  std::optional<HmacSm3> index_sm3;
  CipherSuite suite = CipherSuite::kXChaCha20Poly1305;
  IndexAlgorithm index_algorithm = IndexAlgorithm::kBlake2b256;
  uint8_t active_id = 0;
  uint8_t index_id = 0;

  // Fills the SM half from `ring`; on failure leaves it empty and says why.
  Status DeriveSm(const KeyRing& ring);
};

Status FieldCipher::Keys::DeriveSm(const KeyRing& ring) {
  Result<Sm4Ctr> fetched = Sm4Ctr::Fetch();
  if (!fetched.ok()) return fetched.status();
  Status status = Status::Ok();
  for (auto& [id, k] : by_id) {
    const SecretKey& master = *ring.Find(id);
    k.sm4 = Derive(master, kSubkeySm4, kKdfContextSm, internal::kSm4KeyBytes);
    SecretKey mac_key = Derive(master, kSubkeySm3Mac, kKdfContextSm);
    Result<HmacSm3> mac = HmacSm3::Create(mac_key.data(), mac_key.size());
    if (!mac.ok()) {
      status = mac.status();
      break;
    }
    k.sm3_mac.emplace(std::move(mac).value());
  }
  if (status.ok()) {
    SecretKey index_key = Derive(*ring.Find(ring.index_id()), kSubkeySm3Index, kKdfContextSm);
    Result<HmacSm3> index = HmacSm3::Create(index_key.data(), index_key.size());
    if (index.ok()) index_sm3.emplace(std::move(index).value());
    else status = index.status();
  }
  if (!status.ok()) {
    for (auto& [id, k] : by_id) k.sm3_mac.reset();
    return status;
  }
  sm4.emplace(std::move(fetched).value());
  return Status::Ok();
}

FieldCipher::FieldCipher(std::unique_ptr<Keys> keys) : keys_(std::move(keys)) {}
FieldCipher::FieldCipher(FieldCipher&&) noexcept = default;
FieldCipher& FieldCipher::operator=(FieldCipher&&) noexcept = default;
FieldCipher::~FieldCipher() = default;  // SecretKey destructors wipe; OpenSSL cleanses its contexts

Result<FieldCipher> FieldCipher::Create(const KeyRing& ring, CipherSuite suite, IndexAlgorithm index) {
  GZ_RETURN_IF_ERROR(Initialize());
  if (ring.empty() || !ring.Find(ring.active_id()) || !ring.Find(ring.index_id()))
    return FailedPrecondition(std::string(problems::kKeyFileMalformed), "empty key ring");
  auto keys = std::make_unique<Keys>();
  for (uint8_t id : ring.ids()) keys->by_id[id].xchacha = Derive(*ring.Find(id), kSubkeySeal, kKdfContext);
  keys->index_blake2b = Derive(*ring.Find(ring.index_id()), kSubkeyIndex, kKdfContext);
  keys->suite = suite;
  keys->index_algorithm = index;
  keys->active_id = ring.active_id();
  keys->index_id = ring.index_id();

  Status sm = keys->DeriveSm(ring);
  // Without SM support the default suite still works; only 0x02 envelopes cannot be opened.
  if (!sm.ok() && (suite == CipherSuite::kSm4CtrHmacSm3 || index == IndexAlgorithm::kHmacSm3)) return sm;
  return FieldCipher(std::move(keys));
}

std::string FieldCipher::Seal(std::string_view plaintext, std::string_view associated_data) const {
  const Keys::PerKey& key = keys_->by_id.at(keys_->active_id);
  if (keys_->suite == CipherSuite::kSm4CtrHmacSm3) {
    std::string out(kSealOverheadSm4 + plaintext.size(), '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    p[0] = kAlgSm4CtrHmacSm3;
    p[1] = keys_->active_id;
    unsigned char* iv = p + 2;
    unsigned char* c = iv + kIvBytes;
    // A random 128-bit IV is the whole initial counter block: two fields overlap in keystream
    // only if their counter ranges collide, which random starts make negligible at any volume.
    randombytes_buf(iv, kIvBytes);
    if (!keys_->sm4->Apply(key.sm4.data(), iv, U(plaintext), plaintext.size(), c) ||
        !Sm3Tag(*key.sm3_mac, p, S(c, plaintext.size()), associated_data, c + plaintext.size())) {
      throw std::bad_alloc();
    }
    return out;
  }

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
                                             ad.size(), nullptr, nonce, key.xchacha.data());
  out.resize(2 + kNonceBytes + clen);
  return out;
}

Result<std::string> FieldCipher::Open(std::string_view sealed, std::string_view associated_data) const {
  // Shorter than any envelope: not one of ours, whatever its first byte says.
  if (sealed.size() < kSealOverhead) return IntegrityFailure("sealed field too short");
  const auto* p = U(sealed);
  const uint8_t alg = p[0];
  if (alg != kAlgXChaCha20Poly1305 && alg != kAlgSm4CtrHmacSm3)
    return UnknownAlgorithm(alg, "algorithm not implemented in this build");
  if (sealed.size() < OverheadOf(alg)) return IntegrityFailure("sealed field too short");
  auto key = keys_->by_id.find(p[1]);
  if (key == keys_->by_id.end())
    return FailedPrecondition(std::string(problems::kUnknownKey)).With("key_id", std::to_string(p[1]));

  if (alg == kAlgSm4CtrHmacSm3) {
    if (!keys_->sm4) return UnknownAlgorithm(alg, "this OpenSSL has no usable SM4-CTR/HMAC-SM3");
    const size_t clen = sealed.size() - kSealOverheadSm4;
    const unsigned char* iv = p + 2;
    const unsigned char* c = iv + kIvBytes;
    unsigned char tag[kTagBytes];
    if (!Sm3Tag(*key->second.sm3_mac, p, S(c, clen), associated_data, tag))
      return Internal("HMAC-SM3 failed");
    // Encrypt-then-MAC: nothing is decrypted before the tag matches, compared in constant time.
    if (sodium_memcmp(tag, c + clen, kTagBytes) != 0)
      return IntegrityFailure("authentication failed: altered, or sealed for another row or column");
    std::string out(clen, '\0');
    if (!keys_->sm4->Apply(key->second.sm4.data(), iv, c, clen, reinterpret_cast<unsigned char*>(out.data())))
      return Internal("SM4-CTR failed");
    return out;
  }

  std::string ad(sealed.substr(0, 2));
  ad.append(associated_data);
  const unsigned char* nonce = p + 2;
  const unsigned char* c = p + 2 + kNonceBytes;
  const size_t clen = sealed.size() - 2 - kNonceBytes;
  std::string out(clen - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, c,
                                                 clen, U(ad), ad.size(), nonce, key->second.xchacha.data()) != 0) {
    return IntegrityFailure("authentication failed: altered, or sealed for another row or column");
  }
  out.resize(mlen);
  return out;
}

std::string FieldCipher::BlindIndex(std::string_view domain, std::string_view normalized_value) const {
  std::string out(kBlindIndexSize, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[1] = keys_->index_id;
  const unsigned char sep = 0;  // domain and value cannot run into each other
  if (keys_->index_algorithm == IndexAlgorithm::kHmacSm3) {
    p[0] = kIndexHmacSm3;
    if (!keys_->index_sm3->Compute({domain, S(&sep, 1), normalized_value}, p + 2)) throw std::bad_alloc();
    return out;
  }
  p[0] = kIndexBlake2b256;
  crypto_generichash_state st;
  crypto_generichash_init(&st, keys_->index_blake2b.data(), keys_->index_blake2b.size(), crypto_generichash_BYTES);
  crypto_generichash_update(&st, U(domain), domain.size());
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, U(normalized_value), normalized_value.size());
  crypto_generichash_final(&st, p + 2, crypto_generichash_BYTES);
  sodium_memzero(&st, sizeof st);
  return out;
}

bool FieldCipher::NeedsReseal(std::string_view sealed) const {
  if (sealed.size() < kSealOverhead) return false;
  const uint8_t alg = static_cast<uint8_t>(sealed[0]);
  const size_t overhead = OverheadOf(alg);
  if (overhead == 0 || sealed.size() < overhead) return false;
  return alg != AlgorithmOf(keys_->suite) || static_cast<uint8_t>(sealed[1]) != keys_->active_id;
}

CipherSuite FieldCipher::suite() const { return keys_->suite; }
IndexAlgorithm FieldCipher::index_algorithm() const { return keys_->index_algorithm; }
uint8_t FieldCipher::active_key_id() const { return keys_->active_id; }
uint8_t FieldCipher::index_key_id() const { return keys_->index_id; }

}  // namespace gz::crypto
