// Cell readers of village registers. Layer: residents import domain.
#include "modules/residents/import/cell_values.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "modules/residents/resident_flags.h"

namespace gz::residents::import {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
constexpr std::string_view kNbsp = "\xC2\xA0";

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

struct RelationWord {
  std::string_view word;
  Relation relation;
};

constexpr RelationWord kRelationWords[] = {
    {"户主", Relation::kHead}, {"本人", Relation::kHead}, {"户主本人", Relation::kHead},
    {"head", Relation::kHead}, {"self", Relation::kHead},
    {"配偶", Relation::kSpouse}, {"夫", Relation::kSpouse}, {"妻", Relation::kSpouse}, {"丈夫", Relation::kSpouse},
    {"妻子", Relation::kSpouse}, {"爱人", Relation::kSpouse}, {"老伴", Relation::kSpouse},
    {"spouse", Relation::kSpouse}, {"wife", Relation::kSpouse}, {"husband", Relation::kSpouse},
    {"子", Relation::kChild}, {"女", Relation::kChild}, {"儿子", Relation::kChild}, {"女儿", Relation::kChild},
    {"子女", Relation::kChild}, {"独生子", Relation::kChild}, {"独生女", Relation::kChild},
    {"长子", Relation::kChild}, {"次子", Relation::kChild}, {"三子", Relation::kChild}, {"四子", Relation::kChild},
    {"五子", Relation::kChild}, {"长女", Relation::kChild}, {"次女", Relation::kChild}, {"三女", Relation::kChild},
    {"四女", Relation::kChild}, {"五女", Relation::kChild}, {"养子", Relation::kChild}, {"养女", Relation::kChild},
    {"继子", Relation::kChild}, {"继女", Relation::kChild}, {"之子", Relation::kChild}, {"之女", Relation::kChild},
    {"女婿", Relation::kChild}, {"儿媳", Relation::kChild}, {"儿媳妇", Relation::kChild},
    {"其他儿子", Relation::kChild}, {"其他女儿", Relation::kChild},
    {"child", Relation::kChild}, {"son", Relation::kChild}, {"daughter", Relation::kChild},
    {"孙子", Relation::kGrandchild}, {"孙女", Relation::kGrandchild}, {"外孙", Relation::kGrandchild},
    {"外孙子", Relation::kGrandchild}, {"外孙女", Relation::kGrandchild}, {"孙子女", Relation::kGrandchild},
    {"孙媳妇", Relation::kGrandchild}, {"孙女婿", Relation::kGrandchild}, {"曾孙子", Relation::kGrandchild},
    {"曾孙女", Relation::kGrandchild}, {"grandchild", Relation::kGrandchild},
    {"grandson", Relation::kGrandchild}, {"granddaughter", Relation::kGrandchild},
    {"父亲", Relation::kParent}, {"母亲", Relation::kParent}, {"父", Relation::kParent}, {"母", Relation::kParent},
    {"父母", Relation::kParent}, {"公公", Relation::kParent}, {"婆婆", Relation::kParent}, {"岳父", Relation::kParent},
    {"岳母", Relation::kParent}, {"继父", Relation::kParent}, {"继母", Relation::kParent}, {"养父", Relation::kParent},
    {"养母", Relation::kParent}, {"parent", Relation::kParent}, {"father", Relation::kParent},
    {"mother", Relation::kParent},
};

// GB/T 4761 relations the register has no place for yet.
constexpr std::string_view kUnsupportedRelations[] = {
    "祖父", "祖母", "祖父母", "外祖父", "外祖母", "外祖父母", "兄", "弟", "姐", "妹", "哥哥", "弟弟",
    "姐姐", "妹妹", "兄弟姐妹", "兄弟", "姐妹", "嫂子", "弟媳", "姐夫", "妹夫", "伯父", "伯母", "叔父",
    "婶母", "舅父", "舅母", "姨父", "姨母", "姑父", "姑母", "侄子", "侄女", "外甥", "外甥女", "其他",
    "其他亲属", "非亲属", "保姆", "grandparent", "sibling", "other",
};

// The relation group of a two-digit GB/T 4761 code.
RelationCell FromGbCode(int code) {
  if (code == 1 || code == 2) return {RelationParse::kOk, Relation::kHead};
  if (code >= 10 && code <= 12) return {RelationParse::kOk, Relation::kSpouse};
  if (code >= 20 && code <= 39) return {RelationParse::kOk, Relation::kChild};
  if (code >= 40 && code <= 49) return {RelationParse::kOk, Relation::kGrandchild};
  if (code >= 50 && code <= 59) return {RelationParse::kOk, Relation::kParent};
  if ((code >= 60 && code <= 99)) return {RelationParse::kUnsupported, Relation::kHead};
  return {};
}

DateCell Made(int y, int m, int d, DatePrecision p) {
  DateCell out;
  out.precision = p;
  out.date = CivilDate{y, p == DatePrecision::kYear ? 1 : m, p == DatePrecision::kDay ? d : 1};
  out.status = IsValidDate(out.date) ? DateParse::kOk : DateParse::kNotACalendarDay;
  return out;
}

// Splits "1990-1-5", "1990/01/05", "1990.1.5" or "1990年1月5日" into digit groups.
std::vector<std::string_view> DigitGroups(std::string_view s, bool* clean) {
  std::vector<std::string_view> groups;
  *clean = true;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i) {
      *clean = false;
      return groups;
    }
    groups.push_back(s.substr(i, j - i));
    if (j == s.size()) break;
    // One separator: - / . or 年 月 (日 only at the end).
    std::string_view rest = s.substr(j);
    size_t sep = 0;
    if (rest[0] == '-' || rest[0] == '/' || rest[0] == '.') sep = 1;
    else if (rest.starts_with("年") || rest.starts_with("月")) sep = 3;
    else if (rest == "日" || rest == "号") return groups;
    else {
      *clean = false;
      return groups;
    }
    i = j + sep;
    if (i == s.size()) break;  // "1990年1月"
  }
  return groups;
}

}  // namespace

