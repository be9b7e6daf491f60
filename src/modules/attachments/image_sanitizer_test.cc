// Layer: attachments domain tests. The sanitizer against real phone-like photos (GPS and all)
// and hostile files; what comes out is read back with libvips AND with the independent container
// walk of image_format.h, and searched byte by byte for the fixtures' canary texts.
#include "modules/attachments/image_sanitizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "modules/attachments/problems.h"
#include "modules/attachments/testing/fixtures.h"

namespace gz::attachments {
namespace {

using testing::Fixture;

std::string ArgOf(const Status& s, const std::string& name) {
  for (const auto& [k, v] : s.args())
    if (k == name) return v;
  return "";
}

// Metadata fields that would carry something of the upload (libvips' names).
std::vector<std::string> PersonalFields(std::string_view encoded) {
  Result<std::vector<std::string>> fields = ImageSanitizer::MetadataFields(encoded);
  EXPECT_TRUE(fields.ok()) << fields.status().ToString();
  std::vector<std::string> out;
  if (!fields.ok()) return out;
  for (const std::string& f : *fields)
    if (f.starts_with("exif-") || f == "xmp-data" || f == "iptc-data" || f == "icc-profile-data" ||
        f == "orientation" || f.find("comment") != std::string::npos || f.starts_with("png-"))
      out.push_back(f);
  return out;
}

bool HasField(const std::vector<std::string>& fields, std::string_view name) {
  return std::find(fields.begin(), fields.end(), name) != fields.end();
}

void ExpectClean(const CleanImage& clean) {
  EXPECT_TRUE(PersonalFields(clean.bytes).empty());
  Result<ImageInspection> walked = InspectImage(clean.bytes);
  ASSERT_TRUE(walked.ok()) << walked.status().ToString();
  EXPECT_TRUE(walked->metadata.empty());
  for (std::string_view needle : {std::string_view("CANARY"), std::string_view("Exif\0\0", 6),
                                  std::string_view("http://ns.adobe.com"), std::string_view("ICC_PROFILE"),
                                  std::string_view("Photoshop 3.0"), std::string_view("eXIf"),
                                  std::string_view("tEXt"), std::string_view("iTXt")})
    EXPECT_EQ(clean.bytes.find(needle), std::string::npos) << "found " << needle;
}

Result<CleanImage> Clean(const char* fixture, std::string_view type, SanitizerLimits limits = {}) {
  ImageSanitizer sanitizer(limits);
  return sanitizer.Sanitize(Fixture(fixture), type);
}

void ExpectRefused(const Result<CleanImage>& r, Code code, std::string_view slug, std::string_view reason = "") {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_EQ(r.status().slug(), slug) << r.status().ToString();
  if (!reason.empty()) {
    EXPECT_EQ(ArgOf(r.status(), "reason"), reason) << r.status().ToString();
  }
}

TEST(ImageSanitizer, TheFixturesReallyCarryGpsAndMetadata) {
  // The positive control: the same readers find what the sanitizer must remove.
  std::vector<std::string> jpeg = PersonalFields(Fixture("gps.jpg"));
  for (const char* f : {"exif-ifd3-GPSLatitude", "exif-ifd3-GPSLongitude", "exif-ifd0-Make", "xmp-data", "iptc-data",
                        "icc-profile-data"})
    EXPECT_TRUE(HasField(jpeg, f)) << f;
  EXPECT_TRUE(HasField(PersonalFields(Fixture("gps.png")), "exif-ifd3-GPSLatitude"));
  EXPECT_TRUE(HasField(PersonalFields(Fixture("gps.webp")), "exif-ifd3-GPSLatitude"));
  EXPECT_NE(Fixture("gps.jpg").find("CANARY"), std::string::npos);
}

TEST(ImageSanitizer, ReencodesAJpegWithoutAnyMetadata) {
  Result<CleanImage> r = Clean("gps.jpg", "image/jpeg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, ImageFormat::kJpeg);
  EXPECT_EQ(r->width, 320);
  EXPECT_EQ(r->height, 240);
  EXPECT_NE(r->bytes, Fixture("gps.jpg"));
  ExpectClean(*r);
  Result<ImageSanitizer::Header> header = ImageSanitizer::ReadHeader(r->bytes);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->width, 320);
  EXPECT_EQ(header->height, 240);
  EXPECT_EQ(header->bands, 3);
  EXPECT_EQ(header->interpretation, "srgb");
}

TEST(ImageSanitizer, MakesCmykAndSixteenBitImagesPlainEightBitRgb) {
  ASSERT_EQ(ImageSanitizer::ReadHeader(Fixture("cmyk.jpg"))->interpretation, "cmyk");
  Result<CleanImage> cmyk = Clean("cmyk.jpg", "image/jpeg");
  ASSERT_TRUE(cmyk.ok()) << cmyk.status().ToString();
  Result<ImageSanitizer::Header> h = ImageSanitizer::ReadHeader(cmyk->bytes);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->bands, 3);
  EXPECT_EQ(h->interpretation, "srgb");
  ExpectClean(*cmyk);

