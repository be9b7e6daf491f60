// Layer: disclosure domain (see seed_demo.h).
#include "modules/disclosure/seed_demo.h"

#include <chrono>

#include "modules/disclosure/disclosure_service.h"
#include "modules/residents/synthetic_names.h"
#include "modules/residents/synthetic_rng.h"

namespace gz::disclosure {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t MsOf(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
}

// A clock the demo sets to the moment each item is drafted and published.
class DemoClock final : public Clock {
 public:
  WallTime Now() const override { return WallTime(std::chrono::milliseconds(ms)); }
  MonoTime Monotonic() const override { return MonoTime(std::chrono::milliseconds(ms)); }
  int64_t ms = 0;
};

}  // namespace

Result<DemoDisclosureReport> SeedDemoDisclosures(DisclosureStore& store, const crypto::FieldCipher& cipher,
                                                 access::AuditSink& audit, const std::string& village,
                                                 const DemoDisclosurePeople& people, const Clock& now_clock) {
  DemoDisclosureReport report;
  ItemQuery existing;
  existing.village = village;
  existing.limit = 1;
  GZ_ASSIGN_OR_RETURN(std::vector<Item> any, store.List(existing));
  if (!any.empty()) {
    report.already_there = true;
    return report;
  }
  DemoClock clock;
  DisclosureService service(store, cipher, audit, clock);
  const int64_t now = MsOf(now_clock);
  residents::SyntheticRng rng(0x5eed0d15c105u ^ static_cast<uint64_t>(std::stoll(village)));

  // Drafted at `at`, published a day later by the supervisor (or another publisher).
  auto publish = [&](const DraftInput& in, int64_t at, const access::Principal& publisher) -> Result<Item> {
    clock.ms = at;
    GZ_ASSIGN_OR_RETURN(Item draft, service.Draft(people.cadre, in));
    clock.ms = at + kDayMs;
    GZ_ASSIGN_OR_RETURN(Preview p, service.PreviewFor(publisher, draft.id));
    GZ_ASSIGN_OR_RETURN(Item item, service.Publish(publisher, draft.id, p.entry_sha256, p.published_at_ms));
    ++report.published;
    return item;
  };

  // The twelve whole months before this one (Beijing time).
  std::optional<Period> this_month = ParsePeriod(UtcTimeText(now + 8 * 3'600'000).substr(0, 7));
  if (!this_month) return Internal("demo: bad current month");
  std::vector<Period> months;
  Period m = *this_month;
  for (int i = 0; i < 12; ++i) {
    if (--m.index == 0) {
      m.index = 12;
      --m.year;
    }
    months.insert(months.begin(), m);
  }

  Item first_statement;
  DraftInput first_statement_input;
  for (size_t i = 0; i < months.size(); ++i) {
    const Period& p = months[i];
    // Drafted on the 4th of the next month, published on the 5th; one month's statement is late.
    const int64_t at = p.EndMs() + (i == 7 ? 14 : 3) * kDayMs + 9 * 3'600'000;
    if (at + kDayMs > now) break;
    const int64_t transfer = 3'000'000 + rng.Uniform(0, 400'000);
    const int64_t wages = 480'000;
    const int64_t repairs = rng.Uniform(20'000, 900'000);
    DraftInput statement;
    statement.village = village;
    statement.kind = "finance_statement";
    statement.period = p.Code();
    statement.title = std::to_string(p.year) + "年" + std::to_string(p.index) + "月村级财务收支情况";
    statement.text = "本月财务收支经村务监督委员会审核。对公开内容有疑问的村民可在线质询。";
    statement.rows = {{"上级转移支付", true, transfer},
                      {"集体资产租赁收入", true, 1'250'000},
                      {"村干部及保洁员报酬", false, wages},
                      {"道路及水渠维修", false, repairs},
                      {"办公及水电费", false, rng.Uniform(30'000, 90'000)}};
    GZ_ASSIGN_OR_RETURN(Item item, publish(statement, at, people.supervisor));
    if (i == 0) {
      first_statement = item;
      first_statement_input = statement;
    }
    DraftInput details = statement;
    details.kind = "income_expense";
    details.title = std::to_string(p.year) + "年" + std::to_string(p.index) + "月收支明细";
    details.rows = {{"区财政局拨付村级运转经费", true, transfer},
                    {"鱼塘承包费（第二季度）", true, 1'250'000},
                    {"保洁员工资（2人）", false, wages},
                    {"购买水泥沙石", false, repairs}};
    GZ_RETURN_IF_ERROR(publish(details, at + 3'600'000, people.supervisor).status());
    if (p.index % 3 == 0) {
      DraftInput progress;
      progress.village = village;
      progress.kind = "project_progress";
      progress.period = std::to_string(p.year) + "-Q" + std::to_string(p.index / 3);
      progress.title = "村组道路硬化工程进度（" + progress.period + "）";
      progress.text = "三组至五组道路硬化工程已完成路基 " + std::to_string(25 * (p.index / 3)) +
                      "%，资金按合同分期支付，验收后公开决算。";
      GZ_RETURN_IF_ERROR(publish(progress, at + 2 * 3'600'000, people.supervisor).status());
    }
  }

  // Two resolutions of the villagers' representatives' meeting.
  DraftInput resolution;
  resolution.village = village;
  resolution.kind = "resolution";
  resolution.period = months[2].Code();
  resolution.title = "村民代表会议决议：村组道路硬化工程";
  resolution.text = "应到村民代表31人，实到27人。会议表决通过三组至五组道路硬化工程实施方案：同意25票，反对1票，弃权1票。"
                    "工程经公开比选确定施工单位，由村务监督委员会全程监督。";
  GZ_RETURN_IF_ERROR(publish(resolution, months[2].StartMs() + 20 * kDayMs, people.supervisor).status());
  DraftInput resolution2 = resolution;
  resolution2.period = months[6].Code();
  resolution2.title = "村民代表会议决议：集体鱼塘承包续约";
  resolution2.text = "会议表决通过集体鱼塘以公开竞价方式续包三年，底价每年5万元。同意29票，反对0票，弃权2票。";
  GZ_ASSIGN_OR_RETURN(Item fishpond, publish(resolution2, months[6].StartMs() + 12 * kDayMs, people.supervisor));

  // A subsidy list of synthetic people: the public sees masked names and ID numbers only.
  DraftInput list;
  list.village = village;
  list.kind = "subsidy_list";
  const Period quarter{Period::Unit::kQuarter, months[4].year, (months[4].index - 1) / 3 + 1};
  list.period = quarter.Code();
  list.title = "临时救助及困难补助发放名单（" + quarter.Code() + "）";
  list.text = "经村民小组评议、村民委员会审核，以下人员获得临时救助或困难补助。公示期7天，有异议请质询。";
  for (int i = 0; i < 8; ++i) {
    const bool male = rng.Uniform(0, 1) == 0;
    const int birth_year = rng.Uniform(1940, 1990);
    Recipient r;
    r.name = std::string(residents::PickSurname(rng)) +
             residents::PickGivenName(rng, male ? residents::Gender::kMale : residents::Gender::kFemale, birth_year);
    char id[19];
    std::snprintf(id, sizeof id, "%.6s%04d%02d%02d%03d%d", village.c_str(), birth_year, rng.Uniform(1, 12),
                  rng.Uniform(1, 28), rng.Uniform(100, 999), rng.Uniform(0, 9));
    r.id_number = id;
    r.phone = "154" + std::to_string(10000000 + rng.Uniform(0, 89999999));
    r.amount_fen = 50'000 * rng.Uniform(1, 6);
    r.note = i < 3 ? "临时救助" : "困难补助";
    list.recipients.push_back(std::move(r));
  }
  GZ_RETURN_IF_ERROR(publish(list, months[4].StartMs() + 8 * kDayMs, people.supervisor).status());

  // A contract and a correction of a finance statement with a typo.
  DraftInput contract;
  contract.village = village;
  contract.kind = "asset_contract";
  contract.period = months[7].Code();
  contract.title = "集体鱼塘承包合同（公开竞价结果）";
  contract.text = "依据村民代表会议决议，集体鱼塘（约30亩）经公开竞价由本村村民承包，年承包费5.6万元，期限三年。";
  GZ_RETURN_IF_ERROR(publish(contract, months[7].StartMs() + 3 * kDayMs, people.supervisor).status());
  if (first_statement.id != 0) {
    DraftInput fix = first_statement_input;
    fix.title = first_statement.title + "（更正）";
    fix.text = "原公开的“集体资产租赁收入”应为 11,500.00 元，现予更正。";
    fix.rows[1].amount_fen = 1'150'000;
    fix.corrects = first_statement.id;
    fix.correction_reason = "集体资产租赁收入录入错误（多录1,000元）";
    GZ_RETURN_IF_ERROR(publish(fix, first_statement.published_at_ms + 20 * kDayMs, people.supervisor).status());
  }

  // A villager's question about the fish pond, never answered: the question sweep turns it into
  // an appeal at the next start.
  clock.ms = fishpond.published_at_ms + 2 * kDayMs;
  if (clock.ms < now) GZ_RETURN_IF_ERROR(service.Ask(people.villager, fishpond, "鱼塘承包底价是怎么确定的？往年的承包费是多少？").status());
  return report;
}

Result<DemoDisclosureReport> SeedLaggingDemoDisclosures(DisclosureStore& store, const crypto::FieldCipher& cipher,
                                                        access::AuditSink& audit, const std::string& village,
                                                        const DemoDisclosurePeople& people, const Clock& now_clock) {
  DemoDisclosureReport report;
  ItemQuery existing;
  existing.village = village;
  existing.limit = 1;
  GZ_ASSIGN_OR_RETURN(std::vector<Item> any, store.List(existing));
  if (!any.empty()) {
    report.already_there = true;
    return report;
  }
  DemoClock clock;
  DisclosureService service(store, cipher, audit, clock);
  const int64_t now = MsOf(now_clock);
  residents::SyntheticRng rng(0x1a66edu ^ static_cast<uint64_t>(std::stoll(village)));
  auto publish = [&](const DraftInput& in, int64_t at) -> Status {
    clock.ms = at;
    GZ_ASSIGN_OR_RETURN(Item draft, service.Draft(people.cadre, in));
    clock.ms = at + kDayMs;
    GZ_ASSIGN_OR_RETURN(Preview p, service.PreviewFor(people.supervisor, draft.id));
    GZ_RETURN_IF_ERROR(service.Publish(people.supervisor, draft.id, p.entry_sha256, p.published_at_ms).status());
    ++report.published;
    return Status::Ok();
  };

  // A year ago the village chose quarterly finance disclosure (few transactions; Art. 30 allows it).
  clock.ms = now - 366 * kDayMs;
  GZ_RETURN_IF_ERROR(service.SetCadence(people.cadre, village, Cadence::kQuarterly));

  // The four whole quarters before this one (Beijing time), oldest first.
  std::optional<Period> this_month = ParsePeriod(UtcTimeText(now + 8 * 3'600'000).substr(0, 7));
  if (!this_month) return Internal("demo: bad current month");
  Period q{Period::Unit::kQuarter, this_month->year, (this_month->index - 1) / 3 + 1};
  std::vector<Period> quarters;
  for (int i = 0; i < 4; ++i) {
    if (--q.index == 0) {
      q.index = 4;
      --q.year;
    }
    quarters.insert(quarters.begin(), q);
  }
  for (size_t i = 1; i < quarters.size(); ++i) {  // the oldest quarter: never published
    const Period& p = quarters[i];
    // Late once (a month after the quarter), otherwise on the 8th day.
    const int64_t at = p.EndMs() + (i == 1 ? 30 : 7) * kDayMs + 10 * 3'600'000;
    if (at + kDayMs > now) break;
    DraftInput statement;
    statement.village = village;
    statement.kind = "finance_statement";
    statement.period = p.Code();
    statement.title = std::to_string(p.year) + "年第" + std::to_string(p.index) + "季度村级财务收支情况";
    statement.text = "本季度财务收支经村务监督委员会审核。";
    statement.rows = {{"上级转移支付", true, 6'000'000 + rng.Uniform(0, 900'000)},
                      {"村干部及保洁员报酬", false, 1'440'000},
                      {"水渠清淤", false, rng.Uniform(50'000, 400'000)}};
    GZ_RETURN_IF_ERROR(publish(statement, at));
  }
  DraftInput resolution;
  resolution.village = village;
  resolution.kind = "resolution";
  resolution.period = Period{Period::Unit::kMonth, quarters[1].year, quarters[1].index * 3}.Code();
  resolution.title = "村民代表会议决议：灌溉水渠清淤";
  resolution.text = "应到村民代表25人，实到19人。会议表决通过灌溉水渠清淤方案：同意17票，反对0票，弃权2票。";
  const int64_t at = quarters[1].EndMs() - 10 * kDayMs;
  if (at + kDayMs < now) GZ_RETURN_IF_ERROR(publish(resolution, at));
  return report;
}

}  // namespace gz::disclosure
