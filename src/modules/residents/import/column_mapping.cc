// Header detection and column mapping of village registers. Layer: residents import domain.
#include "modules/residents/import/column_mapping.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "modules/residents/import/problems.h"
#include "modules/residents/resident_flags.h"

namespace gz::residents::import {
namespace {

struct Synonym {
  std::string_view normalized;  // as NormalizeHeader gives it
  Field field;
};

// Headers seen in village, township and public-security registers, and our own exports.
constexpr Synonym kSynonyms[] = {
    {"户号", Field::kHouseholdNumber}, {"户编号", Field::kHouseholdNumber}, {"户籍编号", Field::kHouseholdNumber},
    {"户代码", Field::kHouseholdNumber}, {"户序号", Field::kHouseholdNumber}, {"家庭编号", Field::kHouseholdNumber},
    {"户口编号", Field::kHouseholdNumber}, {"户主编号", Field::kHouseholdNumber},
    {"household", Field::kHouseholdNumber}, {"householdnumber", Field::kHouseholdNumber},
    {"householdno", Field::kHouseholdNumber},

    {"姓名", Field::kName}, {"名字", Field::kName}, {"居民姓名", Field::kName}, {"成员姓名", Field::kName},
    {"人员姓名", Field::kName}, {"村民姓名", Field::kName}, {"name", Field::kName}, {"fullname", Field::kName},

    {"公民身份号码", Field::kIdNumber}, {"身份证号", Field::kIdNumber}, {"身份证号码", Field::kIdNumber},
    {"公民身份证号码", Field::kIdNumber}, {"公民身份证号", Field::kIdNumber}, {"身份证", Field::kIdNumber},
    {"身份证件号码", Field::kIdNumber}, {"证件号码", Field::kIdNumber}, {"证件号", Field::kIdNumber},
    {"idnumber", Field::kIdNumber}, {"idno", Field::kIdNumber}, {"idcard", Field::kIdNumber},
    {"idcardnumber", Field::kIdNumber}, {"citizenidnumber", Field::kIdNumber},

    {"与户主关系", Field::kRelation}, {"与户主的关系", Field::kRelation}, {"户主关系", Field::kRelation},
    {"家庭关系", Field::kRelation}, {"关系", Field::kRelation}, {"与户主关系称谓", Field::kRelation},
    {"relation", Field::kRelation}, {"relationship", Field::kRelation}, {"relationtohead", Field::kRelation},

    {"联系电话", Field::kPhone}, {"手机号", Field::kPhone}, {"手机号码", Field::kPhone}, {"电话", Field::kPhone},
    {"电话号码", Field::kPhone}, {"联系方式", Field::kPhone}, {"手机", Field::kPhone}, {"移动电话", Field::kPhone},
    {"联系手机", Field::kPhone}, {"phone", Field::kPhone}, {"mobile", Field::kPhone},
    {"phonenumber", Field::kPhone}, {"mobilephone", Field::kPhone}, {"tel", Field::kPhone},

    {"家庭住址", Field::kAddress}, {"住址", Field::kAddress}, {"地址", Field::kAddress},
    {"居住地址", Field::kAddress}, {"现住址", Field::kAddress}, {"现居住地址", Field::kAddress},
    {"家庭地址", Field::kAddress}, {"户籍地址", Field::kAddress}, {"详细地址", Field::kAddress},
    {"居住地", Field::kAddress}, {"门牌号", Field::kAddress}, {"address", Field::kAddress},
    {"homeaddress", Field::kAddress},

    {"性别", Field::kGender}, {"gender", Field::kGender}, {"sex", Field::kGender},

    {"出生日期", Field::kBirthDate}, {"出生年月", Field::kBirthDate}, {"出生年月日", Field::kBirthDate},
    {"生日", Field::kBirthDate}, {"出生时间", Field::kBirthDate}, {"birthdate", Field::kBirthDate},
    {"dateofbirth", Field::kBirthDate}, {"birthday", Field::kBirthDate}, {"dob", Field::kBirthDate},

    {"特殊标识", Field::kFlags}, {"特殊人群", Field::kFlags}, {"特殊人群类别", Field::kFlags},
    {"人员类别", Field::kFlags}, {"标识", Field::kFlags}, {"标签", Field::kFlags}, {"特殊身份", Field::kFlags},
    {"flags", Field::kFlags}, {"tags", Field::kFlags},
};

struct FlagSynonym {
  std::string_view normalized;
  std::string_view code;
};

// Yes/no columns, one per flag.
constexpr FlagSynonym kFlagSynonyms[] = {
    {"独居老人", "elderly_alone"}, {"是否独居老人", "elderly_alone"}, {"独居", "elderly_alone"},
    {"是否独居", "elderly_alone"}, {"空巢独居老人", "elderly_alone"}, {"elderlyalone", "elderly_alone"},
    {"残疾", "disability"}, {"残疾人", "disability"}, {"是否残疾", "disability"}, {"是否残疾人", "disability"},
    {"disability", "disability"}, {"disabled", "disability"},
    {"低保", "low_income"}, {"低保户", "low_income"}, {"是否低保", "low_income"}, {"是否低保户", "low_income"},
    {"低保对象", "low_income"}, {"lowincome", "low_income"}, {"dibao", "low_income"},
};

// Decodes one UTF-8 character at `i` (no validation beyond what the table reader already did:
// its text is valid UTF-8). Returns its length.
size_t CharLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

bool IsSpaceChar(std::string_view ch) {
  return ch == " " || ch == "\t" || ch == "\r" || ch == "\n" || ch == "\xE3\x80\x80" /* U+3000 */ ||
         ch == "\xC2\xA0" /* NBSP */;
}

}  // namespace

std::string_view FieldCode(Field f) {
  switch (f) {
    case Field::kHouseholdNumber: return "household_number";
    case Field::kName: return "name";
    case Field::kIdNumber: return "id_number";
    case Field::kRelation: return "relation";
    case Field::kPhone: return "phone";
    case Field::kAddress: return "address";
    case Field::kGender: return "gender";
    case Field::kBirthDate: return "birth_date";
    case Field::kFlags: return "flags";
  }
  return "";
}

std::string_view FieldNameZh(Field f) {
  switch (f) {
    case Field::kHouseholdNumber: return "户号";
    case Field::kName: return "姓名";
    case Field::kIdNumber: return "公民身份号码";
    case Field::kRelation: return "与户主关系";
    case Field::kPhone: return "联系电话";
    case Field::kAddress: return "家庭住址";
    case Field::kGender: return "性别";
    case Field::kBirthDate: return "出生日期";
    case Field::kFlags: return "特殊标识";
  }
  return "";
}

std::string NormalizeHeader(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t len = std::min(CharLength(static_cast<unsigned char>(text[i])), text.size() - i);
    const std::string_view ch = text.substr(i, len);
    i += len;
    if (IsSpaceChar(ch)) continue;
    // A bracketed hint ends the name: "身份证号(18位)", "出生日期（年月日）".
    if (ch == "(" || ch == "\xEF\xBC\x88" /* （ */ || ch == "[" || ch == "\xE3\x80\x90" /* 【 */) break;
    if (ch == "*" || ch == "\xEF\xBC\x8A" /* ＊ */ || ch == "_" || ch == "-" || ch == ".") continue;
    if (len == 1) {
      const char c = ch[0];
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      out.append(ch);
    }
  }
  // A trailing colon ("姓名：") is a form habit, not part of the name.
  for (std::string_view colon : {std::string_view(":"), std::string_view("\xEF\xBC\x9A")}) {
    if (out.size() >= colon.size() && out.compare(out.size() - colon.size(), colon.size(), colon) == 0)
      out.resize(out.size() - colon.size());
  }
  return out;
}

