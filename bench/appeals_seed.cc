// gz_appeals_seed: fills a gongzhi data folder with a county's worth of appeals for the rates
// scenario of `make bench` (bench/README.md), and catches its deadlines up before a measurement.
//
//   gz_appeals_seed --data-dir DIR --appeals N [--days 365] [--seed 1] [--county 420114]
//       Walks N appeals through the real lifecycle (PlanSubmission / PlanCommand / PlanDeadline with
//       the default deadlines and settings) at simulated times spread over the last `days` days,
//       and writes each appeal's FINAL row with SqlAppealStore's own Insert: exactly the columns the
//       service would have stored, with its sealed text. The villages are those of the county in
//       the folder's store, weighted unevenly (a few big villages, many small ones); the text is
//       sealed with the folder's own key. Refuses a store that already holds appeals.
//       --database postgresql://... writes into that database instead of the folder's SQLite store
//       (the folder still gives the key); --county 42 spreads them over a whole province; --add
//       accepts a store that already holds some appeals (a served demo county's).
//   gz_appeals_seed --data-dir DIR --catch-up
//       Runs the real DeadlineSweeper once with the wall clock, so that a server started right
//       after has (almost) nothing to escalate while it is being measured.
//
// What is NOT like a served store (the rates read none of it): each row carries version 1 and only
// its submission entry in the timeline, with no inbox entries and no audit records; writing every
// intermediate change made 40,000 appeals take two minutes and 3.4 KB each, so 1,000,000 would
// take most of an hour and 3 GB. The sweep's key is written for a follow-up notice already given
// (an unrated answer), so the catch-up does not repeat it. Rows are written 20,000 per
// transaction through an adapter that hands the store the open transaction, with the store's
// multi-row SqlAppealStore::InsertMany (100 appeals a statement).
// Layer: bench (may use every library).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "crypto/key_file.h"
#include "modules/appeals/appeal_sealing.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/categories.h"
#include "modules/appeals/deadlines.h"
#include "modules/appeals/lifecycle.h"
#include "modules/appeals/sql/sql_appeal_store.h"
#include "modules/appeals/sweep.h"
#include "storage/postgres/postgres_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace gz::bench {
namespace {

using appeals::Action;
using appeals::Appeal;
using appeals::AppealState;
using appeals::Change;
using appeals::Command;
using appeals::DeadlineKind;
using appeals::Plan;
using appeals::PlanContext;
using appeals::Rating;
using appeals::Relations;

// A Db whose Read() and Write() run their callback in a transaction that is already open: the
// store's own statements, batched by the caller. Any error aborts the whole batch (the caller
// stops), so no savepoint is needed.
class InTransactionDb final : public storage::Db {
 public:
  explicit InTransactionDb(storage::Tx& tx) : tx_(tx) {}
  storage::Dialect dialect() const override { return tx_.dialect(); }
  Status Read(const std::function<Status(storage::Tx&)>& fn) override { return fn(tx_); }
  Status Write(const std::function<Status(storage::Tx&)>& fn) override { return fn(tx_); }
  Status Ping() override { return Status::Ok(); }
  std::string Describe() const override { return "in-transaction"; }

