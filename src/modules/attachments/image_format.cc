// Layer: attachments domain (see image_format.h).
#include "modules/attachments/image_format.h"

#include <algorithm>
#include <array>

#include "modules/attachments/problems.h"

namespace gz::attachments {
namespace {

uint8_t At(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }
uint32_t Be16(std::string_view b, size_t i) { return (uint32_t{At(b, i)} << 8) | At(b, i + 1); }
uint32_t Be32(std::string_view b, size_t i) { return (Be16(b, i) << 16) | Be16(b, i + 2); }
uint32_t Le16(std::string_view b, size_t i) { return uint32_t{At(b, i)} | (uint32_t{At(b, i + 1)} << 8); }
uint32_t Le24(std::string_view b, size_t i) { return Le16(b, i) | (uint32_t{At(b, i + 2)} << 16); }
uint32_t Le32(std::string_view b, size_t i) { return Le16(b, i) | (Le16(b, i + 2) << 16); }

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Case-insensitive (ASCII) search; `needle` is lower case.
bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  const char first = needle[0];
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (LowerAscii(hay[i]) != first) continue;
    size_t k = 1;
    while (k < needle.size() && LowerAscii(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// What a browser or an unzip tool would make of bytes hidden in or after an image.
constexpr std::array<std::string_view, 6> kArchiveSignatures = {
    std::string_view("PK\x03\x04", 4), std::string_view("PK\x05\x06", 4), std::string_view("Rar!\x1a\x07", 6),
    std::string_view("7z\xbc\xaf\x27\x1c", 6), "%PDF-", std::string_view("\x1f\x8b\x08", 3)};
constexpr std::array<std::string_view, 11> kMarkupSignatures = {
    "<html", "<script", "<!doctype", "<body", "<iframe", "<svg", "<?php", "<object", "<embed", "<meta",
    "javascript:"};

bool HasArchive(std::string_view bytes) {
  return std::any_of(kArchiveSignatures.begin(), kArchiveSignatures.end(),
                     [&](std::string_view sig) { return bytes.find(sig) != std::string_view::npos; });
}

bool HasMarkup(std::string_view bytes) {
  return std::any_of(kMarkupSignatures.begin(), kMarkupSignatures.end(),
                     [&](std::string_view sig) { return ContainsNoCase(bytes, sig); });
}

Status Corrupt(std::string_view reason) {
  return InvalidArgument(std::string(problems::kCorrupt)).With("reason", std::string(reason));
}
Status Truncated() { return Corrupt("truncated"); }
Status Malformed() { return Corrupt("structure"); }

Status Polyglot(std::string_view reason) {
  return InvalidArgument(std::string(problems::kPolyglot)).With("reason", std::string(reason));
}

Status CheckEmbedded(std::string_view data) {
  if (HasArchive(data)) return Polyglot("embedded-archive");
  if (HasMarkup(data)) return Polyglot("embedded-markup");
  return Status::Ok();
}

Status CheckTrailing(std::string_view trailing) {
  if (HasArchive(trailing)) return Polyglot("trailing-archive");
  if (HasMarkup(trailing)) return Polyglot("trailing-markup");
  return Status::Ok();
}

void AddMeta(ImageInspection& out, std::string_view name) {
  if (std::find(out.metadata.begin(), out.metadata.end(), name) == out.metadata.end())
    out.metadata.emplace_back(name);
}

// ---- JPEG (ITU T.81 Annex B) --------------------------------------------------------------------

bool IsFrameHeader(uint8_t m) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

void ClassifyJpegSegment(uint8_t marker, std::string_view data, ImageInspection& out) {
  if (marker == 0xFE) return AddMeta(out, kMetaComment);
  if (marker == 0xE0 && (data.starts_with(std::string_view("JFIF\0", 5)) || data.starts_with(std::string_view("JFXX\0", 5))))
    return;  // the JFIF header: density and an optional thumbnail, nothing personal
  if (marker == 0xE1 && data.starts_with(std::string_view("Exif\0", 5))) return AddMeta(out, kMetaExif);
  if (marker == 0xE1 && data.starts_with("http://ns.adobe.com/xap/1.0/")) return AddMeta(out, kMetaXmp);
  if (marker == 0xE2 && data.starts_with(std::string_view("ICC_PROFILE\0", 12))) return AddMeta(out, kMetaIcc);
  if (marker == 0xED && data.starts_with("Photoshop 3.0")) return AddMeta(out, kMetaIptc);
  AddMeta(out, kMetaOther);
}

Result<ImageInspection> InspectJpeg(std::string_view b) {
  ImageInspection out;
  out.format = ImageFormat::kJpeg;
  const size_t n = b.size();
  size_t pos = 2;
  int frames = 0, scans = 0;
  for (;;) {
    if (pos >= n) return Truncated();
    if (At(b, pos) != 0xFF) return Malformed();
    while (pos < n && At(b, pos) == 0xFF) ++pos;  // fill bytes before a marker
    if (pos >= n) return Truncated();
    const uint8_t marker = At(b, pos++);
    if (marker == 0xD9) break;                                        // EOI
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // TEM, RSTn: no length
    if (marker == 0x00 || marker == 0xD8) return Malformed();
    if (pos + 2 > n) return Truncated();
    const size_t length = Be16(b, pos);
    if (length < 2) return Malformed();
    if (pos + length > n) return Truncated();
    const std::string_view data = b.substr(pos + 2, length - 2);
    pos += length;
    if (IsFrameHeader(marker)) {
      // Two frame headers would let two decoders see two different images in one file.
      if (++frames > 1 || data.size() < 6) return Malformed();
      out.height = Be16(data, 1);
      out.width = Be16(data, 3);
      if (out.width == 0 || out.height == 0) return Corrupt("dimensions");  // DNL-defined heights too
    } else if (marker == 0xDA) {
      if (frames == 0) return Malformed();
      ++scans;
      // Entropy-coded data: 0xFF is followed by 0x00 (stuffing), RSTn, more 0xFF (fill), or the
      // next marker, where the segment walk resumes.
      for (;;) {
        size_t ff = b.find('\xFF', pos);
        if (ff == std::string_view::npos || ff + 1 >= n) return Truncated();
        const uint8_t next = At(b, ff + 1);
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
          pos = ff + 2;
        } else if (next == 0xFF) {
          pos = ff + 1;
        } else {
          pos = ff;
          break;
        }
      }
    } else if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
      ClassifyJpegSegment(marker, data, out);
      GZ_RETURN_IF_ERROR(CheckEmbedded(data));
    }
  }
  if (frames == 0 || scans == 0) return Malformed();
  out.image_end = pos;
  GZ_RETURN_IF_ERROR(CheckTrailing(b.substr(pos)));
  return out;
}

// ---- PNG (ISO/IEC 15948) ------------------------------------------------------------------------

const std::array<uint32_t, 256>& CrcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

// CRC-32 of `bytes` (the PNG chunk checksum, ISO 3309).
uint32_t Crc32(std::string_view bytes) {
  const auto& table = CrcTable();
  uint32_t c = 0xFFFFFFFFu;
  for (char ch : bytes) c = table[(c ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool IsChunkType(std::string_view type) {
  return std::all_of(type.begin(), type.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

Result<ImageInspection> InspectPng(std::string_view b) {
  ImageInspection out;
  out.format = ImageFormat::kPng;
  const size_t n = b.size();
  size_t pos = 8;
  bool first = true, image_data = false;
  for (;;) {
    if (pos + 8 > n) return Truncated();
    const uint32_t length = Be32(b, pos);
    const std::string_view type = b.substr(pos + 4, 4);
    if (length > 0x7FFFFFFFu || !IsChunkType(type)) return Malformed();
    if (length > n - pos - 8 || n - pos - 8 - length < 4) return Truncated();
    const std::string_view data = b.substr(pos + 8, length);
    if (Crc32(b.substr(pos + 4, 4 + size_t{length})) != Be32(b, pos + 8 + length)) return Corrupt("checksum");
    pos += 12 + size_t{length};
    if (first != (type == "IHDR")) return Malformed();
    if (first) {
      first = false;
      if (length != 13) return Malformed();
      out.width = Be32(data, 0);
      out.height = Be32(data, 4);
      if (out.width == 0 || out.height == 0 || out.width > 0x7FFFFFFF || out.height > 0x7FFFFFFF)
        return Corrupt("dimensions");
    } else if (type == "IDAT") {
      image_data = true;
    } else if (type == "tEXt" || type == "iTXt" || type == "zTXt") {
      AddMeta(out, kMetaText);
      GZ_RETURN_IF_ERROR(CheckEmbedded(data));
    } else if (type == "eXIf") {
      AddMeta(out, kMetaExif);
      GZ_RETURN_IF_ERROR(CheckEmbedded(data));
    } else if (type == "iCCP") {
      AddMeta(out, kMetaIcc);
    } else if (type == "IEND") {
      break;
    }
  }
  if (!image_data) return Malformed();
  out.image_end = pos;
  GZ_RETURN_IF_ERROR(CheckTrailing(b.substr(pos)));
  return out;
}

// ---- WebP (RFC 9649) ----------------------------------------------------------------------------

Result<ImageInspection> InspectWebp(std::string_view b) {
  ImageInspection out;
  out.format = ImageFormat::kWebp;
  const uint32_t riff_size = Le32(b, 4);
  if (riff_size < 4) return Malformed();
  if (riff_size > b.size() - 8) return Truncated();
  const size_t end = 8 + size_t{riff_size};
  size_t pos = 12;
  bool first = true;
  while (pos < end) {
    if (end - pos < 8) return Truncated();
    const std::string_view fourcc = b.substr(pos, 4);
    const uint32_t size = Le32(b, pos + 4);
    if (size > end - pos - 8) return Truncated();
    const std::string_view data = b.substr(pos + 8, size);
    pos += 8 + size_t{size} + (size & 1);
    if (first) {
      first = false;
      if (fourcc == "VP8 ") {
        if (data.size() < 10 || data.substr(3, 3) != "\x9d\x01\x2a") return Malformed();
        out.width = Le16(data, 6) & 0x3FFF;
        out.height = Le16(data, 8) & 0x3FFF;
      } else if (fourcc == "VP8L") {
        if (data.size() < 5 || At(data, 0) != 0x2F) return Malformed();
        const uint32_t bits = Le32(data, 1);
        out.width = (bits & 0x3FFF) + 1;
        out.height = ((bits >> 14) & 0x3FFF) + 1;
      } else if (fourcc == "VP8X") {
        if (data.size() < 10) return Malformed();
        out.width = int64_t{Le24(data, 4)} + 1;
        out.height = int64_t{Le24(data, 7)} + 1;
      } else {
        return Malformed();
      }
      if (out.width == 0 || out.height == 0) return Corrupt("dimensions");
    } else if (fourcc == "EXIF") {
      AddMeta(out, kMetaExif);
      GZ_RETURN_IF_ERROR(CheckEmbedded(data));
    } else if (fourcc == "XMP ") {
      AddMeta(out, kMetaXmp);
      GZ_RETURN_IF_ERROR(CheckEmbedded(data));
    } else if (fourcc == "ICCP") {
      AddMeta(out, kMetaIcc);
    }
  }
  if (first) return Malformed();
  out.image_end = end;
  GZ_RETURN_IF_ERROR(CheckTrailing(b.substr(end)));
  return out;
}

std::string_view SkipSpaceAndBom(std::string_view b) {
  if (b.starts_with("\xEF\xBB\xBF")) b.remove_prefix(3);
  while (!b.empty() && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n')) b.remove_prefix(1);
  return b;
}

}  // namespace

std::string_view FormatCode(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "jpeg";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kWebp: return "webp";
  }
  return "jpeg";
}

std::string_view FormatMediaType(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "image/jpeg";
    case ImageFormat::kPng: return "image/png";
    case ImageFormat::kWebp: return "image/webp";
  }
  return "image/jpeg";
}

std::string_view FormatExtension(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "jpg";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kWebp: return "webp";
  }
  return "jpg";
}

std::optional<ImageFormat> ParseFormatCode(std::string_view code) {
  for (ImageFormat f : {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kWebp})
    if (FormatCode(f) == code) return f;
  return std::nullopt;
}

std::optional<ImageFormat> FormatOfMediaType(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  for (char& c : type) c = LowerAscii(c);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(type.begin());
  if (type == "image/jpeg" || type == "image/jpg" || type == "image/pjpeg") return ImageFormat::kJpeg;
  if (type == "image/png") return ImageFormat::kPng;
  if (type == "image/webp") return ImageFormat::kWebp;
  return std::nullopt;
}

std::string_view SniffKind(std::string_view b) {
  if (b.empty()) return "empty";
  if (b.starts_with("\xFF\xD8\xFF")) return "jpeg";
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "png";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return "webp";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "gif";
  if (b.starts_with("BM")) return "bmp";
  if (b.starts_with(std::string_view("II*\0", 4)) || b.starts_with(std::string_view("MM\0*", 4))) return "tiff";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") return "heif";  // HEIC, AVIF and other ISO-BMFF files
  if (b.starts_with(std::string_view("\0\0\1\0", 4))) return "ico";
  if (b.starts_with("%PDF-")) return "pdf";
  if (b.starts_with("PK\x03\x04")) return "zip";
  if (b.starts_with("\x1f\x8b")) return "gzip";
  const std::string_view text = SkipSpaceAndBom(b).substr(0, 1024);
  if (text.starts_with("<")) {
    if (ContainsNoCase(text.substr(0, 5), "<svg") || ContainsNoCase(text, "<svg")) return "svg";
    if (ContainsNoCase(text, "<html") || ContainsNoCase(text, "<!doctype html") || ContainsNoCase(text, "<script") ||
        ContainsNoCase(text, "<body") || ContainsNoCase(text, "<head"))
      return "html";
    if (text.starts_with("<?xml")) return "xml";
  }
  return "unknown";
}

Result<ImageInspection> InspectImage(std::string_view bytes) {
  const std::string_view kind = SniffKind(bytes);
  if (kind == "jpeg") return InspectJpeg(bytes);
  if (kind == "png") return InspectPng(bytes);
  if (kind == "webp") return InspectWebp(bytes);
  return Status(Code::kUnsupportedMediaType, std::string(problems::kNotAnImage)).With("detected", std::string(kind));
}

}  // namespace gz::attachments
