// The pure rules of the consents domain: methods, actions, windows, free text, base64, image
// sniffing, SHA-256, RFC 3339, the demo PNG.
#include <gtest/gtest.h>

#include "access/policy.h"
#include "modules/consents/consent.h"
#include "modules/consents/evidence.h"
#include "modules/consents/problems.h"
#include "modules/consents/seed_demo.h"
#include "modules/consents/time_text.h"

namespace gz::consents {
namespace {

std::string Jpeg(size_t size) {
  std::string s(size, '\0');
  s[0] = '\xFF';
  s[1] = '\xD8';
  s[2] = '\xFF';
  s[3] = '\xE0';
  return s;
}

TEST(ConsentMethod, CodesRoundTripAndUnknownIsRefused) {
  for (Method m : {Method::kInPersonSignature, Method::kInPersonThumbprint, Method::kPhoneCall, Method::kInApp,
                   Method::kSmsCode})
    EXPECT_EQ(ParseMethod(MethodCode(m)), m);
  EXPECT_FALSE(ParseMethod("IN_APP"));
  EXPECT_FALSE(ParseMethod("sms"));
  EXPECT_TRUE(NeedsEvidenceImage(Method::kInPersonThumbprint));
  EXPECT_FALSE(NeedsEvidenceImage(Method::kPhoneCall));
}

TEST(ConsentActions, OnlyDelegablePermissionsSortedAndUnique) {
  std::vector<std::string> delegable = DelegablePermissions();
  ASSERT_FALSE(delegable.empty());
  EXPECT_TRUE(std::is_sorted(delegable.begin(), delegable.end()));
  for (const std::string& name : delegable) EXPECT_TRUE(access::FindPermission(name)->delegable) << name;
  EXPECT_EQ(std::count(delegable.begin(), delegable.end(), "consents.grant"), 0);
  EXPECT_EQ(std::count(delegable.begin(), delegable.end(), "residents.read"), 1);

  auto ok = NormalizeActions(std::vector<std::string>{"residents.read", "me.read"});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok, (std::vector<std::string>{"me.read", "residents.read"}));

  auto reason = [](std::vector<std::string> actions) {
    auto r = NormalizeActions(actions);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().slug(), problems::kBadActions);
    return std::string(r.status().Arg("reason"));
  };
  EXPECT_EQ(reason({}), "empty");
  EXPECT_EQ(reason({"residents.steal"}), "unknown");
  // Not something a villager holds: a helper can never be given it.
  EXPECT_EQ(reason({"consents.grant"}), "not-delegable");
  EXPECT_EQ(reason({"residents.write"}), "not-delegable");
  EXPECT_EQ(reason({"me.read", "me.read"}), "duplicate");
  EXPECT_EQ(reason(std::vector<std::string>(kMaxActions + 1, "me.read")), "too-many");
}

TEST(ConsentWindow, EdgesOfEveryLimit) {
  const int64_t now = 1'800'000'000'000;
  auto reason = [&](int64_t from, int64_t until) {
    Status s = CheckWindow(from, until, now);
    return s.ok() ? std::string("ok") : std::string(s.Arg("reason"));
  };
  EXPECT_EQ(reason(now, now + kMaxValidityMs), "ok");
  EXPECT_EQ(reason(now, now + kMaxValidityMs + 1), "longer-than-a-year");
  EXPECT_EQ(reason(now - kStartToleranceMs, now + kDayMs), "ok");
  EXPECT_EQ(reason(now - kStartToleranceMs - 1, now + kDayMs), "starts-in-the-past");
  EXPECT_EQ(reason(now + kMaxStartAheadMs, now + kMaxStartAheadMs + 1), "ok");
  EXPECT_EQ(reason(now + kMaxStartAheadMs + 1, now + kMaxStartAheadMs + 2), "starts-too-late");
  EXPECT_EQ(reason(now, now), "ends-before-start");
  EXPECT_EQ(reason(now, now - 1), "ends-before-start");
}

TEST(ConsentLifecycle, HalfOpenWindowAndRevocation) {
  Consent c;
  c.valid_from_ms = 1000;
  c.valid_until_ms = 2000;
  EXPECT_EQ(LifecycleAt(c, 999), Lifecycle::kPending);
  EXPECT_EQ(LifecycleAt(c, 1000), Lifecycle::kActive);
  EXPECT_EQ(LifecycleAt(c, 1999), Lifecycle::kActive);
  EXPECT_EQ(LifecycleAt(c, 2000), Lifecycle::kExpired);
  c.revoked_at_ms = 1500;
  EXPECT_EQ(LifecycleAt(c, 1200), Lifecycle::kRevoked);
  EXPECT_FALSE(ActiveAt(c, 1200));
  EXPECT_EQ(LifecycleCode(Lifecycle::kPending), "pending");
}

TEST(ConsentFreeText, CountsCharactersNotBytesAndRefusesControls) {
  std::string chinese;
  for (int i = 0; i < 500; ++i) chinese += "村";  // 3 bytes each
  EXPECT_EQ(CheckFreeText(chinese, 500, true), "");
  EXPECT_EQ(CheckFreeText(chinese + "x", 500, true), "too-long");
  EXPECT_EQ(CheckFreeText("line one\nline two\tend", 500, true), "");
  EXPECT_EQ(CheckFreeText("line one\nline two", 500, false), "control-character");
  EXPECT_EQ(CheckFreeText(std::string("nul\0here", 8), 500, true), "control-character");
  EXPECT_EQ(CheckFreeText("esc\x1b[31m", 500, true), "control-character");
  EXPECT_EQ(CheckFreeText("bidi \xE2\x80\xAE txt", 500, true), "control-character");  // U+202E
  EXPECT_EQ(CheckFreeText("c1 \xC2\x85 next", 500, true), "control-character");        // U+0085
  EXPECT_EQ(CheckFreeText("\xE2\x80\x94 dash is fine", 500, true), "");                // U+2014
}