 private:
  storage::Tx& tx_;
};

Status NoAudit(storage::Tx&, const access::AuditEvent&, int64_t) { return Status::Ok(); }

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

const char* const kTexts[] = {
    "村口第二个路灯不亮，晚上回家看不见路，请尽快修理。",
    "自来水这几天有时发黄，烧开后有沉淀，担心水质有问题。",
    "村道中间有一个大坑，下雨后积水，电动车经过很危险。",
    "垃圾收集点三天没有清运了，气味很大，苍蝇很多。",
    "邻居在公共通道上堆放杂物，老人出行不方便，协商未果。",
    "家里老人行动不便，想了解居家养老服务怎么申请。",
    "承包地边界有争议，希望村里组织测量确认。",
    "变压器附近电线老化下垂，刮风时有火花，存在安全隐患。",
};
const char* const kAnswers[] = {
    "已安排电工更换灯泡并检查线路。", "已联系水务站取样检测，结果正常，已冲洗管网。", "已安排施工队修补路面。",
    "已协调保洁公司恢复每日清运。", "已上门调解，杂物已清理。", "已登记，社工将上门评估。",
};

struct Options {
  std::string data_dir;
  int64_t appeals = 0;
  int days = 365;
  uint32_t seed = 1;
  std::string county = "420114";  // or a province's 2 digits (bench/province.sh)
  std::string database;           // postgresql://...; empty: the folder's SQLite store
  bool catch_up = false;
  bool add = false;  // --add: the store may already hold appeals (a served demo's, bench/province.sh)
};

class Generator {
 public:
  Generator(const crypto::FieldCipher& cipher, std::vector<std::string> villages, const Options& o, int64_t end_ms)
      : cipher_(cipher), villages_(std::move(villages)), rng_(o.seed), end_ms_(end_ms),
        start_ms_(end_ms - o.days * kDay) {
    // A few big villages and many small ones: lognormal weights, as populations are.
    std::lognormal_distribution<double> size(0.0, 0.7);
    std::vector<double> w;
    for (size_t i = 0; i < villages_.size(); ++i) w.push_back(size(rng_));
    pick_village_ = std::discrete_distribution<size_t>(w.begin(), w.end());
    // Categories by how often villages raise them: most are general, emergencies are rare.
    std::vector<double> cw;
    for (const appeals::Category& c : appeals::Categories()) {
      double weight = 4;
      switch (c.deadline_class) {
        case appeals::DeadlineClass::kEmergency: weight = 0.5; break;
        case appeals::DeadlineClass::kUtilities: weight = 5; break;
        case appeals::DeadlineClass::kComplex: weight = 3; break;
        case appeals::DeadlineClass::kGeneral: weight = c.code == "other" ? 1 : 4; break;
      }
      if (c.retired) weight = 0;
      cw.push_back(weight);
    }
    pick_category_ = std::discrete_distribution<size_t>(cw.begin(), cw.end());
  }

  // Submission times for `n` appeals, oldest first, so that ids (which only grow) follow time as
  // on a real server.
  std::vector<int64_t> SubmissionTimes(int64_t n) {
    std::vector<int64_t> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
      out.push_back(start_ms_ + static_cast<int64_t>(Uniform(0, 1) * static_cast<double>(end_ms_ - start_ms_)));
    std::sort(out.begin(), out.end());
    return out;
  }

  // Walks one appeal from its submission at `now` to `end_ms_` (or to its end) and queues its
  // final row (and the follow-up notice already given, if any) for Flush.
  Status One(int64_t now) {
    const size_t v = pick_village_(rng_);
    const appeals::Category& category = appeals::Categories()[pick_category_(rng_)];
    const int64_t villager = 50'000'000 + static_cast<int64_t>(v) * 1000 + Int(0, 199);

    Appeal initial;
    initial.id = crypto::NewRowId(now);
    initial.village = villages_[v];
    initial.submitter_account = villager;
    initial.recorded_by = villager;
    initial.channel = appeals::Channel::kSelf;
    initial.category = std::string(category.code);
    initial.unit = appeals::DefaultUnitFor(category, initial.village);
    initial.anonymous_to_public = Chance(0.1);
    initial.submitted_at_ms = now;
    appeals::SealContent(cipher_, initial, appeals::AppealContent{kTexts[Int(0, std::size(kTexts) - 1)], std::nullopt});
    PlanContext ctx{now, appeals::DefaultDurations(category.deadline_class), settings_};
    Plan submission = appeals::PlanSubmission(std::move(initial), appeals::kSubmitter, ctx);
    Appeal a = submission.next;

    // One step per loop: the next thing a person does, unless a running deadline passes first
    // (then the sweep acts, as it would on the server).
    std::vector<appeals::DeadlineKey> acted;  // the sweep acts on each deadline once
    for (int step = 0; step < 40 && !appeals::IsFinal(a.state); ++step) {
      std::optional<Intent> intent = Next(a, now, ctx.durations);
      int64_t at = intent ? intent->at_ms : end_ms_;
      for (DeadlineKind kind : {DeadlineKind::kAccept, DeadlineKind::kAnswer, DeadlineKind::kFollowUp}) {
        std::optional<appeals::DeadlineKey> due = appeals::RunningDeadline(a, kind);
        if (due && std::find(acted.begin(), acted.end(), *due) != acted.end()) continue;
        if (due && due->due_ms <= at && due->due_ms <= end_ms_) {
          intent = Intent{due->due_ms, Action::kEscalate, 0, {}, kind};
          at = due->due_ms;
        }
      }
      if (!intent || at > end_ms_) break;
      now = std::max(now, at);
      ctx.now_ms = now;
      Result<Plan> next = intent->action == Action::kEscalate
                              ? appeals::PlanDeadline(a, intent->deadline, ctx)
                              : appeals::PlanCommand(a, intent->command, intent->who, ctx);
      if (!next.ok()) {
        // The model asked for something the lifecycle refuses: counted, and the appeal stays as is.
        ++refused_[std::string(appeals::ActionCode(intent->command.action)) + " in " +
                   std::string(appeals::StateCode(a.state)) + ": " + next.status().ToString()];
        break;
      }
      if (next->deadline) acted.push_back(*next->deadline);
      a = std::move(next->next);
      ++changes_;
    }
    ++by_state_[std::string(appeals::StateCode(a.state))];

    // The final row, filed as version 1 with its submission entry.
    std::optional<appeals::DeadlineKey> follow_up = appeals::RunningDeadline(a, DeadlineKind::kFollowUp);
    a.version = 1;
    Change change;
    change.entry = std::move(submission.entry);
    change.entry.id = crypto::NewRowId(a.submitted_at_ms);
    change.entry.actor_account = villager;
    change.appeal = a;
    change.now_ms = a.submitted_at_ms;
    inserts_.push_back(std::move(change));
    ++submitted_;
    if (follow_up && std::find(acted.begin(), acted.end(), *follow_up) != acted.end()) {
      ctx.now_ms = follow_up->due_ms;
      GZ_ASSIGN_OR_RETURN(Plan notice, appeals::PlanDeadline(a, DeadlineKind::kFollowUp, ctx));
      Change c;
      c.entry = std::move(notice.entry);
      c.entry.id = crypto::NewRowId(follow_up->due_ms);
      c.appeal = std::move(notice.next);
      c.expected_version = 1;
      c.deadline = notice.deadline;
      c.now_ms = follow_up->due_ms;
      updates_.push_back(std::move(c));
    }
    return Status::Ok();
  }

