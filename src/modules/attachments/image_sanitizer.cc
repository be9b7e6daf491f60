// Layer: attachments domain (see image_sanitizer.h). The only translation unit with libvips.
#include "modules/attachments/image_sanitizer.h"

#include <vips/vips.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <semaphore>
#include <utility>

#include "core/log.h"
#include "modules/attachments/problems.h"

namespace gz::attachments {
namespace {

constexpr int kMaxSlots = 64;

// libvips and GLib report through g_log, which writes plain text to stderr; the server's stderr
// carries JSON log lines only. Messages name formats and limits (and, for buffers, no file
// name), never pixel data, so they may be logged.
void LogFromImageLibrary(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer) {
  if ((level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)) != 0) return;  // GLib's own default drops these too
  std::string text = message != nullptr ? message : "";
  if (text.size() > 300) text.resize(300);
  log::Warn("attachments.image_library", {{"domain", domain != nullptr ? domain : ""},
                                           {"level", static_cast<int64_t>(level & G_LOG_LEVEL_MASK)},
                                           {"message", text}});
}

// Starts libvips once per process, locked down: only the three loaders the sanitizer uses may
// run (every other loader, and every operation libvips itself calls untrusted, is blocked, so a
// file that fooled the sniffer still cannot reach ImageMagick, PDF, SVG or TIFF code), no
// operation cache (it would keep decoded images of one request alive for the next), and one
// worker thread per pipeline.
Status StartImageLibrary() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] {
    if (VIPS_INIT("gongzhi") != 0) {
      status = Internal("attachments: libvips failed to start");
      return;
    }
    g_log_set_default_handler(LogFromImageLibrary, nullptr);
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* allowed : {"VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadWebpBuffer"})
      vips_operation_block_set(allowed, FALSE);
  });
  return status;
}

