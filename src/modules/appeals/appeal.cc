// Layer: appeals domain (see appeal.h).
#include "modules/appeals/appeal.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "core/text.h"
#include "modules/appeals/problems.h"

namespace gz::appeals {
namespace {

constexpr std::array<AppealState, kStateCount> kStates = {
    AppealState::kSubmitted,   AppealState::kAccepted, AppealState::kInProgress, AppealState::kAnswered,
    AppealState::kClosed,      AppealState::kTransferred, AppealState::kEscalated, AppealState::kReopened,
    AppealState::kRejected,    AppealState::kContested, AppealState::kWithdrawn};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsCanonicalOfLevel(std::string_view code, UnitLevel level) {
  if (code.size() != 12 || !AllDigits(code) || code.substr(0, 2) == "00") return false;
  switch (level) {
    case UnitLevel::kVillage: return IsVillageCode(code);
    case UnitLevel::kTownship: return code.substr(6, 3) != "000" && code.substr(9, 3) == "000";
    case UnitLevel::kCounty: return code.substr(4, 2) != "00" && code.substr(6, 6) == "000000";
  }
  return false;
}

bool ValidDepartment(std::string_view d) {
  if (d.empty()) return true;
  if (d.size() > 32) return false;
  return std::all_of(d.begin(), d.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Status BadUnit(const char* reason) {
  return InvalidArgument(std::string(problems::kBadUnit)).With("reason", reason);
}

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000; }

// Code points without surrounding white space; nullopt when not valid text.
std::optional<size_t> CountTrimmedChars(std::string_view text) {
  std::optional<size_t> total = CountTextChars(text);
  if (!total) return std::nullopt;
  // Decode again, counting leading/trailing spaces (input is known to be valid here).
  std::vector<char32_t> cps;
  for (size_t i = 0; i < text.size();) {
    unsigned char b = static_cast<unsigned char>(text[i]);
    size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    cps.push_back(cp);
    i += n;
  }
  size_t lo = 0, hi = cps.size();
  while (lo < hi && IsSpace(cps[lo])) ++lo;
  while (hi > lo && IsSpace(cps[hi - 1])) --hi;
  return hi - lo;
}

Status BadText(std::string_view slug, const char* reason, size_t min, size_t max) {
  return InvalidArgument(std::string(slug))
      .With("reason", reason)
      .With("min", std::to_string(min))
      .With("max", std::to_string(max));
}

}  // namespace

std::string_view StateCode(AppealState state) {
  switch (state) {
    case AppealState::kSubmitted: return "submitted";
    case AppealState::kAccepted: return "accepted";
    case AppealState::kInProgress: return "in_progress";
    case AppealState::kAnswered: return "answered";
    case AppealState::kClosed: return "closed";
    case AppealState::kTransferred: return "transferred";
    case AppealState::kEscalated: return "escalated";
    case AppealState::kReopened: return "reopened";
    case AppealState::kRejected: return "rejected";
    case AppealState::kContested: return "contested";
    case AppealState::kWithdrawn: return "withdrawn";
  }
  return "submitted";
}

std::string_view StateNameZh(AppealState state) {
  switch (state) {
    case AppealState::kSubmitted: return "已提交";
    case AppealState::kAccepted: return "已签收";
    case AppealState::kInProgress: return "处置中";
    case AppealState::kAnswered: return "已反馈";
    case AppealState::kClosed: return "已办结";
    case AppealState::kTransferred: return "已流转";
    case AppealState::kEscalated: return "已升级";
    case AppealState::kReopened: return "已重办";
    case AppealState::kRejected: return "不予受理";
    case AppealState::kContested: return "申诉复核中";
    case AppealState::kWithdrawn: return "已撤回";
  }
  return "";
}

std::optional<AppealState> ParseState(std::string_view code) {
  for (AppealState s : kStates)
    if (StateCode(s) == code) return s;
  return std::nullopt;
}

std::span<const AppealState> AllStates() { return kStates; }

bool IsFinal(AppealState state) { return state == AppealState::kClosed || state == AppealState::kWithdrawn; }

bool AwaitsAcceptance(AppealState state) {
  return state == AppealState::kSubmitted || state == AppealState::kTransferred || state == AppealState::kReopened ||
         state == AppealState::kEscalated || state == AppealState::kContested;
}

bool IsOpen(AppealState state) {
  return !IsFinal(state) && state != AppealState::kRejected && state != AppealState::kAnswered;
}

std::string_view RatingCode(Rating rating) {
  switch (rating) {
    case Rating::kSatisfied: return "satisfied";
    case Rating::kBasicallySatisfied: return "basically_satisfied";
    case Rating::kDissatisfied: return "dissatisfied";
  }
  return "dissatisfied";
}

std::optional<Rating> ParseRating(std::string_view code) {
  for (Rating r : {Rating::kSatisfied, Rating::kBasicallySatisfied, Rating::kDissatisfied})
    if (RatingCode(r) == code) return r;
  return std::nullopt;
}

std::string_view RatingNameZh(Rating rating) {
  switch (rating) {
    case Rating::kSatisfied: return "满意";
    case Rating::kBasicallySatisfied: return "基本满意";
    case Rating::kDissatisfied: return "不满意";
  }
  return "";
}

std::string_view RatedViaCode(RatedVia via) { return via == RatedVia::kSubmitter ? "submitter" : "visit"; }

std::optional<RatedVia> ParseRatedVia(std::string_view code) {
  if (code == "submitter") return RatedVia::kSubmitter;
  if (code == "visit") return RatedVia::kVisit;
  return std::nullopt;
}

std::string_view ChannelCode(Channel channel) {
  switch (channel) {
    case Channel::kSelf: return "self";
    case Channel::kHelper: return "helper";
    case Channel::kStaff: return "staff";
    case Channel::kOpen311: return "open311";
  }
  return "self";
}

std::optional<Channel> ParseChannel(std::string_view code) {
  for (Channel c : {Channel::kSelf, Channel::kHelper, Channel::kStaff, Channel::kOpen311})
    if (ChannelCode(c) == code) return c;
  return std::nullopt;
}

std::string_view UnitLevelCode(UnitLevel level) {
  switch (level) {
    case UnitLevel::kVillage: return "village";
    case UnitLevel::kTownship: return "township";
    case UnitLevel::kCounty: return "county";
  }
  return "village";
}

std::optional<UnitLevel> ParseUnitLevel(std::string_view code) {
  for (UnitLevel l : {UnitLevel::kVillage, UnitLevel::kTownship, UnitLevel::kCounty})
    if (UnitLevelCode(l) == code) return l;
  return std::nullopt;
}

std::string HandlingUnit::Key() const {
  std::string key(UnitLevelCode(level));
  key += ':';
  key += division;
  if (!department.empty()) {
    key += ':';
    key += department;
  }
  return key;
}

Result<HandlingUnit> MakeUnit(UnitLevel level, std::string_view division, std::string_view department) {
  if (!IsCanonicalOfLevel(division, level)) return BadUnit("division");
  if (!ValidDepartment(department)) return BadUnit("department");
  return HandlingUnit{level, std::string(division), std::string(department)};
}

Result<HandlingUnit> ParseUnitKey(std::string_view key) {
  size_t first = key.find(':');
  if (first == std::string_view::npos) return BadUnit("division");
  std::optional<UnitLevel> level = ParseUnitLevel(key.substr(0, first));
  if (!level) return BadUnit("level");
  std::string_view rest = key.substr(first + 1);
  size_t second = rest.find(':');
  if (second == std::string_view::npos) return MakeUnit(*level, rest, "");
  if (second == rest.size() - 1) return BadUnit("department");
  return MakeUnit(*level, rest.substr(0, second), rest.substr(second + 1));
}

bool IsVillageCode(std::string_view code) {
  return code.size() == 12 && AllDigits(code) && code.substr(0, 2) != "00" && code.substr(6, 3) != "000" &&
         code.substr(9, 3) != "000";
}

std::string TownshipOf(std::string_view village) {
  if (village.size() != 12) return {};
  return std::string(village.substr(0, 9)) + "000";
}

std::string CountyOf(std::string_view village) {
  if (village.size() != 12) return {};
  return std::string(village.substr(0, 6)) + "000000";
}

HandlingUnit VillageUnitOf(std::string_view village) { return {UnitLevel::kVillage, std::string(village), ""}; }
HandlingUnit TownshipUnitOf(std::string_view village) { return {UnitLevel::kTownship, TownshipOf(village), ""}; }
HandlingUnit CountyUnitOf(std::string_view village) { return {UnitLevel::kCounty, CountyOf(village), ""}; }

std::optional<HandlingUnit> NextLevelUnit(const HandlingUnit& unit) {
  switch (unit.level) {
    case UnitLevel::kVillage: return HandlingUnit{UnitLevel::kTownship, TownshipOf(unit.division), ""};
    case UnitLevel::kTownship: return HandlingUnit{UnitLevel::kCounty, CountyOf(unit.division), ""};
    case UnitLevel::kCounty: return std::nullopt;
  }
  return std::nullopt;
}

bool UnitServes(const HandlingUnit& unit, std::string_view village) {
  if (!IsVillageCode(village) || !IsCanonicalOfLevel(unit.division, unit.level)) return false;
  switch (unit.level) {
    case UnitLevel::kVillage: return unit.division == village;
    case UnitLevel::kTownship: return unit.division == TownshipOf(village);
    case UnitLevel::kCounty: return unit.division == CountyOf(village);
  }
  return false;
}

Status ValidateAppealText(std::string_view text) {
  std::optional<size_t> all = CountTextChars(text);
  if (!all) return BadText(problems::kBadText, "encoding", kMinTextChars, kMaxTextChars);
  if (*all > kMaxTextChars) return BadText(problems::kBadText, "too-long", kMinTextChars, kMaxTextChars);
  if (*CountTrimmedChars(text) < kMinTextChars)
    return BadText(problems::kBadText, "too-short", kMinTextChars, kMaxTextChars);
  return Status::Ok();
}

Status ValidateNote(std::string_view text, bool required) {
  const size_t min = required ? kMinReasonChars : 0;
  std::optional<size_t> all = CountTextChars(text);
  if (!all) return BadText(problems::kBadNote, "encoding", min, kMaxNoteChars);
  if (*all > kMaxNoteChars) return BadText(problems::kBadNote, "too-long", min, kMaxNoteChars);
  if (*CountTrimmedChars(text) < min) return BadText(problems::kBadNote, "too-short", min, kMaxNoteChars);
  return Status::Ok();
}

Status ValidateLocation(const Location& location) {
  auto bad = [](const char* reason) {
    return InvalidArgument(std::string(problems::kBadLocation)).With("reason", reason);
  };
  if (!std::isfinite(location.latitude) || location.latitude < -90 || location.latitude > 90) return bad("latitude");
  if (!std::isfinite(location.longitude) || location.longitude < -180 || location.longitude > 180)
    return bad("longitude");
  std::optional<size_t> chars = CountTextChars(location.description);
  if (!chars || *chars > kMaxLocationChars) return bad("description");
  return Status::Ok();
}

}  // namespace gz::appeals
