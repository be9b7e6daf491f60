// Layer: consents domain (see evidence.h).
#include "modules/consents/evidence.h"

#include <array>
#include <cstdint>

#include "modules/consents/consent.h"
#include "modules/consents/problems.h"

namespace gz::consents {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

Status BadEvidence(std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadEvidence)).With("reason", std::string(reason));
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text, size_t max_bytes) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  const size_t decoded = text.size() / 4 * 3 - padding;
  if (decoded > max_bytes) return std::nullopt;
  std::string out;
  out.reserve(decoded);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      int8_t v = kDecode[static_cast<unsigned char>(c)];
      if (c == '=' && last && j >= 4 - padding) v = 0;
      else if (v < 0) return std::nullopt;
      group = group << 6 | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<char>(group >> 16));
    if (!last || padding < 2) out.push_back(static_cast<char>(group >> 8 & 0xFF));
    if (!last || padding < 1) out.push_back(static_cast<char>(group & 0xFF));
    // Non-canonical encodings (bits set under the padding) are refused, so that one image has one
    // encoding.
    if (last && padding == 1 && (group & 0xFF) != 0) return std::nullopt;
    if (last && padding == 2 && (group & 0xFFFF) != 0) return std::nullopt;
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(kAlphabet[group >> 18 & 63]);
    out.push_back(kAlphabet[group >> 12 & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[group >> 6 & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[group & 63] : '=');
  }
  return out;
}

std::optional<std::string_view> SniffImage(std::string_view bytes) {
  constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
  if (bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xD8 &&
      static_cast<unsigned char>(bytes[2]) == 0xFF)
    return "image/jpeg";
  // The signature, then the first chunk, which must be IHDR (length 13).
  if (bytes.size() >= 16 && bytes.substr(0, 8) == kPngSignature && bytes.substr(8, 4) == std::string_view("\0\0\0\x0d", 4) &&
      bytes.substr(12, 4) == "IHDR")
    return "image/png";
  return std::nullopt;
}

Result<std::string> DecodeEvidenceImage(std::string_view base64) {
  if (base64.empty()) return BadEvidence("empty");
  if (base64.size() % 4 != 0) return BadEvidence("not-base64");
  // Whether it is too large is known from the length alone: say so rather than "not base64".
  const size_t padding = (base64.back() == '=') + (base64[base64.size() - 2] == '=');
  if (base64.size() / 4 * 3 - padding > kMaxEvidenceBytes)
    return TooLarge(std::string(problems::kEvidenceTooLarge)).With("limit", std::to_string(kMaxEvidenceBytes));
  std::optional<std::string> bytes = DecodeBase64(base64, kMaxEvidenceBytes);
  if (!bytes) return BadEvidence("not-base64");
  if (bytes->empty()) return BadEvidence("empty");
  if (!SniffImage(*bytes)) return BadEvidence("not-jpeg-or-png");
  return std::move(*bytes);
}

}  // namespace gz::consents
