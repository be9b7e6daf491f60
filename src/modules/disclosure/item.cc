// Layer: disclosure domain (see item.h).
#include "modules/disclosure/item.h"

#include <array>
#include <charconv>
#include <cstdio>

#include "core/text.h"
#include "modules/disclosure/canonical_json.h"
#include "modules/disclosure/problems.h"
#include "modules/residents/masking.h"

namespace gz::disclosure {
namespace {

struct KindInfo {
  Kind kind;
  std::string_view code;
  std::string_view zh;
};

constexpr std::array<KindInfo, kKindCount> kKinds = {{
    {Kind::kFinanceStatement, "finance_statement", "财务收支情况"},
    {Kind::kIncomeExpense, "income_expense", "收支明细"},
    {Kind::kResolution, "resolution", "村民会议决议及执行情况"},
    {Kind::kSubsidyList, "subsidy_list", "补贴救助捐赠发放名单"},
    {Kind::kAssetContract, "asset_contract", "集体土地资产承包租赁合同"},
    {Kind::kProjectProgress, "project_progress", "项目进度"},
    {Kind::kOther, "other", "其他事项"},
}};

constexpr std::array<Kind, kKindCount> kAllKinds = {Kind::kFinanceStatement, Kind::kIncomeExpense, Kind::kResolution,
                                                    Kind::kSubsidyList,      Kind::kAssetContract, Kind::kProjectProgress,
                                                    Kind::kOther};

Status BadBody(std::string field, std::string_view reason) {
  return InvalidArgument(std::string(problems::kBadBody)).With("field", std::move(field)).With("reason", std::string(reason));
}

Status CheckText(const std::string& field, std::string_view text, size_t min, size_t max) {
  std::optional<size_t> n = CountTextChars(text);
  if (!n) return BadBody(field, "encoding");
  if (*n < min) return BadBody(field, "too-short");
  if (*n > max) return BadBody(field, "too-long");
  return Status::Ok();
}

std::optional<int> ParseDigits(std::string_view s) {
  int v = 0;
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kBeijingOffsetMs = 8 * 3'600'000;

int64_t BeijingMidnightMs(int year, int month) {
  if (month > 12) {
    ++year;
    month -= 12;
  }
  return DaysFromCivil(year, static_cast<unsigned>(month), 1) * kDayMs - kBeijingOffsetMs;
}

}  // namespace

std::string_view KindCode(Kind kind) { return kKinds[static_cast<size_t>(kind)].code; }
std::string_view KindNameZh(Kind kind) { return kKinds[static_cast<size_t>(kind)].zh; }
std::optional<Kind> ParseKind(std::string_view code) {
  for (const KindInfo& k : kKinds)
    if (k.code == code) return k.kind;
  return std::nullopt;
}
std::span<const Kind> AllKinds() { return kAllKinds; }
bool IsFinanceKind(Kind kind) {
  return kind == Kind::kFinanceStatement || kind == Kind::kIncomeExpense || kind == Kind::kSubsidyList;
}

std::string_view CadenceCode(Cadence c) { return c == Cadence::kMonthly ? "monthly" : "quarterly"; }
std::optional<Cadence> ParseCadence(std::string_view code) {
  if (code == "monthly") return Cadence::kMonthly;
  if (code == "quarterly") return Cadence::kQuarterly;
  return std::nullopt;
}

std::string_view StateCode(State s) { return s == State::kDraft ? "draft" : "published"; }

std::string Period::Code() const {
  char buf[16];
  switch (unit) {
    case Unit::kMonth: std::snprintf(buf, sizeof buf, "%04d-%02d", year, index); break;
    case Unit::kQuarter: std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index); break;
    case Unit::kYear: std::snprintf(buf, sizeof buf, "%04d", year); break;
  }
  return buf;
}

int64_t Period::StartMs() const {
  switch (unit) {
    case Unit::kMonth: return BeijingMidnightMs(year, index);
    case Unit::kQuarter: return BeijingMidnightMs(year, (index - 1) * 3 + 1);
    case Unit::kYear: return BeijingMidnightMs(year, 1);
  }
  return 0;
}

int64_t Period::EndMs() const {
  switch (unit) {
    case Unit::kMonth: return BeijingMidnightMs(year, index + 1);
    case Unit::kQuarter: return BeijingMidnightMs(year, index * 3 + 1);
    case Unit::kYear: return BeijingMidnightMs(year + 1, 1);
  }
  return 0;
}

std::optional<Period> ParsePeriod(std::string_view code) {
  if (code.size() < 4) return std::nullopt;
  std::optional<int> year = ParseDigits(code.substr(0, 4));
  if (!year || *year < 2000 || *year > 2099) return std::nullopt;
  Period p;
  p.year = *year;
  if (code.size() == 4) {
    p.unit = Period::Unit::kYear;
    return p;
  }
  if (code.size() == 7 && code[4] == '-' && code[5] == 'Q') {
    std::optional<int> q = ParseDigits(code.substr(6, 1));
    if (!q || *q < 1 || *q > 4) return std::nullopt;
    p.unit = Period::Unit::kQuarter;
    p.index = *q;
    return p;
  }
  if (code.size() == 7 && code[4] == '-') {
    std::optional<int> m = ParseDigits(code.substr(5, 2));
    if (!m || *m < 1 || *m > 12) return std::nullopt;
    p.unit = Period::Unit::kMonth;
    p.index = *m;
    return p;
  }
  return std::nullopt;
}

Status CheckPeriodForKind(Kind kind, const Period& period) {
  if ((kind == Kind::kFinanceStatement || kind == Kind::kIncomeExpense) && period.unit == Period::Unit::kYear)
    return InvalidArgument(std::string(problems::kBadPeriod)).With("reason", "unit-for-kind");
  return Status::Ok();
}

bool IsVillageCode(std::string_view code) {
  if (code.size() != 12) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return code.substr(9, 3) != "000" && code.substr(6, 3) != "000";
}

Result<std::string> PublicBody(Kind kind, const DraftInput& in) {
  const bool finance = kind == Kind::kFinanceStatement || kind == Kind::kIncomeExpense;
  const bool list = kind == Kind::kSubsidyList;
  GZ_RETURN_IF_ERROR(CheckText("text", in.text, (finance || list) ? 0 : 1, kMaxTextChars));
  if (!finance && !in.rows.empty()) return BadBody("rows", "not-for-kind");
  if (!list && !in.recipients.empty()) return BadBody("recipients", "not-for-kind");
  if (finance && in.rows.empty()) return BadBody("rows", "required");
  if (list && in.recipients.empty()) return BadBody("recipients", "required");
  if (in.rows.size() > kMaxRows) return BadBody("rows", "too-many");
  if (in.recipients.size() > kMaxRecipients) return BadBody("recipients", "too-many");

  CanonicalValue body = CanonicalValue::Object();
  body.Set("text", CanonicalValue::String(in.text));
  if (finance) {
    CanonicalValue rows = CanonicalValue::Array();
    int64_t income = 0, expense = 0;
    for (size_t i = 0; i < in.rows.size(); ++i) {
      const FinanceRow& r = in.rows[i];
      const std::string field = "rows[" + std::to_string(i) + "]";
      GZ_RETURN_IF_ERROR(CheckText(field + ".item", r.item, 1, 100));
      if (r.amount_fen < 0 || r.amount_fen > kMaxAmountFen) return BadBody(field + ".amount_fen", "out-of-range");
      (r.income ? income : expense) += r.amount_fen;
      rows.Push(CanonicalValue::Object()
                    .Set("amount_fen", CanonicalValue::Int(r.amount_fen))
                    .Set("direction", CanonicalValue::String(r.income ? "income" : "expense"))
                    .Set("item", CanonicalValue::String(r.item)));
    }
    body.Set("rows", std::move(rows));
    // Totals are derived, never typed: a statement whose sum does not add up cannot be published.
    body.Set("total_income_fen", CanonicalValue::Int(income));
    body.Set("total_expense_fen", CanonicalValue::Int(expense));
  }
  if (list) {
    CanonicalValue rows = CanonicalValue::Array();
    int64_t total = 0;
    for (size_t i = 0; i < in.recipients.size(); ++i) {
      const Recipient& r = in.recipients[i];
      const std::string field = "recipients[" + std::to_string(i) + "]";
      GZ_RETURN_IF_ERROR(CheckText(field + ".name", r.name, 1, 50));
      GZ_RETURN_IF_ERROR(CheckText(field + ".id_number", r.id_number, 0, 18));
      GZ_RETURN_IF_ERROR(CheckText(field + ".phone", r.phone, 0, 20));
      GZ_RETURN_IF_ERROR(CheckText(field + ".note", r.note, 0, 50));
      if (r.amount_fen < 0 || r.amount_fen > kMaxAmountFen) return BadBody(field + ".amount_fen", "out-of-range");
      total += r.amount_fen;
      // security.md §7: the masking of the register, never a variant; no phone on a public list.
      CanonicalValue row = CanonicalValue::Object();
      row.Set("amount_fen", CanonicalValue::Int(r.amount_fen));
      row.Set("name", CanonicalValue::String(residents::MaskName(r.name)));
      row.Set("id_number", r.id_number.empty() ? CanonicalValue::Null()
                                               : CanonicalValue::String(residents::MaskIdNumber(r.id_number)));
      row.Set("note", CanonicalValue::String(r.note));
      rows.Push(std::move(row));
    }
    body.Set("recipients", std::move(rows));
    body.Set("total_fen", CanonicalValue::Int(total));
  }
  return body.Serialize();
}

std::string RecipientsJson(const std::vector<Recipient>& recipients) {
  if (recipients.empty()) return "";
  CanonicalValue rows = CanonicalValue::Array();
  for (const Recipient& r : recipients)
    rows.Push(CanonicalValue::Object()
                  .Set("amount_fen", CanonicalValue::Int(r.amount_fen))
                  .Set("id_number", CanonicalValue::String(r.id_number))
                  .Set("name", CanonicalValue::String(r.name))
                  .Set("note", CanonicalValue::String(r.note))
                  .Set("phone", CanonicalValue::String(r.phone)));
  return rows.Serialize();
}

std::string EntryBytes(const Item& item) {
  // Fixed member order is given by CanonicalValue (bytewise key order); `body` is already
  // canonical JSON and is inserted verbatim.
  std::string out = "{\"attachments\":[";
  for (size_t i = 0; i < item.attachments.size(); ++i) {
    if (i) out += ',';
    AppendCanonicalString(out, item.attachments[i]);
  }
  out += "],\"body\":";
  out += item.body_json;
  out += ",\"corrects\":";
  if (item.corrects != 0) {
    out += "{\"id\":";
    AppendCanonicalString(out, std::to_string(item.corrects));
    out += ",\"reason\":";
    AppendCanonicalString(out, item.correction_reason);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"format\":\"gongzhi-disclosure/1\",\"id\":";
  AppendCanonicalString(out, std::to_string(item.id));
  out += ",\"kind\":";
  AppendCanonicalString(out, KindCode(item.kind));
  out += ",\"period\":";
  AppendCanonicalString(out, item.period);
  out += ",\"published_at_ms\":" + std::to_string(item.published_at_ms);
  out += ",\"publisher_role\":";
  AppendCanonicalString(out, item.publisher_role);
  out += ",\"title\":";
  AppendCanonicalString(out, item.title);
  out += ",\"village\":";
  AppendCanonicalString(out, item.village);
  out += '}';
  return out;
}

std::string UtcTimeText(int64_t ms) {
  int64_t days = ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
  int64_t rem = ms - days * kDayMs;
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rem / 3'600'000), static_cast<long long>(rem / 60'000 % 60),
                static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
  return buf;
}

}  // namespace gz::disclosure