std::string_view TrimCell(std::string_view text) {
  for (;;) {
    if (text.starts_with(' ') || text.starts_with('\t') || text.starts_with('\r') || text.starts_with('\n')) text.remove_prefix(1);
    else if (text.starts_with(kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size());
    else if (text.starts_with(kNbsp)) text.remove_prefix(kNbsp.size());
    else break;
  }
  for (;;) {
    if (text.ends_with(' ') || text.ends_with('\t') || text.ends_with('\r') || text.ends_with('\n')) text.remove_suffix(1);
    else if (text.ends_with(kIdeographicSpace)) text.remove_suffix(kIdeographicSpace.size());
    else if (text.ends_with(kNbsp)) text.remove_suffix(kNbsp.size());
    else break;
  }
  return text;
}

std::optional<Gender> ParseGenderCell(std::string_view text) {
  const std::string t = AsciiLower(TrimCell(text));
  if (t == "男" || t == "男性" || t == "male" || t == "m" || t == "1") return Gender::kMale;
  if (t == "女" || t == "女性" || t == "female" || t == "f" || t == "2") return Gender::kFemale;
  return std::nullopt;
}

RelationCell ParseRelationCell(std::string_view text) {
  std::string t = AsciiLower(TrimCell(text));
  if (t.size() == 2 && AllDigits(t)) return FromGbCode(ToInt(t));
  // "02 户主" / "02户主": a code followed by its name, as public-security exports print them.
  if (t.size() > 2 && AllDigits(std::string_view(t).substr(0, 2)) && !(t[2] >= '0' && t[2] <= '9')) {
    RelationCell by_code = FromGbCode(ToInt(std::string_view(t).substr(0, 2)));
    if (by_code.status != RelationParse::kUnknown) return by_code;
  }
  for (const RelationWord& w : kRelationWords)
    if (w.word == t) return {RelationParse::kOk, w.relation};
  for (std::string_view w : kUnsupportedRelations)
    if (w == t) return {RelationParse::kUnsupported, Relation::kHead};
  return {};
}

std::optional<CivilDate> ExcelSerialToDate(int64_t serial) {
  if (serial < 1 || serial == 60 || serial > 2958465) return std::nullopt;
  const int64_t epoch = DaysFromCivil(CivilDate{1899, 12, 31});
  // Before the phantom 1900-02-29 the serial counts from 1899-12-31; after it, one day less.
  return CivilFromDays(epoch + serial - (serial > 60 ? 1 : 0));
}

DateCell ParseDateCell(std::string_view text) {
  std::string_view t = TrimCell(text);
  // An ISO date-time ("1990-01-05T00:00:00", "1990-01-05 00:00:00"): the time is not ours.
  if (t.size() > 10 && (t[10] == 'T' || t[10] == ' ')) t = t.substr(0, 10);
  if (t.empty()) return {};

  // Only digits, perhaps with one '.': YYYYMMDD, YYYYMM, YYYY, or an Excel serial.
  const size_t dot = t.find('.');
  const std::string_view whole = t.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  if (AllDigits(whole) && (dot == std::string_view::npos || AllDigits(fraction))) {
    if (dot == std::string_view::npos && whole.size() == 8)
      return Made(ToInt(whole.substr(0, 4)), ToInt(whole.substr(4, 2)), ToInt(whole.substr(6, 2)), DatePrecision::kDay);
    if (dot == std::string_view::npos && whole.size() == 6 && ToInt(whole.substr(0, 4)) >= 1900 &&
        ToInt(whole.substr(0, 4)) <= 2100 && ToInt(whole.substr(4, 2)) >= 1 && ToInt(whole.substr(4, 2)) <= 12)
      return Made(ToInt(whole.substr(0, 4)), ToInt(whole.substr(4, 2)), 1, DatePrecision::kMonth);
    const int leading = whole.size() == 4 ? ToInt(whole) : 0;
    if (leading >= 1900 && leading <= 2100) {
      // "1990" is a year and "1990.01" a year and month, never the serials of 1905.
      if (dot == std::string_view::npos) return Made(leading, 1, 1, DatePrecision::kYear);
      if (fraction.size() <= 2 && ToInt(fraction) >= 1 && ToInt(fraction) <= 12)
        return Made(leading, ToInt(fraction), 1, DatePrecision::kMonth);
    }
    if (whole.size() <= 7) {
      if (std::optional<CivilDate> d = ExcelSerialToDate(ToInt(whole))) {
        DateCell out;
        out.status = DateParse::kOk;
        out.date = *d;
        return out;
      }
      return {};
    }
    return {};
  }

  bool clean = false;
  std::vector<std::string_view> g = DigitGroups(t, &clean);
  if (!clean || g.empty() || g[0].size() != 4) return {};
  for (size_t i = 1; i < g.size(); ++i)
    if (g[i].size() > 2) return {};
  if (g.size() == 3) return Made(ToInt(g[0]), ToInt(g[1]), ToInt(g[2]), DatePrecision::kDay);
  if (g.size() == 2) {
    const int month = ToInt(g[1]);
    if (month < 1 || month > 12) {
      DateCell bad;
      bad.status = DateParse::kNotACalendarDay;
      return bad;
    }
    return Made(ToInt(g[0]), month, 1, DatePrecision::kMonth);
  }
  return {};
}

FlagsCell ParseFlagsCell(std::string_view text) {
  FlagsCell out;
  std::string_view t = TrimCell(text);
  if (t == "无" || t == "否" || t == "-" || t == "—" || t == "/" || t == "none") return out;
  // Separators: 、 , ， ; ； / and spaces.
  static constexpr std::array<std::string_view, 9> kSeparators = {
      "\xE3\x80\x81", ",", "\xEF\xBC\x8C", ";", "\xEF\xBC\x9B", "/", " ", kIdeographicSpace, "\t"};
  size_t i = 0;
  std::string word;
  auto flush = [&]() {
    std::string w = AsciiLower(TrimCell(word));
    word.clear();
    if (w.empty()) return;
    std::string code;
    if (FindFlag(w) != nullptr) code = w;
    for (const FlagDefinition& f : kResidentFlags)
      if (f.name_zh == w) code = std::string(f.code);
    if (code.empty()) {
      if (w == "独居" || w == "空巢老人" || w == "独居老人") code = "elderly_alone";
      else if (w == "残疾人" || w == "残疾户" || w == "残疾") code = "disability";
      else if (w == "低保户" || w == "低保对象" || w == "低保") code = "low_income";
      if (!code.empty() && FindFlag(code) == nullptr) code.clear();
    }
    if (code.empty()) out.ok = false;
    else out.codes.push_back(std::move(code));
  };
  while (i < t.size()) {
    bool separated = false;
    for (std::string_view sep : kSeparators) {
      if (t.substr(i).starts_with(sep)) {
        flush();
        i += sep.size();
        separated = true;
        break;
      }
    }
    if (!separated) word += t[i++];
  }
  flush();
  if (!out.ok) out.codes.clear();
  return out;
}

std::optional<bool> ParseYesNoCell(std::string_view text) {
  const std::string t = AsciiLower(TrimCell(text));
  if (t == "是" || t == "√" || t == "✓" || t == "✔" || t == "有" || t == "y" || t == "yes" || t == "true" || t == "1")
    return true;
  if (t == "否" || t == "无" || t == "×" || t == "✗" || t == "n" || t == "no" || t == "false" || t == "0")
    return false;
  return std::nullopt;
}

}  // namespace gz::residents::import