std::optional<Field> FieldOfHeader(std::string_view text) {
  const std::string n = NormalizeHeader(text);
  if (n.empty()) return std::nullopt;
  for (const Synonym& s : kSynonyms)
    if (s.normalized == n) return s.field;
  return std::nullopt;
}

std::string FlagOfHeader(std::string_view text) {
  const std::string n = NormalizeHeader(text);
  if (n.empty()) return {};
  for (const FlagSynonym& s : kFlagSynonyms)
    if (s.normalized == n && FindFlag(s.code) != nullptr) return std::string(s.code);
  return {};
}

namespace {

// How well a row reads as a header: the number of distinct known fields it names.
struct Candidate {
  const tabular::Row* row = nullptr;
  int score = 0;
  bool complete = false;  // names name, ID number and relation
  std::vector<Field> missing;
};

Candidate Score(const tabular::Row& row) {
  Candidate c;
  c.row = &row;
  std::array<bool, kFieldCount> seen{};
  for (const tabular::Cell& cell : row.cells) {
    if (std::optional<Field> f = FieldOfHeader(cell.text)) seen[static_cast<int>(*f)] = true;
  }
  for (bool s : seen) c.score += s ? 1 : 0;
  for (Field required : {Field::kName, Field::kIdNumber, Field::kRelation})
    if (!seen[static_cast<int>(required)]) c.missing.push_back(required);
  c.complete = c.missing.empty();
  return c;
}

std::string MissingText(const std::vector<Field>& missing) {
  std::string out;
  for (Field f : missing) {
    if (!out.empty()) out += ", ";
    out += std::string(FieldNameZh(f)) + " (" + std::string(FieldCode(f)) + ")";
  }
  return out;
}

}  // namespace