  ASSERT_FALSE(ImageSanitizer::ReadHeader(Fixture("deep.png"))->eight_bit);
  Result<CleanImage> deep = Clean("deep.png", "image/png");
  ASSERT_TRUE(deep.ok()) << deep.status().ToString();
  EXPECT_EQ(deep->format, ImageFormat::kPng);
  h = ImageSanitizer::ReadHeader(deep->bytes);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->eight_bit);
  EXPECT_EQ(h->bands, 3);
  ExpectClean(*deep);

  Result<CleanImage> alpha = Clean("alpha.png", "image/png");
  ASSERT_TRUE(alpha.ok());
  EXPECT_EQ(ImageSanitizer::ReadHeader(alpha->bytes)->bands, 4);
}

TEST(ImageSanitizer, TurnsThePixelsAsTheCameraSaidBeforeDroppingTheTag) {
  Result<CleanImage> r = Clean("gps-rotated.jpg", "image/jpeg");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->width, 240);
  EXPECT_EQ(r->height, 320);
  ExpectClean(*r);
}

TEST(ImageSanitizer, KeepsPngAsPngAndTurnsWebpIntoJpeg) {
  Result<CleanImage> png = Clean("gps.png", "image/png");
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png->format, ImageFormat::kPng);
  ExpectClean(*png);
  Result<CleanImage> alpha = Clean("alpha.png", "image/png");
  ASSERT_TRUE(alpha.ok()) << alpha.status().ToString();
  EXPECT_EQ(alpha->format, ImageFormat::kPng);
  ExpectClean(*alpha);
  Result<CleanImage> webp = Clean("gps.webp", "image/webp");
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  EXPECT_EQ(webp->format, ImageFormat::kJpeg);
  EXPECT_EQ(webp->width, 320);
  ExpectClean(*webp);
}

TEST(ImageSanitizer, CapsTheLongSide) {
  SanitizerLimits limits;
  limits.max_output_side = 100;
  for (auto [fixture, type] : {std::pair{"gps.jpg", "image/jpeg"}, std::pair{"gps.png", "image/png"},
                               std::pair{"gps.webp", "image/webp"}, std::pair{"gps-rotated.jpg", "image/jpeg"}}) {
    Result<CleanImage> r = Clean(fixture, type, limits);
    ASSERT_TRUE(r.ok()) << fixture << ": " << r.status().ToString();
    EXPECT_EQ(std::max(r->width, r->height), 100) << fixture;
    EXPECT_EQ(std::min(r->width, r->height), 75) << fixture;
    ExpectClean(*r);
  }
}

TEST(ImageSanitizer, ChecksTheContentTypeAgainstTheBytes) {
  ExpectRefused(Clean("gps.png", "image/jpeg"), Code::kUnsupportedMediaType, problems::kTypeMismatch);
  ExpectRefused(Clean("gps.jpg", "text/html"), Code::kUnsupportedMediaType, problems::kUnsupportedType);
  ExpectRefused(Clean("gps.jpg", ""), Code::kUnsupportedMediaType, problems::kUnsupportedType);
  ExpectRefused(Clean("gif-named.jpg", "image/jpeg"), Code::kUnsupportedMediaType, problems::kNotAnImage);
  ExpectRefused(Clean("html-named.jpg", "image/jpeg"), Code::kUnsupportedMediaType, problems::kNotAnImage);
  ExpectRefused(Clean("script-named.png", "image/png"), Code::kUnsupportedMediaType, problems::kNotAnImage);
  EXPECT_EQ(ArgOf(Clean("html-named.jpg", "image/jpeg").status(), "detected"), "html");
}

TEST(ImageSanitizer, RefusesEmptyAndOversizedUploads) {
  ExpectRefused(Clean("empty.jpg", "image/jpeg"), Code::kInvalidArgument, problems::kEmpty);
  SanitizerLimits small;
  small.max_input_bytes = 1000;
  ExpectRefused(Clean("gps.jpg", "image/jpeg", small), Code::kTooLarge, problems::kTooLarge);
}

