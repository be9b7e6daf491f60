// Layer: disclosure api (see qr_svg.h).
#include "modules/disclosure/api/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace gz::disclosure {

std::string QrSvg(std::string_view text, int size_mm) {
  if (text.empty() || text.size() > 1000) return "";
  const std::string data(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return "";
  const int width = code->width;
  const int quiet = 4;
  const int total = width + 2 * quiet;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each byte is the module's colour (1 = dark), per qrencode.h.
      if (code->data[y * width + x] & 1)
        path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    }
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"QR\" width=\"" +
         std::to_string(size_mm) + "mm\" height=\"" + std::to_string(size_mm) + "mm\" viewBox=\"0 0 " +
         std::to_string(total) + " " + std::to_string(total) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" +
         path + "\"/></svg>";
}

}  // namespace gz::disclosure
