#include "modules/residents/api/my_data_page.h"

#include "access/role.h"
#include "modules/residents/api/resident_json.h"
#include "modules/residents/resident_flags.h"

namespace gz::residents {
namespace {

// Labels by language: {zh, en}.
struct Label {
  std::string_view zh, en;
  std::string_view operator()(http::Language l) const { return l == http::Language::kEn ? en : zh; }
};

constexpr Label kTitle{"我的个人信息", "My personal data"};
constexpr Label kIntro{"本页列出公治系统中保存的关于您的全部信息。请妥善保管，不要转发给他人。",
                       "This page lists everything gongzhi holds about you. Keep it safe and do not pass it on."};
constexpr Label kGenerated{"生成时间（UTC）", "Generated (UTC)"};
constexpr Label kAccount{"账户", "Account"};
constexpr Label kAccountId{"账户编号", "Account number"};
constexpr Label kHomeVillage{"所属村（社区）代码", "Home village code"};
constexpr Label kRoles{"角色", "Roles"};
constexpr Label kActingHelper{"代办人账户（本次查看）", "Helper acting for you (this export)"};
constexpr Label kResident{"居民登记信息", "Resident record"};
constexpr Label kNoResident{"您的账户尚未关联居民登记信息。", "Your account is not linked to a resident record."};
constexpr Label kName{"姓名", "Name"};
constexpr Label kIdNumber{"公民身份号码", "Citizen ID number"};
constexpr Label kPhone{"手机号码", "Mobile phone"};
constexpr Label kGender{"性别", "Gender"};
constexpr Label kBirthYear{"出生年份", "Year of birth"};
constexpr Label kRelation{"与户主关系", "Relation to the head of household"};
constexpr Label kFlags{"特殊情况标记", "Sensitive flags"};
constexpr Label kNone{"无", "None"};
constexpr Label kRegistered{"登记时间（UTC）", "Registered (UTC)"};
constexpr Label kUpdated{"最近修改（UTC）", "Last changed (UTC)"};
constexpr Label kHousehold{"户", "Household"};
constexpr Label kAddress{"地址", "Address"};
constexpr Label kOthers{"同户其他成员（仅显示关系、性别、出生年份）", "Other members (relation, gender, year of birth only)"};
constexpr Label kCorrections{"我的更正申请", "My correction requests"};
constexpr Label kNoCorrections{"没有更正申请。", "No correction requests."};
constexpr Label kField{"字段", "Field"};
constexpr Label kProposed{"申请更正为", "Proposed value"};
constexpr Label kReason{"理由", "Reason"};
constexpr Label kStatus{"状态", "Status"};
constexpr Label kNote{"村委会答复", "Committee's note"};
constexpr Label kRecordNumber{"编号", "Number"};
constexpr Label kMale{"男", "Male"};
constexpr Label kFemale{"女", "Female"};
constexpr Label kOpen{"待处理", "Open"};
constexpr Label kAccepted{"已采纳", "Accepted"};
constexpr Label kDeclined{"未采纳", "Declined"};
constexpr Label kWhoRead{"谁查看过我的个人信息：请在“我的”页面查看访问记录。",
                         "Who read your personal data: see the access log on your \"Me\" page."};

std::string_view RelationName(Relation r, http::Language l) {
  if (l == http::Language::kZh) return RelationNameZh(r);
  switch (r) {
    case Relation::kHead: return "Head of household";
    case Relation::kSpouse: return "Spouse";
    case Relation::kChild: return "Child";
    case Relation::kParent: return "Parent";
    case Relation::kGrandchild: return "Grandchild";
  }
  return "";
}

std::string_view FieldName(CorrectionField f, http::Language l) {
  switch (f) {
    case CorrectionField::kName: return kName(l);
    case CorrectionField::kIdNumber: return kIdNumber(l);
    case CorrectionField::kPhone: return kPhone(l);
    case CorrectionField::kAddress: return kAddress(l);
  }
  return "";
}

std::string_view StatusName(CorrectionStatus s, http::Language l) {
  switch (s) {
    case CorrectionStatus::kOpen: return kOpen(l);
    case CorrectionStatus::kAccepted: return kAccepted(l);
    case CorrectionStatus::kDeclined: return kDeclined(l);
  }
  return "";
}

class Page {
 public:
  explicit Page(http::Language l) : l_(l) {}
  void Raw(std::string_view s) { out_ += s; }
  void Text(std::string_view s) { out_ += HtmlEscape(s); }
  void Heading(const Label& label) {
    Raw("<h2>");
    Text(label(l_));
    Raw("</h2>\n");
  }
  void Row(const Label& label, std::string_view value) {
    Raw("<tr><th>");
    Text(label(l_));
    Raw("</th><td>");
    Text(value);
    Raw("</td></tr>\n");
  }
  void Paragraph(std::string_view s) {
    Raw("<p>");
    Text(s);
    Raw("</p>\n");
  }
  std::string Release() { return std::move(out_); }

