#include "modules/identity/totp.h"

#include "crypto/secrets.h"

namespace gz::identity {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

bool SixDigits(std::string_view code) {
  if (code.size() != static_cast<size_t>(kTotpDigits)) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
std::string UriComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

int64_t TotpStep(int64_t unix_ms) {
  int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
  return seconds >= 0 ? seconds / kTotpStepSeconds : -((-seconds + kTotpStepSeconds - 1) / kTotpStepSeconds);
}

std::string Hotp(std::string_view key, int64_t counter, int digits) {
  std::string message(8, '\0');
  uint64_t c = static_cast<uint64_t>(counter);
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<char>(c & 0xff);
    c >>= 8;
  }
  std::string mac = crypto::HmacSha1(key, message);
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(mac[i])); };
  size_t offset = byte(mac.size() - 1) & 0x0f;
  uint32_t binary = ((byte(offset) & 0x7f) << 24) | (byte(offset + 1) << 16) | (byte(offset + 2) << 8) | byte(offset + 3);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string out = std::to_string(binary % modulus);
  if (out.size() < static_cast<size_t>(digits)) out.insert(0, static_cast<size_t>(digits) - out.size(), '0');
  return out;
}

std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code, int64_t unix_ms,
                                  int64_t last_used_step) {
  if (!SixDigits(code) || key.empty()) return std::nullopt;
  const int64_t now = TotpStep(unix_ms);
  std::optional<int64_t> match;
  // Every candidate is computed and compared, so the time taken does not say which one matched.
  for (int64_t step = now - 1; step <= now + 1; ++step) {
    bool equal = crypto::ConstantTimeEquals(Hotp(key, step), code);
    if (equal && step > last_used_step && !match) match = step;
  }
  return match;
}

std::string OtpauthUri(std::string_view label, std::string_view secret_base32) {
  std::string uri = "otpauth://totp/gongzhi:";
  uri += UriComponent(label);
  uri += "?secret=";
  uri += secret_base32;
  uri += "&issuer=gongzhi&algorithm=SHA1&digits=6&period=30";
  return uri;
}

}  // namespace gz::identity