  // Writes what One queued: the new rows with the store's multi-row InsertMany (the row-by-row
  // Insert made the loader a round trip per row: 330 appeals/s on PostgreSQL), then the follow-up
  // notices through the store's Update, one by one (they are a minority).
  Status Flush(appeals::SqlAppealStore& store) {
    GZ_RETURN_IF_ERROR(store.InsertMany(inserts_));
    for (const Change& c : updates_) GZ_RETURN_IF_ERROR(store.Update(c));
    return Status::Ok();
  }
  // After the transaction that Flush wrote into committed (a retried transaction flushes again).
  void Written() {
    updates_written_ += static_cast<int64_t>(updates_.size());
    inserts_.clear();
    updates_.clear();
  }

  void Report() const {
    std::fprintf(stderr, "gz_appeals_seed: %lld appeals (%lld with their follow-up notice written), %lld changes after submission; final states:",
                 static_cast<long long>(submitted_), static_cast<long long>(updates_written_), static_cast<long long>(changes_));
    for (const auto& [state, n] : by_state_) std::fprintf(stderr, " %s %lld", state.c_str(), static_cast<long long>(n));
    std::fprintf(stderr, "\n");
    for (const auto& [why, n] : refused_)
      std::fprintf(stderr, "gz_appeals_seed: %lld planned steps refused: %s\n", static_cast<long long>(n), why.c_str());
  }
  int64_t refused() const {
    int64_t n = 0;
    for (const auto& [why, count] : refused_) n += count;
    return n;
  }

 private:
  struct Intent {
    int64_t at_ms = 0;
    Action action = Action::kAccept;  // kEscalate: the sweep, on `deadline`
    Relations who = 0;
    Command command;
    DeadlineKind deadline = DeadlineKind::kAccept;
  };

