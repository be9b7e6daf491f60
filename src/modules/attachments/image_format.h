// What an uploaded file is, decided by its bytes alone, and what its container declares, read
// before anything is decoded.
//
// Layer: attachments domain (no image library: a walk over the container's structure, so that a
// file is judged before libvips sees it, and tests can check served bytes with a second,
// independent reader).
//
// InspectImage walks the whole container:
//   JPEG  SOI, segments (length-checked), the entropy-coded data of each scan, up to EOI; exactly
//         one frame header (SOF), which gives the dimensions;
//   PNG   the signature, then chunks (length-checked, CRC-32 verified) from IHDR (dimensions) to
//         IEND;
//   WebP  the RIFF header (its size must fit the file), then chunks: VP8 / VP8L / VP8X give the
//         (canvas) dimensions.
// A file cut short anywhere is "truncated". After the image's end, other data is allowed (phones
// append motion-photo videos and maker trailers; re-encoding drops it) unless it is an archive
// or markup: a JPEG followed by a ZIP, a PNG followed by an HTML page (polyglots). Text-bearing
// metadata (JPEG APPn / COM, PNG tEXt / iTXt, WebP EXIF / XMP) holding markup or an archive is
// refused the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::attachments {

enum class ImageFormat { kJpeg, kPng, kWebp };

std::string_view FormatCode(ImageFormat format);       // "jpeg" | "png" | "webp"
std::string_view FormatMediaType(ImageFormat format);  // "image/jpeg" | "image/png" | "image/webp"
std::string_view FormatExtension(ImageFormat format);  // "jpg" | "png" | "webp"
std::optional<ImageFormat> ParseFormatCode(std::string_view code);

// The format a Content-Type names: image/jpeg (also image/jpg, image/pjpeg), image/png,
// image/webp; parameters and ASCII case ignored. nullopt for anything else, empty included.
std::optional<ImageFormat> FormatOfMediaType(std::string_view content_type);

// What the first bytes say a file is: "jpeg", "png", "webp" (the accepted ones), or "gif",
// "bmp", "tiff", "heif", "ico", "pdf", "zip", "gzip", "svg", "html", "xml", "empty", "unknown".
std::string_view SniffKind(std::string_view bytes);

// Names of metadata blocks a container holds (for tests and logs: never their content).
inline constexpr std::string_view kMetaExif = "exif";
inline constexpr std::string_view kMetaXmp = "xmp";
inline constexpr std::string_view kMetaIcc = "icc";
inline constexpr std::string_view kMetaIptc = "iptc";
inline constexpr std::string_view kMetaComment = "comment";  // JPEG COM
inline constexpr std::string_view kMetaText = "text";        // PNG tEXt / zTXt / iTXt
inline constexpr std::string_view kMetaOther = "other";      // JPEG APPn other than JFIF/Exif/XMP/ICC/IPTC

struct ImageInspection {
  ImageFormat format = ImageFormat::kJpeg;
  int64_t width = 0;   // as the header declares it (nothing decoded)
  int64_t height = 0;
  size_t image_end = 0;  // offset just after the image's last structure (EOI, IEND, RIFF end)
  std::vector<std::string> metadata;  // kMeta* names, in file order, repeats removed
};

// Errors (problems.h):
//   kUnsupportedMediaType "attachments/not-an-image" {detected: SniffKind()} for anything but
//     JPEG, PNG or WebP;
//   kInvalidArgument "attachments/corrupt" {reason: "truncated" | "structure" | "checksum" |
//     "dimensions"};
//   kInvalidArgument "attachments/polyglot" {reason: "trailing-archive" | "trailing-markup" |
//     "embedded-archive" | "embedded-markup"}.
Result<ImageInspection> InspectImage(std::string_view bytes);

}  // namespace gz::attachments
