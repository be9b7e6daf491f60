// Layer: attachments domain tests. The container walk against real files (made by libvips and
// exiftool, tests/fixtures/attachments/) and hand-broken ones.
#include "modules/attachments/image_format.h"

#include <gtest/gtest.h>

#include <random>

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

void ExpectRefused(const Result<ImageInspection>& r, std::string_view slug, std::string_view reason) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().slug(), slug) << r.status().ToString();
  EXPECT_EQ(ArgOf(r.status(), "reason"), reason) << r.status().ToString();
}

bool Has(const ImageInspection& i, std::string_view meta) {
  return std::find(i.metadata.begin(), i.metadata.end(), meta) != i.metadata.end();
}

TEST(SniffKind, TellsFormatsByTheirBytesNotTheirNames) {
  EXPECT_EQ(SniffKind(Fixture("gps.jpg")), "jpeg");
  EXPECT_EQ(SniffKind(Fixture("gps.png")), "png");
  EXPECT_EQ(SniffKind(Fixture("gps.webp")), "webp");
  EXPECT_EQ(SniffKind(Fixture("gif-named.jpg")), "gif");
  EXPECT_EQ(SniffKind(Fixture("html-named.jpg")), "html");
  EXPECT_EQ(SniffKind(Fixture("script-named.png")), "svg");
  EXPECT_EQ(SniffKind(""), "empty");
  EXPECT_EQ(SniffKind("BM\x36\x00"), "bmp");
  EXPECT_EQ(SniffKind(std::string("\0\0\0\x18" "ftypheic", 12)), "heif");
  EXPECT_EQ(SniffKind("%PDF-1.7"), "pdf");
  EXPECT_EQ(SniffKind("PK\x03\x04rest"), "zip");
  EXPECT_EQ(SniffKind("\xEF\xBB\xBF  <!DOCTYPE html><p>"), "html");
  EXPECT_EQ(SniffKind("plain text"), "unknown");
  EXPECT_EQ(SniffKind("\xFF\xD8"), "unknown");  // too short to be a JPEG
}

TEST(FormatOfMediaType, AcceptsTheThreeImageTypesOnly) {
  EXPECT_EQ(FormatOfMediaType("image/jpeg"), ImageFormat::kJpeg);
  EXPECT_EQ(FormatOfMediaType("IMAGE/JPG; charset=binary"), ImageFormat::kJpeg);
  EXPECT_EQ(FormatOfMediaType("image/pjpeg"), ImageFormat::kJpeg);
  EXPECT_EQ(FormatOfMediaType(" image/png "), ImageFormat::kPng);
  EXPECT_EQ(FormatOfMediaType("image/webp"), ImageFormat::kWebp);
  for (std::string_view other : {"", "image/gif", "image/svg+xml", "text/html", "application/octet-stream",
                                 "multipart/form-data; boundary=x", "image/jpegx", "image/heic"})
    EXPECT_FALSE(FormatOfMediaType(other).has_value()) << other;
}

TEST(InspectImage, ReadsDimensionsAndNamesTheMetadataOfAPhoneJpeg) {
  Result<ImageInspection> r = InspectImage(Fixture("gps.jpg"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, ImageFormat::kJpeg);
  EXPECT_EQ(r->width, 320);
  EXPECT_EQ(r->height, 240);
  EXPECT_EQ(r->image_end, Fixture("gps.jpg").size());
  for (std::string_view m : {kMetaExif, kMetaXmp, kMetaIcc, kMetaIptc, kMetaComment}) EXPECT_TRUE(Has(*r, m)) << m;
}

TEST(InspectImage, ReadsPngAndWebp) {
  Result<ImageInspection> png = InspectImage(Fixture("gps.png"));
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png->format, ImageFormat::kPng);
  EXPECT_EQ(png->width, 320);
  EXPECT_EQ(png->height, 240);
  EXPECT_TRUE(Has(*png, kMetaExif));
  EXPECT_TRUE(Has(*png, kMetaText));
  Result<ImageInspection> webp = InspectImage(Fixture("gps.webp"));
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  EXPECT_EQ(webp->format, ImageFormat::kWebp);
  EXPECT_EQ(webp->width, 320);
  EXPECT_EQ(webp->height, 240);
  EXPECT_TRUE(Has(*webp, kMetaExif));
  EXPECT_TRUE(Has(*webp, kMetaXmp));
  Result<ImageInspection> alpha = InspectImage(Fixture("alpha.png"));
  ASSERT_TRUE(alpha.ok()) << alpha.status().ToString();
  EXPECT_TRUE(alpha->metadata.empty());
}