  double Uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  int64_t Int(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  bool Chance(double p) { return Uniform(0, 1) < p; }

  Intent Do(int64_t at, Action action, Relations who, std::string note = {}) {
    Intent i;
    i.at_ms = at;
    i.action = action;
    i.who = who;
    i.command.action = action;
    i.command.note = std::move(note);
    return i;
  }

  Intent Rate(int64_t at, Relations who) {
    Intent i = Do(at, who == appeals::kSupervisor ? Action::kVisit : Action::kRate, who,
                  who == appeals::kSupervisor ? "回访：村民表示情况属实。" : "");
    const double r = Uniform(0, 1);
    i.command.rating = r < 0.65 ? Rating::kSatisfied : r < 0.85 ? Rating::kBasicallySatisfied : Rating::kDissatisfied;
    const double solved = *i.command.rating == Rating::kSatisfied ? 0.95
                          : *i.command.rating == Rating::kBasicallySatisfied ? 0.75 : 0.2;
    i.command.solved = Chance(solved);
    return i;
  }

  // What the people involved do next, and when (before any deadline is considered).
  std::optional<Intent> Next(const Appeal& a, int64_t now, const appeals::DeadlineDurations& d) {
    using S = AppealState;
    constexpr Relations kVillager = appeals::kSubmitter | appeals::kSubmitterInPerson;
    // Most units act within their deadline; about one in ten is late.
    auto soon = [&](int64_t limit) { return now + static_cast<int64_t>(limit * (Chance(0.9) ? Uniform(0.05, 0.9) : Uniform(1.0, 3.0))); };
    switch (a.state) {
      case S::kSubmitted:
      case S::kTransferred:
      case S::kReopened: {
        if (Chance(0.015)) return Do(now + Int(kHour, 2 * kDay), Action::kWithdraw, kVillager);
        if (a.state == S::kSubmitted && Chance(0.03))
          return Do(soon(d.accept_ms), Action::kReject, appeals::kHandler, "不属于村级受理范围，已告知申请人其他途径。");
        if (a.state == S::kSubmitted && a.unit.level == appeals::UnitLevel::kVillage && Chance(0.05)) {
          Intent i = Do(soon(d.accept_ms), Action::kTransfer, appeals::kHandler, "需乡镇统筹处理，转街道办理。");
          i.command.unit = appeals::TownshipUnitOf(a.village);
          return i;
        }
        return Do(soon(d.accept_ms), Action::kAccept, appeals::kHandler);
      }
      case S::kEscalated:
        return Do(now + static_cast<int64_t>(d.accept_ms * Uniform(0.1, 0.8)), Action::kAccept, appeals::kEscalationTarget);
      case S::kAccepted:
        return Do(now + static_cast<int64_t>(d.answer_ms * Uniform(0.02, 0.2)), Action::kStart, appeals::kHandler);
      case S::kInProgress:
        return Do(soon(d.answer_ms / 2), Action::kAnswer, appeals::kHandler, kAnswers[Int(0, std::size(kAnswers) - 1)]);
      case S::kAnswered: {
        const int64_t window = settings_.rating_window_ms;
        if (Chance(0.8)) return Rate(now + static_cast<int64_t>(window * Uniform(0.02, 0.8)), kVillager);
        if (Chance(0.5)) return Rate(now + window + Int(kHour, 3 * kDay), appeals::kSupervisor);
        return std::nullopt;  // nobody rates: it stays answered (silence is never satisfied)
      }
      case S::kRejected:
        if (a.contest_count < settings_.contest_limit && Chance(0.3))
          return Do(now + Int(kHour, 3 * kDay), Action::kContest, kVillager, "我认为属于村里应当处理的事项。");
        return std::nullopt;
      case S::kContested:
        return Do(now + Int(kDay, 5 * kDay), Chance(0.5) ? Action::kUphold : Action::kOverturn, appeals::kNextLevel,
                  "经复核，作出决定。");
      case S::kClosed:
      case S::kWithdrawn:
        return std::nullopt;
    }
    return std::nullopt;
  }

  const crypto::FieldCipher& cipher_;
  const std::vector<std::string> villages_;
  std::mt19937_64 rng_;
  const int64_t end_ms_, start_ms_;
  const appeals::AppealSettings settings_;
  std::discrete_distribution<size_t> pick_village_;
  std::discrete_distribution<size_t> pick_category_;
  int64_t submitted_ = 0, changes_ = 0;
  std::map<std::string, int64_t> by_state_;
  std::map<std::string, int64_t> refused_;
  std::vector<Change> inserts_, updates_;
  int64_t updates_written_ = 0;
};

int Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "gz_appeals_seed: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

int Run(const Options& o) {
  if (Status s = crypto::Initialize(); !s.ok()) return Fail("crypto", s);
  Result<std::unique_ptr<storage::Db>> db = [&]() -> Result<std::unique_ptr<storage::Db>> {
    if (o.database.empty()) return storage::sqlite::OpenSqlite({.path = o.data_dir + "/gongzhi.db"});
    storage::postgres::PostgresOptions options;
    options.conninfo = o.database;
    options.pool_size = 2;
    return storage::postgres::OpenPostgres(options);
  }();
  if (!db.ok()) return Fail("open the store", db.status());
  SystemClock clock;

  if (o.catch_up) {
    appeals::SqlAppealStore store(**db, NoAudit);
    appeals::DeadlineSweeper sweeper(store, clock);
    Result<appeals::SweepReport> r = sweeper.RunOnce(1000);
    if (!r.ok()) return Fail("sweep", r.status());
    std::fprintf(stderr, "gz_appeals_seed: caught up: %lld escalated, %lld follow-ups, %lld failed\n",
                 static_cast<long long>(r->escalated), static_cast<long long>(r->follow_ups),
                 static_cast<long long>(r->failed));
    return r->failed == 0 ? 0 : 1;
  }

  Result<crypto::KeyRing> keys = crypto::LoadKeyFile(crypto::DefaultKeyFilePath(o.data_dir));
  if (!keys.ok()) return Fail("the data folder's key file", keys.status());
  Result<crypto::FieldCipher> cipher = crypto::FieldCipher::Create(*keys);
  if (!cipher.ok()) return Fail("cipher", cipher.status());

  std::vector<std::string> villages;
  int64_t existing = 0;
  Status s = (*db)->Read([&](storage::Tx& tx) -> Status {
    GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query("SELECT code FROM divisions_divisions WHERE level = 5 AND "
                                                        "code >= $1 AND code < $2 ORDER BY code",
                                                        {o.county, o.county + "~"}));
    for (const storage::Row& r : rs.rows) villages.push_back(r.Text(0));
    GZ_ASSIGN_OR_RETURN(storage::ResultSet n, tx.Query("SELECT COUNT(*) FROM appeals_appeals"));
    existing = n.rows[0].Int(0);
    return Status::Ok();
  });
  if (!s.ok()) return Fail("read the villages", s);
  if (villages.empty()) {
    std::fprintf(stderr, "gz_appeals_seed: no villages of county %s in the store (run serve --demo first)\n", o.county.c_str());
    return 1;
  }
  if (existing > 0 && !o.add) {
    std::fprintf(stderr, "gz_appeals_seed: the store already holds %lld appeals; use a fresh copy\n",
                 static_cast<long long>(existing));
    return 1;
  }