TEST(ImageSanitizer, RefusesTruncatedFilesEvenWhenAnEndMarkerWasGluedOn) {
  ExpectRefused(Clean("truncated.jpg", "image/jpeg"), Code::kInvalidArgument, problems::kCorrupt, "truncated");
  // The walk accepts this one (its markers are all there); libvips, told to fail on errors,
  // does not.
  ASSERT_TRUE(InspectImage(Fixture("truncated-scan.jpg")).ok());
  ExpectRefused(Clean("truncated-scan.jpg", "image/jpeg"), Code::kInvalidArgument, problems::kCorrupt, "decode");
}

TEST(ImageSanitizer, RefusesPolyglots) {
  ExpectRefused(Clean("polyglot-zip.jpg", "image/jpeg"), Code::kInvalidArgument, problems::kPolyglot, "trailing-archive");
  ExpectRefused(Clean("polyglot-html.png", "image/png"), Code::kInvalidArgument, problems::kPolyglot, "embedded-markup");
  ExpectRefused(Clean("polyglot-trailing-html.png", "image/png"), Code::kInvalidArgument, problems::kPolyglot,
                "trailing-markup");
}

TEST(ImageSanitizer, RefusesDecompressionBombsBeforeDecodingThem) {
  const auto start = std::chrono::steady_clock::now();
  Result<CleanImage> bomb = Clean("bomb.png", "image/png");
  ExpectRefused(bomb, Code::kTooLarge, problems::kTooManyPixels);
  EXPECT_EQ(ArgOf(bomb.status(), "width"), "100000");
  ExpectRefused(Clean("bomb-81mp.png", "image/png"), Code::kTooLarge, problems::kTooManyPixels);  // sides fit, area does not
  ExpectRefused(Clean("huge-dims.jpg", "image/jpeg"), Code::kTooLarge, problems::kTooManyPixels);
  ExpectRefused(Clean("wide.jpg", "image/jpeg"), Code::kTooLarge, problems::kTooManyPixels);     // area fits, a side does not
  // Decoding 10 gigapixels would take minutes and gigabytes; refusing takes microseconds.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  SanitizerLimits tight;
  tight.max_pixels = 50'000;  // gps.jpg has 76,800
  ExpectRefused(Clean("gps.jpg", "image/jpeg", tight), Code::kTooLarge, problems::kTooManyPixels);
}

TEST(ImageSanitizer, DamagedScansAreRefusedOrCleanedNeverCrash) {
  const std::string original = Fixture("gps.jpg");
  const size_t scan = original.find("\xFF\xDA");
  ASSERT_NE(scan, std::string::npos);
  ImageSanitizer sanitizer;
  std::mt19937 rng(7);
  int refused = 0;
  for (int i = 0; i < 60; ++i) {
    std::string m = original;
    for (int k = 0; k < 8; ++k) m[scan + 20 + rng() % (m.size() - scan - 30)] = static_cast<char>(rng() % 256);
    Result<CleanImage> r = sanitizer.Sanitize(m, "image/jpeg");
    if (!r.ok()) {
      ++refused;
      EXPECT_NE(r.status().code(), Code::kInternal) << r.status().ToString();
    } else {
      ExpectClean(*r);
    }
  }
  EXPECT_GT(refused, 0);
}

TEST(ImageSanitizer, ConcurrentCallersShareTheDecodeSlots) {
  SanitizerLimits limits;
  limits.max_concurrent = 1;
  limits.queue_wait = std::chrono::seconds(60);
  ImageSanitizer sanitizer(limits);
  const std::string jpeg = Fixture("gps.jpg"), png = Fixture("gps.png");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      Result<CleanImage> r = sanitizer.Sanitize(t % 2 ? jpeg : png, t % 2 ? "image/jpeg" : "image/png");
      if (r.ok() && r->width == 320) {
        ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
}

TEST(ImageSanitizer, AnswersBusyWhenNoSlotFreesInTime) {
  SanitizerLimits limits;
  limits.max_concurrent = 1;
  limits.queue_wait = std::chrono::milliseconds(0);
  ImageSanitizer sanitizer(limits);
  // Eight callers at once, each decode taking milliseconds, one slot and no waiting: some find
  // the slot taken and are told so at once, the others get their photo.
  const std::string png = Fixture("gps.png");
  std::atomic<int> busy{0}, ok{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 5; ++i) {
        Result<CleanImage> r = sanitizer.Sanitize(png, "image/png");
        if (r.ok()) {
          ++ok;
        } else if (r.status().slug() == problems::kBusy && r.status().code() == Code::kUnavailable) {
          ++busy;
        }
      }
    });
  }
  go = true;
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok + busy, 40);
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(busy.load(), 0);
}

}  // namespace
}  // namespace gz::attachments
