// ImageSanitizer: turns an uploaded photo into a new, plain image that is safe to store and serve.
//
// Layer: attachments domain. image_sanitizer.cc is the ONE translation unit that includes libvips
// (scripts/check-layering enforces it); nothing here exposes a libvips or GLib type.
//
// Sanitize(bytes, content type), in this order, cheapest refusal first:
//   1. size: empty -> 400 attachments/empty; over max_input_bytes -> 413 attachments/too-large;
//   2. the declared Content-Type must be image/jpeg, image/png or image/webp (415
//      attachments/unsupported-type), the bytes must be one of those (415 attachments/not-an-image
//      {detected}) and the same one (415 attachments/type-mismatch): a name or a header never
//      decides what a file is;
//   3. InspectImage (image_format.h) walks the container: truncated or malformed files, and
//      polyglots (an archive or markup inside or after the image), are refused (400);
//   4. the dimensions the header declares are checked against max_side and max_pixels BEFORE any
//      pixel is decoded (413 attachments/too-many-pixels): a 100000 x 100000 PNG of a few hundred
//      bytes never reaches the decoder. libvips then reads the header itself and must agree;
//   5. a decode slot: at most max_concurrent decodes run at once in the process; a caller waits
//      up to queue_wait for one, then gets 503 attachments/busy (a burst of uploads cannot take
//      all the memory or all the server's workers);
//   6. decode with libvips, failing on any error (truncated data included; for JPEG on any
//      libjpeg warning too, since each of them means damaged data), only with the
//      JPEG / PNG / WebP loaders (every other libvips loader is blocked process-wide), sequential
//      access, shrink-on-load for JPEG and WebP; downscale so the long side is at most
//      max_output_side; convert to 8-bit sRGB (through the embedded ICC profile when there is
//      one); apply the EXIF orientation to the pixels; drop every metadata field;
//   7. encode anew: PNG stays PNG (if it fits max_output_bytes), everything else becomes JPEG
//      (alpha flattened onto white). The result is inspected again and must carry no metadata
//      block at all (no EXIF, GPS, XMP, IPTC, ICC, comments, text chunks).
// libvips runs with one worker thread per pipeline and its operation cache off, so memory is
// bounded by max_concurrent x (the decoder's buffers + max_output_side^2 x 4 bytes).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "modules/attachments/image_format.h"

namespace gz::attachments {

struct SanitizerLimits {
  size_t max_input_bytes = 10u << 20;   // 10 MiB as uploaded
  int64_t max_side = 10000;             // pixels per side, as declared
  int64_t max_pixels = 40'000'000;      // width x height, as declared (40 megapixels)
  int max_output_side = 2048;           // the long side of what is stored and served
  size_t max_output_bytes = 8u << 20;   // what is stored
  int jpeg_quality = 85;
  int max_concurrent = 1;               // decodes at once in this process (1..64)
  std::chrono::milliseconds queue_wait{2000};
};

struct CleanImage {
  std::string bytes;  // the new file: no metadata of the upload survives in it
  ImageFormat format = ImageFormat::kJpeg;
  int width = 0;
  int height = 0;
};

class ImageSanitizer {
 public:
  explicit ImageSanitizer(SanitizerLimits limits = {});
  ~ImageSanitizer();
  ImageSanitizer(const ImageSanitizer&) = delete;
  ImageSanitizer& operator=(const ImageSanitizer&) = delete;

  // See the header comment for the steps and their errors. `content_type` is the request's
  // Content-Type header ("" when absent). Errors besides those: kInvalidArgument
  // "attachments/corrupt" {reason: "decode"} when libvips cannot decode the pixels, and
  // "attachments/cannot-reencode" when the result cannot be made to fit; kInternal if libvips
  // cannot start.
  Result<CleanImage> Sanitize(std::string_view bytes, std::string_view content_type) const;

  const SanitizerLimits& limits() const { return limits_; }

  // The names of the metadata fields libvips finds in an encoded image (EXIF tags as
  // "exif-ifd3-GPSLatitude", "xmp-data", "icc-profile-data", "orientation", "jpeg-comment",
  // "png-comment-0-Comment", ...; header fields like width are left out). For tests that read
  // served bytes back. Errors: "attachments/not-an-image", "attachments/corrupt".
  static Result<std::vector<std::string>> MetadataFields(std::string_view encoded);
  // What libvips reads from an encoded image's header, for the same tests.
  struct Header {
    int width = 0;
    int height = 0;
    int bands = 0;       // 1 grey, 3 colour, +1 with alpha
    bool eight_bit = false;
    std::string interpretation;  // libvips' name: "srgb", "b-w", "cmyk", ...
  };
  static Result<Header> ReadHeader(std::string_view encoded);

 private:
  class Slots;
  SanitizerLimits limits_;
  std::unique_ptr<Slots> slots_;
};

}  // namespace gz::attachments
