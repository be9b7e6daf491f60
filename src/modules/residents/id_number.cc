#include "modules/residents/id_number.h"

#include "modules/residents/problems.h"

namespace gz::residents {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};  // by S mod 11

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

struct ReasonText {
  std::string_view reason, zh, en;
};
constexpr ReasonText kReasonTexts[] = {
    {"length", "应为 18 位", "it must have 18 characters"},
    {"non-digit", "前 17 位应为数字，最后一位为数字或 X", "the first 17 characters must be digits, the last a digit or X"},
    {"lowercase-x", "最后一位的 X 应大写", "the final X must be upper-case"},
    {"check-char", "校验码不符，请核对是否输错", "the check character does not match; please look for a typo"},
    {"region", "前 6 位不是有效的地区代码", "the first 6 digits are not a valid region code"},
    {"birth-date", "出生日期不存在", "the birth date does not exist"},
    {"birth-before-1900", "出生日期早于 1900 年", "the birth date is before 1900"},
    {"birth-in-future", "出生日期晚于今天", "the birth date is after today"},
    {"age-over-120", "年龄超过 120 岁", "the person would be older than 120"},
    {"gender-mismatch", "与所填性别不符", "it does not match the stated gender"},
    {"unknown-region", "前 6 位不是已知的地区代码", "the first 6 digits are not a known region code"},
};

// The reason code (stable, for programs) and its explanation in both languages (for people).
Status Bad(std::string_view reason) {
  Status s = InvalidArgument(std::string(problems::kBadIdNumber)).With("reason", std::string(reason));
  for (const ReasonText& t : kReasonTexts)
    if (t.reason == reason) s.With("why_zh", std::string(t.zh)).With("why_en", std::string(t.en));
  return s;
}

// Province-level prefixes of GB/T 2260 in use on ID cards, and the residence-permit prefixes.
bool PlausibleRegion(std::string_view region) {
  const int p = Num(region.substr(0, 2));
  const bool rest_zero = region.substr(2) == "0000";
  switch (p) {
    case 11: case 12: case 13: case 14: case 15:
    case 21: case 22: case 23:
    case 31: case 32: case 33: case 34: case 35: case 36: case 37:
    case 41: case 42: case 43: case 44: case 45: case 46:
    case 50: case 51: case 52: case 53: case 54:
    case 61: case 62: case 63: case 64: case 65:
      return !rest_zero;  // a number is issued by a county- or city-level office, never "420000"
    case 81: case 82: case 83:
      return rest_zero;  // 港澳台居民居住证: 810000 / 820000 / 830000
    default:
      return false;
  }
}

}  // namespace

bool PlausibleIdRegion(std::string_view region) {
  if (region.size() != 6) return false;
  for (char c : region)
    if (!IsDigit(c)) return false;
  return PlausibleRegion(region);
}

Status CrossCheckIdNumber(const IdNumberInfo& id, const CivilDate& today, std::optional<Gender> stated,
                          const RegionCodes* regions) {
  if (id.birth_date <= today && AgeOn(id.birth_date, today) > kMaxAgeYears) return Bad("age-over-120");
  if (stated && *stated != id.gender) return Bad("gender-mismatch");
  const bool residence_permit = id.region_code.size() == 6 && id.region_code[0] == '8';
  if (regions != nullptr && !residence_permit && !regions->Exists(id.region_code)) return Bad("unknown-region");
  return Status::Ok();
}

char IdNumberCheckChar(std::string_view body17) {
  int s = 0;
  for (int i = 0; i < 17; ++i) s += (body17[i] - '0') * kWeights[i];
  return kCheckChars[s % 11];
}

Result<IdNumberInfo> ParseIdNumber(std::string_view text, const CivilDate& today) {
  if (text.size() != 18) return Bad("length");
  for (size_t i = 0; i < 17; ++i)
    if (!IsDigit(text[i])) return Bad("non-digit");
  const char last = text[17];
  if (last == 'x') return Bad("lowercase-x");
  if (!IsDigit(last) && last != 'X') return Bad("non-digit");
  if (IdNumberCheckChar(text.substr(0, 17)) != last) return Bad("check-char");
  if (!PlausibleRegion(text.substr(0, 6))) return Bad("region");
  const CivilDate birth{Num(text.substr(6, 4)), Num(text.substr(10, 2)), Num(text.substr(12, 2))};
  if (!IsValidDate(birth)) return Bad("birth-date");
  if (birth < CivilDate{1900, 1, 1}) return Bad("birth-before-1900");
  if (birth > today) return Bad("birth-in-future");
  IdNumberInfo info;
  info.region_code = std::string(text.substr(0, 6));
  info.birth_date = birth;
  info.sequence = Num(text.substr(14, 3));
  info.gender = info.sequence % 2 == 1 ? Gender::kMale : Gender::kFemale;
  return info;
}

std::string NormalizeIdNumber(std::string_view typed) {
  std::string out;
  out.reserve(18);
  for (size_t i = 0; i < typed.size();) {
    const unsigned char c = static_cast<unsigned char>(typed[i]);
    // Full-width forms U+FF10..U+FF19 (０-９), U+FF38 (Ｘ), U+FF58 (ｘ): EF BC 90-99, EF BC B8, EF BD 98.
    if (c == 0xEF && i + 2 < typed.size()) {
      const unsigned char b1 = static_cast<unsigned char>(typed[i + 1]);
      const unsigned char b2 = static_cast<unsigned char>(typed[i + 2]);
      if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) { out += static_cast<char>('0' + (b2 - 0x90)); i += 3; continue; }
      if ((b1 == 0xBC && b2 == 0xB8) || (b1 == 0xBD && b2 == 0x98)) { out += 'X'; i += 3; continue; }
    }
    if (c == ' ' || c == '\t') { ++i; continue; }
    out += c == 'x' ? 'X' : static_cast<char>(c);
    ++i;
  }
  return out;
}

Result<std::string> MakeIdNumber(std::string_view region_code, const CivilDate& birth_date, int sequence) {
  if (region_code.size() != 6 || sequence < 0 || sequence > 999) return Bad("length");
  for (char c : region_code)
    if (!IsDigit(c)) return Bad("non-digit");
  if (!IsValidDate(birth_date) || birth_date.year > 9999) return Bad("birth-date");
  auto digits = [](int v, int width) {
    std::string s(static_cast<size_t>(width), '0');
    for (int i = width - 1; i >= 0; --i, v /= 10) s[static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
    return s;
  };
  std::string out = std::string(region_code) + digits(birth_date.year, 4) + digits(birth_date.month, 2) +
                    digits(birth_date.day, 2) + digits(sequence, 3);
  out += IdNumberCheckChar(out);
  GZ_RETURN_IF_ERROR(ParseIdNumber(out, birth_date).status());
  return out;
}

bool HasSyntheticSequence(std::string_view text) {
  if (text.size() != 18) return false;
  for (size_t i = 14; i < 17; ++i)
    if (!IsDigit(text[i])) return false;
  const int seq = Num(text.substr(14, 3));
  return seq >= kFirstSyntheticSequence && seq <= kLastSyntheticSequence;
}

bool HasWideSyntheticSequence(std::string_view text) {
  if (text.size() != 18) return false;
  for (size_t i = 14; i < 17; ++i)
    if (!IsDigit(text[i])) return false;
  const int seq = Num(text.substr(14, 3));
  return seq >= kFirstWideSyntheticSequence && seq <= kLastSyntheticSequence;
}

}  // namespace gz::residents