// libvips' error text for the log (and clears it): the buffer is process-wide.
std::string TakeVipsError() {
  char* text = vips_error_buffer_copy();
  std::string out = text != nullptr ? text : "";
  g_free(text);
  if (out.size() > 500) out.resize(500);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Owns one reference to a VipsImage.
class Image {
 public:
  Image() = default;
  explicit Image(VipsImage* image) : image_(image) {}
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  ~Image() { Reset(nullptr); }
  void Reset(VipsImage* image) {
    if (image_ != nullptr) g_object_unref(image_);
    image_ = image;
  }
  void Swap(Image& other) { std::swap(image_, other.image_); }
  VipsImage* get() const { return image_; }
  VipsImage** out() {
    Reset(nullptr);
    return &image_;
  }
  int width() const { return vips_image_get_width(image_); }
  int height() const { return vips_image_get_height(image_); }

 private:
  VipsImage* image_ = nullptr;
};

Status DecodeFailed(std::string_view step) {
  std::string detail = TakeVipsError();
  log::Info("attachments.decode_refused", {{"step", step}, {"detail", detail}});
  return InvalidArgument(std::string(problems::kCorrupt)).With("reason", "decode");
}

Status EncodeFailed(std::string_view step) {
  std::string detail = TakeVipsError();
  log::Warn("attachments.encode_failed", {{"step", step}, {"detail", detail}});
  return InvalidArgument(std::string(problems::kCannotReencode));
}

// Opens the image lazily (only the header is read now; pixels are decoded when the pipeline
// runs), with the loader of `format` and no other. `shrink` (JPEG, 1/2/4/8) and `scale` (WebP)
// decode at reduced size.
Status Load(ImageFormat format, std::string_view bytes, Image& out, int shrink = 1, double scale = 1.0) {
  void* data = const_cast<char*>(bytes.data());  // libvips only reads the buffer
  const int access = VIPS_ACCESS_SEQUENTIAL;
  // libjpeg reports a scan cut short ("premature end of data segment": a truncated file with an
  // end marker glued on), bad Huffman codes and stray bytes as *warnings*, then paints the
  // missing blocks grey; every one of them means damaged data, so JPEG fails on warnings. libpng
  // warns about harmless things (an outdated sRGB profile in many PNGs), so PNG and WebP fail on
  // errors, which include truncation.
  const int fail_on = format == ImageFormat::kJpeg ? VIPS_FAIL_ON_WARNING : VIPS_FAIL_ON_ERROR;
  int rc = -1;
  switch (format) {
    case ImageFormat::kJpeg:
      rc = vips_jpegload_buffer(data, bytes.size(), out.out(), "access", access, "fail_on", fail_on, "shrink", shrink,
                                nullptr);
      break;
    case ImageFormat::kPng:
      rc = vips_pngload_buffer(data, bytes.size(), out.out(), "access", access, "fail_on", fail_on, nullptr);
      break;
    case ImageFormat::kWebp:
      rc = vips_webpload_buffer(data, bytes.size(), out.out(), "access", access, "fail_on", fail_on, "scale", scale,
                                nullptr);
      break;
  }
  if (rc != 0) return DecodeFailed("header");
  return Status::Ok();
}

Status CheckDimensions(int64_t width, int64_t height, const SanitizerLimits& limits) {
  if (width > limits.max_side || height > limits.max_side || width * height > limits.max_pixels) {
    return TooLarge(std::string(problems::kTooManyPixels))
        .With("width", std::to_string(width))
        .With("height", std::to_string(height))
        .With("max_side", std::to_string(limits.max_side))
        .With("max_megapixels", std::to_string(limits.max_pixels / 1'000'000));
  }
  return Status::Ok();
}

// Everything libvips attached to the image beyond its geometry: EXIF (GPS included), XMP, IPTC,
// ICC, orientation, comments, PNG text, and the loader's own notes.
void RemoveAllMetadata(VipsImage* image) {
  gchar** fields = vips_image_get_fields(image);
  for (gchar** f = fields; f != nullptr && *f != nullptr; ++f) vips_image_remove(image, *f);
  g_strfreev(fields);
}

struct Encoded {
  std::string bytes;
  ImageFormat format;
};

Result<std::string> SaveBuffer(VipsImage* image, ImageFormat format, int quality) {
  void* buffer = nullptr;
  size_t length = 0;
  int rc = -1;
  if (format == ImageFormat::kPng) {
    rc = vips_pngsave_buffer(image, &buffer, &length, "strip", TRUE, "compression", 6, "filter",
                             VIPS_FOREIGN_PNG_FILTER_ALL, nullptr);
  } else {
    rc = vips_jpegsave_buffer(image, &buffer, &length, "strip", TRUE, "Q", quality, "optimize_coding", TRUE,
                              "interlace", FALSE, nullptr);
  }
  if (rc != 0) return EncodeFailed(FormatCode(format));
  std::string out(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return out;
}

Result<Image*> FlattenForJpeg(Image& image, Image& scratch) {
  if (!vips_image_hasalpha(image.get())) return &image;
  VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
  int rc = vips_flatten(image.get(), scratch.out(), "background", white, nullptr);
  vips_area_unref(VIPS_AREA(white));
  if (rc != 0) return EncodeFailed("flatten");
  return &scratch;
}

}  // namespace

class ImageSanitizer::Slots {
 public:
  explicit Slots(int n) : semaphore_(std::clamp(n, 1, kMaxSlots)) {}
  std::counting_semaphore<kMaxSlots> semaphore_;
};

ImageSanitizer::ImageSanitizer(SanitizerLimits limits)
    : limits_(limits), slots_(std::make_unique<Slots>(limits.max_concurrent)) {}

ImageSanitizer::~ImageSanitizer() = default;

Result<CleanImage> ImageSanitizer::Sanitize(std::string_view bytes, std::string_view content_type) const {
  if (bytes.empty()) return InvalidArgument(std::string(problems::kEmpty));
  if (bytes.size() > limits_.max_input_bytes)
    return TooLarge(std::string(problems::kTooLarge)).With("limit", std::to_string(limits_.max_input_bytes));
  const std::optional<ImageFormat> declared = FormatOfMediaType(content_type);
  if (!declared)
    return Status(Code::kUnsupportedMediaType, std::string(problems::kUnsupportedType))
        .With("accepted", "JPEG, PNG, WebP");
  const std::string_view kind = SniffKind(bytes);
  const std::optional<ImageFormat> detected = ParseFormatCode(kind);
  if (!detected)
    return Status(Code::kUnsupportedMediaType, std::string(problems::kNotAnImage)).With("detected", std::string(kind));
  if (*detected != *declared)
    return Status(Code::kUnsupportedMediaType, std::string(problems::kTypeMismatch))
        .With("declared", std::string(FormatMediaType(*declared)))
        .With("detected", std::string(FormatMediaType(*detected)));
  GZ_ASSIGN_OR_RETURN(ImageInspection inspected, InspectImage(bytes));
  GZ_RETURN_IF_ERROR(CheckDimensions(inspected.width, inspected.height, limits_));
  GZ_RETURN_IF_ERROR(StartImageLibrary());

  if (!slots_->semaphore_.try_acquire_for(limits_.queue_wait)) return Unavailable(std::string(problems::kBusy)).With("retry_after", "2");
  struct Release {
    Slots& slots;
    ~Release() { slots.semaphore_.release(); }
  } release{*slots_};

  // The header again, as libvips reads it: it must describe the image the walk saw.
  Image image;
  GZ_RETURN_IF_ERROR(Load(inspected.format, bytes, image));
  if (image.width() != inspected.width || image.height() != inspected.height) {
    log::Info("attachments.header_disagrees", {{"format", FormatCode(inspected.format)}});
    return InvalidArgument(std::string(problems::kCorrupt)).With("reason", "structure");
  }
  GZ_RETURN_IF_ERROR(CheckDimensions(image.width(), image.height(), limits_));

  // Decode at reduced size where the format allows it, never below the output size.
  const int target = std::max(1, limits_.max_output_side);
  const int long_side = std::max(image.width(), image.height());
  if (inspected.format == ImageFormat::kJpeg && long_side / 2 >= target) {
    int shrink = 1;
    while (shrink < 8 && long_side / (shrink * 2) >= target) shrink *= 2;
    GZ_RETURN_IF_ERROR(Load(inspected.format, bytes, image, shrink));
  } else if (inspected.format == ImageFormat::kWebp && long_side > target) {
    GZ_RETURN_IF_ERROR(Load(inspected.format, bytes, image, 1, static_cast<double>(target) / long_side));
  }

  Image scratch;
  if (const int now_long = std::max(image.width(), image.height()); now_long > target) {
    if (vips_resize(image.get(), scratch.out(), static_cast<double>(target) / now_long, nullptr) != 0)
      return DecodeFailed("resize");
    image.Swap(scratch);
  }
  // 8-bit sRGB (or 8-bit grey): through the embedded profile when there is one, so colours stay
  // right once the profile is dropped; a profile libvips cannot use is ignored.
  if (vips_image_get_typeof(image.get(), VIPS_META_ICC_NAME) != 0) {
    if (vips_icc_transform(image.get(), scratch.out(), "srgb", "embedded", TRUE, nullptr) == 0) {
      image.Swap(scratch);
    } else {
      log::Info("attachments.icc_ignored", {{"detail", TakeVipsError()}});
    }
  }
  const VipsInterpretation interpretation = vips_image_get_interpretation(image.get());
  const bool grey = interpretation == VIPS_INTERPRETATION_B_W || interpretation == VIPS_INTERPRETATION_GREY16;
  if (!(interpretation == VIPS_INTERPRETATION_sRGB || interpretation == VIPS_INTERPRETATION_B_W) ||
      vips_image_get_format(image.get()) != VIPS_FORMAT_UCHAR) {
    if (vips_colourspace(image.get(), scratch.out(), grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB,
                         nullptr) != 0)
      return EncodeFailed("colourspace");
    image.Swap(scratch);
    if (vips_image_get_format(image.get()) != VIPS_FORMAT_UCHAR) {
      if (vips_cast_uchar(image.get(), scratch.out(), nullptr) != 0) return EncodeFailed("cast");
      image.Swap(scratch);
    }
  }
  // Run the pipeline into memory: this is where the pixels are decoded, so a damaged file fails
  // here. At most max_output_side^2 pixels are kept.
  Image decoded(vips_image_copy_memory(image.get()));
  if (decoded.get() == nullptr) return DecodeFailed("decode");
  // The orientation the camera recorded, applied to the pixels (on the small copy: a rotation
  // needs random access), before the tag goes with the rest of the metadata.
  Image upright;
  if (vips_autorot(decoded.get(), upright.out(), nullptr) != 0) return EncodeFailed("rotate");
  Image clean;
  if (vips_copy(upright.get(), clean.out(), nullptr) != 0) return EncodeFailed("copy");
  RemoveAllMetadata(clean.get());

  CleanImage result;
  Image flat;
  if (inspected.format == ImageFormat::kPng) {
    GZ_ASSIGN_OR_RETURN(result.bytes, SaveBuffer(clean.get(), ImageFormat::kPng, 0));
    result.format = ImageFormat::kPng;
  }
  if (inspected.format != ImageFormat::kPng || result.bytes.size() > limits_.max_output_bytes) {
    GZ_ASSIGN_OR_RETURN(Image * opaque, FlattenForJpeg(clean, flat));
    GZ_ASSIGN_OR_RETURN(result.bytes, SaveBuffer(opaque->get(), ImageFormat::kJpeg, limits_.jpeg_quality));
    if (result.bytes.size() > limits_.max_output_bytes) {
      GZ_ASSIGN_OR_RETURN(result.bytes, SaveBuffer(opaque->get(), ImageFormat::kJpeg, 60));
    }
    result.format = ImageFormat::kJpeg;
  }
  if (result.bytes.size() > limits_.max_output_bytes) return InvalidArgument(std::string(problems::kCannotReencode));
  result.width = clean.width();
  result.height = clean.height();

  // Fail closed: what is stored must hold no metadata block at all, by an independent reader.
  Result<ImageInspection> check = InspectImage(result.bytes);
  if (!check.ok() || !check->metadata.empty()) {
    log::Error("attachments.output_not_clean", {{"format", FormatCode(result.format)}});
    return InvalidArgument(std::string(problems::kCannotReencode));
  }
  return result;
}

Result<std::vector<std::string>> ImageSanitizer::MetadataFields(std::string_view encoded) {
  const std::optional<ImageFormat> format = ParseFormatCode(SniffKind(encoded));
  if (!format) return Status(Code::kUnsupportedMediaType, std::string(problems::kNotAnImage));
  GZ_RETURN_IF_ERROR(StartImageLibrary());
  Image image;
  GZ_RETURN_IF_ERROR(Load(*format, encoded, image));
  static constexpr std::string_view kHeaderFields[] = {"width", "height", "bands", "format", "coding",
                                                       "interpretation", "xoffset", "yoffset", "xres",
                                                       "yres", "filename"};
  std::vector<std::string> out;
  gchar** fields = vips_image_get_fields(image.get());
  for (gchar** f = fields; f != nullptr && *f != nullptr; ++f) {
    std::string_view name(*f);
    if (std::find(std::begin(kHeaderFields), std::end(kHeaderFields), name) == std::end(kHeaderFields))
      out.emplace_back(name);
  }
  g_strfreev(fields);
  return out;
}

Result<ImageSanitizer::Header> ImageSanitizer::ReadHeader(std::string_view encoded) {
  const std::optional<ImageFormat> format = ParseFormatCode(SniffKind(encoded));
  if (!format) return Status(Code::kUnsupportedMediaType, std::string(problems::kNotAnImage));
  GZ_RETURN_IF_ERROR(StartImageLibrary());
  Image image;
  GZ_RETURN_IF_ERROR(Load(*format, encoded, image));
  Header h;
  h.width = image.width();
  h.height = image.height();
  h.bands = vips_image_get_bands(image.get());
  h.eight_bit = vips_image_get_format(image.get()) == VIPS_FORMAT_UCHAR;
  const char* name = vips_enum_nick(VIPS_TYPE_INTERPRETATION, vips_image_get_interpretation(image.get()));
  h.interpretation = name != nullptr ? name : "";
  return h;
}

}  // namespace gz::attachments
