// Layer: consents domain (see seed_demo.h).
#include "modules/consents/seed_demo.h"

#include <array>

#include "core/log.h"

namespace gz::consents {
namespace {

uint32_t Crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t Adler32(std::string_view bytes) {
  uint32_t a = 1, b = 0;
  for (char ch : bytes) {
    a = (a + static_cast<unsigned char>(ch)) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

void PutBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift & 0xFF));
}

void PutChunk(std::string& png, std::string_view type, std::string_view data) {
  PutBe32(png, static_cast<uint32_t>(data.size()));
  std::string body(type);
  body.append(data);
  png.append(body);
  PutBe32(png, Crc32(body));
}

}  // namespace

std::string DemoEvidencePng(int width, int height) {
  // Rows of greyscale pixels, each after filter byte 0: white paper with a dark stroke across.
  std::string raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back('\0');
    for (int x = 0; x < width; ++x) raw.push_back(static_cast<char>((x * height / width) == y ? 0x20 : 0xF0));
  }
  // zlib stream of stored (uncompressed) deflate blocks of at most 65,535 bytes.
  std::string zlib = {'\x78', '\x01'};
  for (size_t pos = 0; pos < raw.size() || pos == 0; pos += 65535) {
    const size_t n = std::min<size_t>(65535, raw.size() - pos);
    const bool last = pos + n >= raw.size();
    zlib.push_back(last ? '\x01' : '\x00');
    zlib.push_back(static_cast<char>(n & 0xFF));
    zlib.push_back(static_cast<char>(n >> 8));
    zlib.push_back(static_cast<char>(~n & 0xFF));
    zlib.push_back(static_cast<char>(~n >> 8 & 0xFF));
    zlib.append(raw, pos, n);
    if (last) break;
  }
  PutBe32(zlib, Adler32(raw));

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  PutBe32(ihdr, static_cast<uint32_t>(width));
  PutBe32(ihdr, static_cast<uint32_t>(height));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit, greyscale, deflate, adaptive filter, no interlace
  PutChunk(png, "IHDR", ihdr);
  PutChunk(png, "IDAT", zlib);
  PutChunk(png, "IEND", "");
  return png;
}

Result<DemoConsentReport> SeedDemoConsent(ConsentService& service, AccountFacts& accounts, int64_t villager_account,
                                          int64_t helper_account) {
  ConsentQuery existing;
  existing.party_account = villager_account;
  existing.villager_account = villager_account;
  existing.helper_account = helper_account;
  existing.limit = 200;
  GZ_ASSIGN_OR_RETURN(ConsentPage page, service.List(existing));
  const int64_t now = service.NowMs();
  for (const Consent& c : page.items)
    if (!c.revoked_at_ms && c.valid_until_ms > now) return DemoConsentReport{false, c.id};

  // Recorded by the helper, in person, as the demo story goes (README: demo accounts).
  GZ_ASSIGN_OR_RETURN(std::optional<AccountSummary> helper, accounts.Find(helper_account));
  if (!helper) return InvalidArgument("consents/helper-not-eligible", "demo helper account missing");
  access::Principal recorder;
  recorder.self.account_id = helper_account;
  recorder.self.village = helper->home_village;
  recorder.self.grants = helper->grants;
  recorder.request_id = "seed-demo";

  GrantRequest request;
  request.villager_account = villager_account;
  request.helper_account = helper_account;
  request.actions = DelegablePermissions();
  request.valid_days = 365;
  request.method = Method::kInPersonSignature;
  request.evidence_image = DemoEvidencePng();
  GZ_ASSIGN_OR_RETURN(Consent c, service.Grant(recorder, request));
  log::Info("demo.consent_seeded", {{"consent", c.id}, {"villager", villager_account}, {"helper", helper_account}});
  return DemoConsentReport{true, c.id};
}

}  // namespace gz::consents
