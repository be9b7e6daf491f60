// A QR code as inline SVG (libqrencode; the only file that includes qrencode.h).
//
// Layer: disclosure api.
#pragma once

#include <string>
#include <string_view>

namespace gz::disclosure {

// An <svg> drawing `text` (error correction level M, 4-module quiet zone, `size_mm` wide), or ""
// when the text cannot be encoded (too long).
std::string QrSvg(std::string_view text, int size_mm = 30);

}  // namespace gz::disclosure