 private:
  http::Language l_;
  std::string out_;
};

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if (c >= 0x20 && c != 0x7f) out += static_cast<char>(c);
          else if (c == '\n' || c == '\t') out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Copy a complete, valid UTF-8 sequence; anything else becomes U+FFFD.
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    char32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string RenderMyDataPage(const MyData& d, http::Language l) {
  Page p(l);
  p.Raw("<!DOCTYPE html>\n<html lang=\"");
  p.Raw(l == http::Language::kEn ? "en" : "zh-CN");
  p.Raw("\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  p.Text(kTitle(l));
  p.Raw("</title>\n<style>\n"
        "body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:48em;"
        "margin:2em auto;padding:0 1em;color:#111;line-height:1.5}\n"
        "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}\n"
        "th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}\n"
        "th{background:#eee;width:35%}\n"
        "@media print{body{margin:0}h2{break-after:avoid}table{break-inside:avoid}}\n"
        "</style>\n</head>\n<body>\n<h1>");
  p.Text(kTitle(l));
  p.Raw("</h1>\n");
  p.Paragraph(kIntro(l));
  p.Raw("<table>\n");
  p.Row(kGenerated, TimeText(d.generated_at_ms));
  p.Raw("</table>\n");

  p.Heading(kAccount);
  p.Raw("<table>\n");
  p.Row(kAccountId, std::to_string(d.account_id));
  p.Row(kHomeVillage, d.home_village.empty() ? kNone(l) : std::string_view(d.home_village));
  std::string roles;
  for (const access::Grant& g : d.grants) {
    if (!roles.empty()) roles += l == http::Language::kEn ? ", " : "，";
    roles += l == http::Language::kEn ? access::RoleNameEn(g.role) : access::RoleNameZh(g.role);
    roles += " @ " + g.scope;
  }
  p.Row(kRoles, roles.empty() ? std::string(kNone(l)) : roles);
  if (d.helper_account != 0) p.Row(kActingHelper, std::to_string(d.helper_account));
  p.Raw("</table>\n");

  p.Heading(kResident);
  if (!d.resident) {
    p.Paragraph(kNoResident(l));
  } else {
    const ResidentRecord& r = *d.resident;
    p.Raw("<table>\n");
    p.Row(kRecordNumber, std::to_string(r.info.id.value));
    p.Row(kName, r.personal.name);
    p.Row(kIdNumber, r.personal.id_number);
    p.Row(kPhone, r.personal.phone ? std::string_view(*r.personal.phone) : kNone(l));
    p.Row(kGender, r.info.gender == Gender::kFemale ? kFemale(l) : kMale(l));
    p.Row(kBirthYear, std::to_string(r.info.birth_year));
    p.Row(kRelation, RelationName(r.info.relation, l));
    std::string flags;
    for (const std::string& code : r.personal.flags) {
      const FlagDefinition* def = FindFlag(code);
      if (!flags.empty()) flags += l == http::Language::kEn ? ", " : "，";
      flags += def == nullptr ? code : std::string(l == http::Language::kEn ? def->name_en : def->name_zh);
    }
    p.Row(kFlags, flags.empty() ? std::string(kNone(l)) : flags);
    p.Row(kRegistered, TimeText(r.info.created_at_ms));
    p.Row(kUpdated, TimeText(r.info.updated_at_ms));
    p.Raw("</table>\n");
  }
  if (d.household) {
    p.Heading(kHousehold);
    p.Raw("<table>\n");
    p.Row(kRecordNumber, std::to_string(d.household->info.id.value));
    p.Row(kHomeVillage, d.household->info.village_code);
    p.Row(kAddress, d.household->personal.address);
    p.Raw("</table>\n<p>");
    p.Text(kOthers(l));
    p.Raw("</p>\n<table>\n");
    for (const ResidentInfo& m : d.household_members) {
      std::string line(RelationName(m.relation, l));
      line += " · ";
      line += m.gender == Gender::kFemale ? kFemale(l) : kMale(l);
      line += " · " + std::to_string(m.birth_year);
      p.Row(Label{"", ""}, line);
    }
    p.Raw("</table>\n");
  }

  p.Heading(kCorrections);
  if (d.corrections.empty()) p.Paragraph(kNoCorrections(l));
  for (const CorrectionView& c : d.corrections) {
    p.Raw("<table>\n");
    p.Row(kRecordNumber, std::to_string(c.info.id.value));
    p.Row(kField, FieldName(c.info.field, l));
    p.Row(kProposed, c.texts.proposed);
    p.Row(kReason, c.texts.reason);
    p.Row(kStatus, StatusName(c.info.status, l));
    if (c.info.status != CorrectionStatus::kOpen) p.Row(kNote, c.texts.note);
    p.Raw("</table>\n");
  }
  p.Paragraph(kWhoRead(l));
  p.Raw("</body>\n</html>\n");
  return p.Release();
}

}  // namespace gz::residents
