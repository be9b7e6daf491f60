// Layer: tlog (see note.h).
#include "tlog/note.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstring>
#include <memory>

namespace gz::tlog {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kEmDash = "\xE2\x80\x94";
constexpr size_t kMaxSignatures = 100;

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

Status MalformedNote(std::string note) { return InvalidArgument("tlog/malformed-note", std::move(note)); }
Status BadKey(std::string note) { return InvalidArgument("tlog/bad-key", std::move(note)); }

// Valid UTF-8, and no Unicode white space when `no_space` (the spaces Go's unicode.IsSpace knows).
bool CheckUtf8(std::string_view s, bool no_space) {
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = static_cast<uint8_t>(s[i]);
    uint32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      uint8_t cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    if (no_space && (cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
                     (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
                     cp == 0x205F || cp == 0x3000))
      return false;
    i += len;
  }
  return true;
}

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

bool ParseHex8(std::string_view s, uint32_t* out) {
  if (s.size() != 8) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + 8, *out, 16);
  return ec == std::errc() && p == s.data() + 8;
}

Result<std::string> PublicFromSeed(std::string_view seed) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  if (!key) return BadKey("not an Ed25519 seed");
  unsigned char pub[32];
  size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(key.get(), pub, &len) != 1 || len != 32) return Internal("Ed25519 public key");
  return std::string(reinterpret_cast<char*>(pub), 32);
}

Result<std::string> Ed25519Sign(std::string_view seed, std::string_view message) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!key || !ctx) return Internal("Ed25519 key");
  unsigned char sig[64];
  size_t len = sizeof sig;
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != 64)
    return Internal("Ed25519 signing failed");
  return std::string(reinterpret_cast<char*>(sig), 64);
}

bool Ed25519Verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()), public_key.size()));
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!key || !ctx || signature.size() != 64) return false;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), 64,
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

// Text rules shared by signing and opening: valid UTF-8, no control byte but '\n'.
bool ValidNoteBytes(std::string_view s) {
  for (char c : s)
    if (static_cast<uint8_t>(c) < 0x20 && c != '\n') return false;
  return CheckUtf8(s, false);
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    int v[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4 - pad; ++k) {
      v[k] = value(text[i + k]);
      if (v[k] < 0) return std::nullopt;
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
    // Non-zero bits under the padding would make a second spelling of the same bytes.
    if ((pad == 1 && (v[2] & 3) != 0) || (pad == 2 && (v[1] & 15) != 0)) return std::nullopt;
  }
  return out;
}

bool ValidKeyName(std::string_view name) {
  return !name.empty() && name.find('+') == std::string_view::npos && ValidNoteBytes(name) &&
         name.find('\n') == std::string_view::npos && CheckUtf8(name, true);
}

uint32_t Ed25519KeyId(std::string_view name, std::string_view public_key) {
  std::string buf(name);
  buf += '\n';
  buf += '\x01';
  buf += public_key;
  Hash h = Sha256(buf);
  return (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | uint32_t{h[3]};
}

Result<SignerKey> GenerateSignerKey(std::string_view name) {
  if (!ValidKeyName(name)) return InvalidArgument("tlog/bad-key-name");
  unsigned char seed[32];
  if (RAND_bytes(seed, sizeof seed) != 1) return Internal("RAND_bytes failed");
  SignerKey key;
  key.name = std::string(name);
  key.seed.assign(reinterpret_cast<char*>(seed), 32);
  OPENSSL_cleanse(seed, sizeof seed);
  GZ_ASSIGN_OR_RETURN(key.public_key, PublicFromSeed(key.seed));
  key.id = Ed25519KeyId(key.name, key.public_key);
  return key;
}

Result<SignerKey> ParseSignerKey(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!text.starts_with(kPrefix)) return BadKey("no PRIVATE+KEY+ prefix");
  text.remove_prefix(kPrefix.size());
  size_t p1 = text.find('+');
  if (p1 == std::string_view::npos) return BadKey("no key id");
  size_t p2 = text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return BadKey("no key");
  SignerKey key;
  key.name = std::string(text.substr(0, p1));
  if (!ValidKeyName(key.name)) return BadKey("bad name");
  if (!ParseHex8(text.substr(p1 + 1, p2 - p1 - 1), &key.id)) return BadKey("bad key id");
  std::optional<std::string> raw = Base64Decode(text.substr(p2 + 1));
  if (!raw || raw->size() != 33 || (*raw)[0] != '\x01') return BadKey("not an Ed25519 key");
  key.seed = raw->substr(1);
  GZ_ASSIGN_OR_RETURN(key.public_key, PublicFromSeed(key.seed));
  if (Ed25519KeyId(key.name, key.public_key) != key.id) return BadKey("key id does not match the key");
  return key;
}

std::string FormatSignerKey(const SignerKey& key) {
  return "PRIVATE+KEY+" + key.name + "+" + Hex8(key.id) + "+" + Base64Encode("\x01" + key.seed);
}

