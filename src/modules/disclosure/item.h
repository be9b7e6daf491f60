// A disclosure item (村务公开事项): what a village publishes under Art. 30 of the Organic Law of
// the Villagers' Committees, its period, its structured body, and the canonical bytes that go
// into the transparency log once it is published.
//
// Layer: disclosure domain (standard library, core and residents' masking only).
//
// Kinds and periods (docs/disclosure.md "Kinds"):
//   finance_statement  财务收支情况        "YYYY-MM" or "YYYY-Qn" (the village's cadence)
//   income_expense     收支明细            idem
//   resolution         村民会议/代表会议决议及执行  "YYYY-MM", "YYYY-Qn" or "YYYY"
//   subsidy_list       补贴/救助/捐赠发放名单        idem
//   asset_contract     集体土地/资产承包租赁合同      idem
//   project_progress   项目进度            idem
//   other              其他事项            idem
// Money is integer fen (分) everywhere: no floating point can reach a public record.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gz::disclosure {

enum class Kind { kFinanceStatement, kIncomeExpense, kResolution, kSubsidyList, kAssetContract, kProjectProgress, kOther };
inline constexpr int kKindCount = 7;

std::string_view KindCode(Kind kind);
std::string_view KindNameZh(Kind kind);
std::optional<Kind> ParseKind(std::string_view code);
std::span<const Kind> AllKinds();
// Kinds about money: only a member of the village supervision committee (村务监督委员会) may
// check and publish them (a cadre must not approve the village's own accounts).
bool IsFinanceKind(Kind kind);

enum class Cadence { kMonthly, kQuarterly };
std::string_view CadenceCode(Cadence c);
std::optional<Cadence> ParseCadence(std::string_view code);

// A period: "2026-03" (month), "2026-Q1" (quarter) or "2026" (year); years 2000..2099.
struct Period {
  enum class Unit { kMonth, kQuarter, kYear } unit = Unit::kMonth;
  int year = 0;
  int index = 0;  // month 1..12, quarter 1..4, 0 for a year
  std::string Code() const;
  // UTC+8 (Beijing time) civil bounds, as UTC milliseconds: [start, end).
  int64_t StartMs() const;
  int64_t EndMs() const;
};
std::optional<Period> ParsePeriod(std::string_view code);
// kInvalidArgument "disclosure/bad-period" {reason: "format" | "unit-for-kind"}.
Status CheckPeriodForKind(Kind kind, const Period& period);

// One line of a finance statement or of the income/expense details.
struct FinanceRow {
  std::string item;       // 摘要, 1..100 characters
  bool income = false;    // direction: income (收入) or expense (支出)
  int64_t amount_fen = 0; // 0 .. 10^13 (a hundred billion yuan)
};

// One recipient of a subsidy, relief or donation list, as the drafter entered it (PERSONAL).
struct Recipient {
  std::string name;       // 1..50 characters
  std::string id_number;  // optional; only its masked form is ever public
  std::string phone;      // optional; never public (a list needs no phone: security.md §7)
  int64_t amount_fen = 0;
  std::string note;       // optional, public (e.g. "一类"), 0..50 characters: no personal data
};

// What a drafter sends.
struct DraftInput {
  std::string village;
  std::string kind;
  std::string period;
  std::string title;
  std::string text;
  std::vector<FinanceRow> rows;
  std::vector<Recipient> recipients;
  std::vector<std::string> attachments;  // lower-case hex SHA-256 of attachments stored by the server
  int64_t corrects = 0;                  // the published item this one corrects, or 0
  std::string correction_reason;
};

inline constexpr size_t kMaxTitleChars = 100;
inline constexpr size_t kMaxTextChars = 10000;
inline constexpr size_t kMaxRows = 500;
inline constexpr size_t kMaxRecipients = 500;
inline constexpr size_t kMaxAttachments = 20;
inline constexpr size_t kMaxReasonChars = 500;
inline constexpr int64_t kMaxAmountFen = 10'000'000'000'000;
// tlog-tiles entry bundles carry a 2-byte length (docs/disclosure.md).
inline constexpr size_t kMaxEntryBytes = 65535;

enum class State { kDraft, kPublished };
std::string_view StateCode(State s);

struct Item {
  int64_t id = 0;
  std::string village;
  Kind kind = Kind::kOther;
  std::string period;
  std::string title;
  // The public body as canonical JSON (docs/disclosure.md): text, rows, recipients MASKED.
  std::string body_json;
  // The recipients as entered, sealed with FieldCipher (associated data "disclosure.recipients:<id>"),
  // or "" when the item has none. Never public; reads are audited.
  std::string recipients_sealed;
  std::vector<std::string> attachments;
  int64_t corrects = 0;
  std::string correction_reason;
  State state = State::kDraft;
  int64_t drafted_by = 0;
  int64_t drafted_at_ms = 0;
  int64_t published_by = 0;
  int64_t published_at_ms = 0;
  std::string publisher_role;  // role code under which it was published
  std::string entry;           // the logged bytes (published only)
  int64_t log_index = -1;      // index in the transparency log (published only)
};

// The public body of `input` (recipients masked with residents' masking rules), or the input's
// first problem: kInvalidArgument "disclosure/bad-body" {field, reason}.
Result<std::string> PublicBody(Kind kind, const DraftInput& input);
// The recipients as entered, as canonical JSON (to be sealed), "" when there are none.
std::string RecipientsJson(const std::vector<Recipient>& recipients);

// The canonical serialization of a published item (docs/disclosure.md "Log entry format").
// REQUIRES: item.published_at_ms and item.publisher_role set.
std::string EntryBytes(const Item& item);

bool IsVillageCode(std::string_view code);

// "2026-03-05T08:00:00.123Z" style UTC time of the entry (milliseconds always 3 digits).
std::string UtcTimeText(int64_t ms);

}  // namespace gz::disclosure