  const int64_t end_ms = appeals::NowMsOf(clock);
  Generator gen(*cipher, villages, o, end_ms);
  const std::vector<int64_t> times = gen.SubmissionTimes(o.appeals);
  constexpr int64_t kPerTransaction = 20'000;
  for (int64_t done = 0; done < o.appeals;) {
    const int64_t n = std::min(kPerTransaction, o.appeals - done);
    for (int64_t i = 0; i < n; ++i) {
      s = gen.One(times[static_cast<size_t>(done + i)]);
      if (!s.ok()) return Fail("plan appeals", s);
    }
    s = (*db)->Write([&](storage::Tx& tx) -> Status {
      // The indexes of a million rows do not fit SQLite's default 2 MB page cache.
      if (done == 0 && tx.dialect() == storage::Dialect::kSqlite) GZ_RETURN_IF_ERROR(tx.Exec("PRAGMA cache_size = -262144").status());
      InTransactionDb in_tx(tx);
      appeals::SqlAppealStore store(in_tx, NoAudit);
      return gen.Flush(store);
    });
    if (!s.ok()) return Fail("write appeals", s);
    gen.Written();
    done += n;
    std::fprintf(stderr, "\rgz_appeals_seed: %lld / %lld appeals", static_cast<long long>(done),
                 static_cast<long long>(o.appeals));
  }
  std::fprintf(stderr, "\n");
  gen.Report();
  // A model that the lifecycle refuses often would measure something else than intended.
  if (gen.refused() * 100 > o.appeals) {
    std::fprintf(stderr, "gz_appeals_seed: more than 1%% of the planned steps were refused\n");
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace gz::bench

int main(int argc, char** argv) {
  gz::bench::Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gz_appeals_seed: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data-dir") o.data_dir = value();
    else if (a == "--appeals") o.appeals = std::atoll(value().c_str());
    else if (a == "--days") o.days = std::atoi(value().c_str());
    else if (a == "--seed") o.seed = static_cast<uint32_t>(std::atoll(value().c_str()));
    else if (a == "--county") o.county = value();
    else if (a == "--database") o.database = value();
    else if (a == "--catch-up") o.catch_up = true;
    else if (a == "--add") o.add = true;
    else {
      std::fprintf(stderr, "usage: gz_appeals_seed --data-dir DIR (--appeals N [--days D] [--seed S] | --catch-up)\n");
      return 2;
    }
  }
  if (o.data_dir.empty() || (!o.catch_up && (o.appeals < 1 || o.days < 1))) {
    std::fprintf(stderr, "usage: gz_appeals_seed --data-dir DIR (--appeals N [--days D] [--seed S] | --catch-up)\n");
    return 2;
  }
  return gz::bench::Run(o);
}