Result<VerifierKey> ParseVerifierKey(std::string_view text) {
  size_t p1 = text.find('+');
  if (p1 == std::string_view::npos) return BadKey("no key id");
  size_t p2 = text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return BadKey("no key");
  VerifierKey key;
  key.name = std::string(text.substr(0, p1));
  if (!ValidKeyName(key.name)) return BadKey("bad name");
  if (!ParseHex8(text.substr(p1 + 1, p2 - p1 - 1), &key.id)) return BadKey("bad key id");
  std::optional<std::string> raw = Base64Decode(text.substr(p2 + 1));
  if (!raw || raw->size() != 33 || (*raw)[0] != '\x01') return BadKey("not an Ed25519 key");
  key.public_key = raw->substr(1);
  if (Ed25519KeyId(key.name, key.public_key) != key.id) return BadKey("key id does not match the key");
  return key;
}

std::string FormatVerifierKey(const VerifierKey& key) {
  return key.name + "+" + Hex8(key.id) + "+" + Base64Encode("\x01" + key.public_key);
}

VerifierKey VerifierOf(const SignerKey& key) { return VerifierKey{key.name, key.id, key.public_key}; }

Result<std::string> SignNote(std::string_view text, const SignerKey& key) {
  if (text.empty() || text.back() != '\n' || !ValidNoteBytes(text)) return MalformedNote("bad note text");
  if (text.find("\n\n") != std::string_view::npos) {
    // Allowed by C2SP, but our checkpoints never have it; keep the split unambiguous.
    return MalformedNote("empty line in note text");
  }
  GZ_ASSIGN_OR_RETURN(std::string sig, Ed25519Sign(key.seed, text));
  std::string blob;
  blob += static_cast<char>(key.id >> 24);
  blob += static_cast<char>((key.id >> 16) & 0xff);
  blob += static_cast<char>((key.id >> 8) & 0xff);
  blob += static_cast<char>(key.id & 0xff);
  blob += sig;
  std::string out(text);
  out += '\n';
  out += kEmDash;
  out += ' ';
  out += key.name;
  out += ' ';
  out += Base64Encode(blob);
  out += '\n';
  return out;
}

Result<std::string> OpenNote(std::string_view note, const std::vector<VerifierKey>& trusted) {
  if (!ValidNoteBytes(note)) return MalformedNote("control bytes or invalid UTF-8");
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return MalformedNote("no signature block");
  std::string_view text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return MalformedNote("signature block must end with a newline");
  bool verified = false;
  size_t count = 0;
  while (!sigs.empty()) {
    size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (++count > kMaxSignatures) return MalformedNote("too many signatures");
    if (!line.starts_with(kEmDash) || line.size() < kEmDash.size() + 1 || line[kEmDash.size()] != ' ')
      return MalformedNote("bad signature line");
    line.remove_prefix(kEmDash.size() + 1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return MalformedNote("bad signature line");
    std::string_view name = line.substr(0, space);
    std::optional<std::string> blob = Base64Decode(line.substr(space + 1));
    if (!ValidKeyName(name) || !blob || blob->size() < 5) return MalformedNote("bad signature line");
    uint32_t id = (uint32_t{static_cast<uint8_t>((*blob)[0])} << 24) |
                  (uint32_t{static_cast<uint8_t>((*blob)[1])} << 16) |
                  (uint32_t{static_cast<uint8_t>((*blob)[2])} << 8) | uint32_t{static_cast<uint8_t>((*blob)[3])};
    for (const VerifierKey& key : trusted) {
      if (key.name != name || key.id != id) continue;
      if (!Ed25519Verify(key.public_key, text, std::string_view(*blob).substr(4)))
        return InvalidArgument("tlog/bad-signature", "a trusted key's signature does not verify");
      verified = true;
    }
  }
  if (!verified) return InvalidArgument("tlog/unverified-note", "no signature from a trusted key");
  return std::string(text);
}

std::string FormatCheckpoint(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(HashBytes(c.root)) + "\n";
  for (const std::string& e : c.extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  auto bad = [](std::string why) { return InvalidArgument("tlog/malformed-checkpoint", std::move(why)); };
  if (text.empty() || text.back() != '\n') return bad("no final newline");
  std::vector<std::string_view> lines;
  std::string_view rest = text.substr(0, text.size() - 1);
  while (true) {
    size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return bad("fewer than three lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return bad("empty origin");
  std::string_view size = lines[1];
  if (size.empty() || size.size() > 18 || (size.size() > 1 && size[0] == '0')) return bad("bad size");
  for (char ch : size)
    if (ch < '0' || ch > '9') return bad("bad size");
  std::from_chars(size.data(), size.data() + size.size(), c.size);
  std::optional<std::string> root = Base64Decode(lines[2]);
  if (!root || root->size() != 32) return bad("bad root hash");
  std::memcpy(c.root.data(), root->data(), 32);
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return bad("empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace gz::tlog