TEST(ConsentBase64, RoundTripsAndRefusesEverythingElse) {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(bytes), 1000), bytes) << n;
    bytes.push_back(static_cast<char>(n * 37 + 1));
  }
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(DecodeBase64("Zm9vYg==", 100), "foob");
  EXPECT_FALSE(DecodeBase64("Zm9vYg=", 100));     // length not a multiple of 4
  EXPECT_FALSE(DecodeBase64("Zm9v Yg==", 100));   // whitespace
  EXPECT_FALSE(DecodeBase64("Zm9vYh==", 100));    // bits under the padding: not canonical
  EXPECT_FALSE(DecodeBase64("Zm=vYg==", 100));    // padding inside
  EXPECT_FALSE(DecodeBase64("Zm9v-_==", 100));    // URL alphabet
  EXPECT_FALSE(DecodeBase64("====", 100));
  EXPECT_FALSE(DecodeBase64("Zm9vYmFy", 5));      // decodes past the limit
  EXPECT_EQ(DecodeBase64("Zm9vYmFy", 6), "foobar");
}

TEST(ConsentEvidence, SniffsJpegAndPngByTheirFirstBytesOnly) {
  EXPECT_EQ(SniffImage(Jpeg(10)), "image/jpeg");
  EXPECT_EQ(SniffImage(DemoEvidencePng()), "image/png");
  EXPECT_FALSE(SniffImage("GIF89a\x01\x00\x01\x00"));
  EXPECT_FALSE(SniffImage("<svg xmlns='http://www.w3.org/2000/svg'/>"));
  EXPECT_FALSE(SniffImage(std::string("\x89PNG\r\n\x1a\n", 8)));                      // signature only
  EXPECT_FALSE(SniffImage(std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIDAT", 16)));        // IHDR must come first
  EXPECT_FALSE(SniffImage("\xFF\xD8"));
  EXPECT_FALSE(SniffImage(""));
}

TEST(ConsentEvidence, DecodesWithinTheLimitAndSaysWhyNot) {
  auto exact = DecodeEvidenceImage(EncodeBase64(Jpeg(kMaxEvidenceBytes)));
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->size(), kMaxEvidenceBytes);

  auto over = DecodeEvidenceImage(EncodeBase64(Jpeg(kMaxEvidenceBytes + 1)));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), Code::kTooLarge);
  EXPECT_EQ(over.status().slug(), problems::kEvidenceTooLarge);
  EXPECT_EQ(over.status().Arg("limit"), "2097152");

  auto reason = [](std::string_view b64) { return std::string(DecodeEvidenceImage(b64).status().Arg("reason")); };
  EXPECT_EQ(reason(""), "empty");
  EXPECT_EQ(reason("not base64!"), "not-base64");
  EXPECT_EQ(reason(EncodeBase64("GIF89a....")), "not-jpeg-or-png");
  EXPECT_EQ(reason(EncodeBase64("%PDF-1.7\n")), "not-jpeg-or-png");
}

TEST(ConsentTime, ParsesRfc3339WithOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01t00:00:00.123456789z"), 123);
  EXPECT_EQ(ParseRfc3339Ms("2027-03-01T08:00:00+08:00"), ParseRfc3339Ms("2027-03-01T00:00:00Z"));
  EXPECT_EQ(ParseRfc3339Ms("2026-12-31T23:00:00-01:00"), ParseRfc3339Ms("2027-01-01T00:00:00Z"));
  EXPECT_EQ(ParseRfc3339Ms("2028-02-29T00:00:00Z").value() - ParseRfc3339Ms("2028-02-28T00:00:00Z").value(), kDayMs);
  EXPECT_EQ(ParseRfc3339Ms("2026-11-28T18:30:00.123Z"), 1795890600123);
  for (const char* bad : {"2027-02-29T00:00:00Z", "2027-13-01T00:00:00Z", "2027-01-01T24:00:00Z",
                          "2027-01-01T00:00:60Z", "2027-01-01T00:00:00", "2027-01-01 00:00:00Z",
                          "2027-01-01T00:00:00.Z", "2027-01-01T00:00:00Zjunk", "2027-01-01T00:00:00+0800",
                          "1969-12-31T23:59:59Z", "27-01-01T00:00:00Z", "", "tomorrow"})
    EXPECT_FALSE(ParseRfc3339Ms(bad)) << bad;
  EXPECT_EQ(FormatRfc3339Ms(1795890600123), "2026-11-28T18:30:00.123Z");
}

TEST(ConsentDemo, GeneratedPngIsWellFormed) {
  std::string png = DemoEvidencePng(16, 8);
  ASSERT_GE(png.size(), 57u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // Every PNG ends with the same IEND chunk: length 0, "IEND", CRC AE 42 60 82.
  EXPECT_EQ(png.substr(png.size() - 12), std::string("\0\0\0\0IEND\xAE\x42\x60\x82", 12));
  // IHDR's CRC of a 16x8 8-bit greyscale image, computed independently (Python's zlib.crc32).
  EXPECT_EQ(png.substr(29, 4), std::string("\xD5\x1D\x20\x4B", 4));
  EXPECT_EQ(DemoEvidencePng(), DemoEvidencePng());
}

}  // namespace
}  // namespace gz::consents
