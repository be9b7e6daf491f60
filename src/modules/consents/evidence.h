// Evidence of an in-person consent: a photo of the signed or thumbprinted form.
//
// Layer: consents domain. The image arrives base64-encoded in a JSON body; it is accepted only if
// its first bytes are those of a JPEG or a PNG (the declared type is never trusted), it is at
// most kMaxEvidenceBytes, and it is then sealed (crypto::FieldCipher) in its own table, while the
// consent record keeps its SHA-256 so that the two can be checked against each other.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gz::consents {

// Strict RFC 4648 base64 (standard alphabet, '=' padding required, no whitespace, no data: URL
// prefix). nullopt for anything else, and for input that would decode past `max_bytes` (checked
// before decoding, so a huge input costs nothing).
std::optional<std::string> DecodeBase64(std::string_view text, size_t max_bytes);
std::string EncodeBase64(std::string_view bytes);

// "image/jpeg" (FF D8 FF), "image/png" (the 8-byte PNG signature followed by an IHDR chunk), or
// nullopt.
std::optional<std::string_view> SniffImage(std::string_view bytes);

// Decodes and checks an evidence image; returns its bytes. Errors:
//   kInvalidArgument "consents/bad-evidence" {reason: not-base64, empty, not-jpeg-or-png};
//   kTooLarge "consents/evidence-too-large" {limit}.
Result<std::string> DecodeEvidenceImage(std::string_view base64);

}  // namespace gz::consents