TEST(InspectImage, ReportsTheDeclaredSizeOfBombsWithoutDecodingThem) {
  Result<ImageInspection> bomb = InspectImage(Fixture("bomb.png"));
  ASSERT_TRUE(bomb.ok()) << bomb.status().ToString();
  EXPECT_EQ(bomb->width, 100000);
  EXPECT_EQ(bomb->height, 100000);
  Result<ImageInspection> huge = InspectImage(Fixture("huge-dims.jpg"));
  ASSERT_TRUE(huge.ok()) << huge.status().ToString();
  EXPECT_EQ(huge->width, 60000);
  EXPECT_EQ(huge->height, 60000);
}

TEST(InspectImage, RefusesWhatIsNotAJpegPngOrWebp) {
  for (const char* name : {"gif-named.jpg", "html-named.jpg", "script-named.png", "empty.jpg"}) {
    Result<ImageInspection> r = InspectImage(Fixture(name));
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Code::kUnsupportedMediaType) << name;
    EXPECT_EQ(r.status().slug(), problems::kNotAnImage) << name;
  }
  EXPECT_EQ(ArgOf(InspectImage(Fixture("gif-named.jpg")).status(), "detected"), "gif");
}

TEST(InspectImage, RefusesTruncatedFiles) {
  ExpectRefused(InspectImage(Fixture("truncated.jpg")), problems::kCorrupt, "truncated");
  const std::string png = Fixture("gps.png");
  ExpectRefused(InspectImage(png.substr(0, png.size() - 12)), problems::kCorrupt, "truncated");  // no IEND
  const std::string webp = Fixture("gps.webp");
  ExpectRefused(InspectImage(webp.substr(0, webp.size() / 2)), problems::kCorrupt, "truncated");
}

TEST(InspectImage, RefusesPolyglots) {
  ExpectRefused(InspectImage(Fixture("polyglot-zip.jpg")), problems::kPolyglot, "trailing-archive");
  ExpectRefused(InspectImage(Fixture("polyglot-html.png")), problems::kPolyglot, "embedded-markup");
  ExpectRefused(InspectImage(Fixture("polyglot-trailing-html.png")), problems::kPolyglot, "trailing-markup");
  ExpectRefused(InspectImage(Fixture("gps.webp") + "<ScRiPt>alert(1)</script>"), problems::kPolyglot,
                "trailing-markup");
}

TEST(InspectImage, AllowsOtherTrailingDataSuchAsAMotionPhoto) {
  // Phones append a video or a maker trailer after the JPEG's end; re-encoding drops it.
  std::string jpeg = Fixture("gps.jpg");
  const size_t end = jpeg.size();
  jpeg += std::string("\0\0\0\x18" "ftypmp42", 12) + std::string(4000, '\x5a');
  Result<ImageInspection> r = InspectImage(jpeg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->image_end, end);
}

TEST(InspectImage, RefusesBrokenStructure) {
  const std::string jpeg = Fixture("gps.jpg");
  // A second frame header (SOF0 320x240) right after SOI: two decoders could see two images.
  const std::string sof("\xFF\xC0\x00\x11\x08\x00\xF0\x01\x40\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 19);
  ExpectRefused(InspectImage(jpeg.substr(0, 2) + sof + jpeg.substr(2)), problems::kCorrupt, "structure");
  // A segment length below 2.
  ExpectRefused(InspectImage(std::string("\xFF\xD8\xFF\xE0\x00\x01", 6) + jpeg.substr(2)), problems::kCorrupt,
                "structure");
  // A PNG chunk whose checksum does not match.
  std::string png = Fixture("gps.png");
  png[20] ^= 0x01;  // inside IHDR's data
  ExpectRefused(InspectImage(png), problems::kCorrupt, "checksum");
  // A WebP whose RIFF size runs past the end of the file.
  std::string webp = Fixture("gps.webp");
  webp[4] = '\xFF';
  webp[5] = '\xFF';
  webp[6] = '\xFF';
  ExpectRefused(InspectImage(webp), problems::kCorrupt, "truncated");
}

// Every prefix and thousands of random mutations of each format: an answer, never a crash or a
// read out of bounds (the sanitizer build runs this too).
TEST(InspectImage, SurvivesEveryPrefixAndRandomMutations) {
  std::mt19937 rng(20240501);
  for (const char* name : {"gps.jpg", "gps.png", "gps.webp", "alpha.png", "bomb.png"}) {
    const std::string original = Fixture(name);
    for (size_t n = 0; n < original.size(); n += 3) {
      Result<ImageInspection> r = InspectImage(std::string_view(original).substr(0, n));
      if (r.ok()) {
        EXPECT_LE(r->image_end, n) << name << " prefix " << n;
      }
    }
    for (int i = 0; i < 2000; ++i) {
      std::string m = original;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < flips; ++k) m[rng() % m.size()] = static_cast<char>(rng() % 256);
      Result<ImageInspection> r = InspectImage(m);
      if (r.ok()) {
        EXPECT_LE(r->image_end, m.size());
      }
    }
  }
}

}  // namespace
}  // namespace gz::attachments
