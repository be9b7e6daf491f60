// Layer: appeals domain (see appeal_sealing.h).
#include "modules/appeals/appeal_sealing.h"

#include <charconv>
#include <cstdio>
#include <initializer_list>

#include "crypto/problems.h"

namespace gz::appeals {
namespace {

// Built by appending, piece by piece (GCC 12 warns falsely about "literal" + std::string).
std::string Join(std::string ad, std::initializer_list<std::string_view> parts) {
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) ad += '|';
    ad += p;
    first = false;
  }
  return ad;
}

std::string AppealAd(std::string_view column, const Appeal& a) {
  std::string head = "appeals_appeals.";
  head += column;
  head += ':';
  return Join(std::move(head), {std::to_string(a.id), a.village, std::to_string(a.submitter_account),
                                std::to_string(a.submitter_resident), std::to_string(a.submitted_at_ms)});
}

std::string NoteAd(const TimelineEntry& e) {
  return Join("appeals_timeline.note:", {std::to_string(e.id), std::to_string(e.appeal_id), std::to_string(e.seq),
                                         VisibilityCode(e.visibility), e.action});
}

Result<std::string> OpenColumn(const crypto::FieldCipher& cipher, const char* column, std::string_view sealed,
                               const std::string& ad) {
  Result<std::string> opened = cipher.Open(sealed, ad);
  if (!opened.ok()) return Status(opened.status()).With("column", column);
  return opened;
}

Status Corrupt(const char* column) {
  return FailedPrecondition(std::string(crypto::problems::kIntegrityFailure), "undecodable opened value")
      .With("column", column);
}

bool ParseDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::string EncodeLocation(const Location& l) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.7f,%.7f|", l.latitude, l.longitude);
  return std::string(buf) + l.description;
}

Result<Location> DecodeLocation(std::string_view encoded) {
  size_t bar = encoded.find('|');
  if (bar == std::string_view::npos) return Corrupt("location");
  std::string_view point = encoded.substr(0, bar);
  size_t comma = point.find(',');
  Location l;
  if (comma == std::string_view::npos || !ParseDouble(point.substr(0, comma), l.latitude) ||
      !ParseDouble(point.substr(comma + 1), l.longitude))
    return Corrupt("location");
  l.description = std::string(encoded.substr(bar + 1));
  return l;
}

void SealContent(const crypto::FieldCipher& cipher, Appeal& a, const AppealContent& content) {
  a.text_sealed = cipher.Seal(content.text, AppealAd("text", a));
  if (content.location) a.location_sealed = cipher.Seal(EncodeLocation(*content.location), AppealAd("location", a));
  else a.location_sealed.reset();
}

Result<AppealContent> OpenContent(const crypto::FieldCipher& cipher, const Appeal& a) {
  AppealContent out;
  GZ_ASSIGN_OR_RETURN(out.text, OpenColumn(cipher, "text", a.text_sealed, AppealAd("text", a)));
  if (a.location_sealed) {
    GZ_ASSIGN_OR_RETURN(std::string encoded, OpenColumn(cipher, "location", *a.location_sealed, AppealAd("location", a)));
    GZ_ASSIGN_OR_RETURN(out.location, DecodeLocation(encoded));
  }
  return out;
}

void SealNote(const crypto::FieldCipher& cipher, TimelineEntry& e, const std::string& note) {
  e.note_sealed = cipher.Seal(note, NoteAd(e));
}

Result<std::optional<std::string>> OpenNote(const crypto::FieldCipher& cipher, const TimelineEntry& e) {
  if (!e.note_sealed) return std::optional<std::string>();
  GZ_ASSIGN_OR_RETURN(std::string note, OpenColumn(cipher, "note", *e.note_sealed, NoteAd(e)));
  return std::optional<std::string>(std::move(note));
}

}  // namespace gz::appeals