Result<ColumnMap> MapColumns(const tabular::Table& table) {
  std::vector<const tabular::Row*> first;
  first.push_back(&table.header);
  for (size_t i = 0; i < table.rows.size() && first.size() < static_cast<size_t>(kHeaderSearchRows); ++i)
    first.push_back(&table.rows[i]);

  std::optional<Candidate> best;
  Candidate best_incomplete;
  for (const tabular::Row* row : first) {
    Candidate c = Score(*row);
    if (c.complete && (!best || c.score > best->score)) best = c;
    if (!c.complete && c.score > best_incomplete.score) best_incomplete = c;
  }
  if (!best) {
    std::vector<Field> missing = best_incomplete.row != nullptr
                                     ? best_incomplete.missing
                                     : std::vector<Field>{Field::kName, Field::kIdNumber, Field::kRelation};
    return InvalidArgument(std::string(problems::kNoHeaderRow))
        .With("rows", std::to_string(kHeaderSearchRows))
        .With("missing", MissingText(missing));
  }

  ColumnMap map;
  map.header_row = best->row->number;
  const std::vector<tabular::Cell>& cells = best->row->cells;
  map.headers.reserve(cells.size());
  std::vector<std::string> flag_seen_at;  // column letters by flag, to refuse a repeated flag column
  for (size_t i = 0; i < cells.size(); ++i) {
    const tabular::Cell& cell = cells[i];
    map.headers.push_back(cell.text.substr(0, 64));
    if (cell.text.empty()) continue;
    const int index = static_cast<int>(i);
    if (std::optional<Field> f = FieldOfHeader(cell.text)) {
      int& slot = map.index[static_cast<int>(*f)];
      if (slot >= 0) {
        return InvalidArgument(std::string(problems::kDuplicateColumn))
            .With("field", std::string(FieldNameZh(*f)))
            .With("column", tabular::ColumnName(slot + 1))
            .With("other_column", cell.ColumnName());
      }
      slot = index;
      continue;
    }
    if (std::string flag = FlagOfHeader(cell.text); !flag.empty()) {
      for (const FlagColumn& fc : map.flag_columns) {
        if (fc.flag_code == flag) {
          return InvalidArgument(std::string(problems::kDuplicateColumn))
              .With("field", std::string(FindFlag(flag)->name_zh))
              .With("column", tabular::ColumnName(fc.index + 1))
              .With("other_column", cell.ColumnName());
        }
      }
      map.flag_columns.push_back({index, std::move(flag)});
      continue;
    }
    map.ignored.push_back(index);
  }
  return map;
}

std::vector<const tabular::Row*> DataRows(const tabular::Table& table, const ColumnMap& map) {
  std::vector<const tabular::Row*> rows;
  rows.reserve(table.rows.size());
  for (const tabular::Row& row : table.rows)
    if (row.number > map.header_row) rows.push_back(&row);
  return rows;
}

}  // namespace gz::residents::import
