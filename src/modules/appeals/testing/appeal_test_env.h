// A ready appeals module for tests: a SQLite store in a temporary folder (reopenable, to simulate
// a restart) with the audit and appeals migrations, a real FieldCipher, a fake clock, a recording
// audit sink, fake people, the service and the sweeper. The people follow the demo's shape:
//
//   101 villager  @ 420114001205 (resident 9101)    102 villager @ 420114001205 (resident 9102)
//   103 villager  @ 420114001206 (sibling village)  resident 9201 @ 420114001205 has no account
//   201 helper    @ 420114001205, acting for 101 under consent 77
//   251 grid_worker @ 420114001205                  301 village_cadre @ 420114001205
//   304 village_cadre @ 420114001206                302 township_official @ 420114001000
//   305 township_official @ 420114002000 (another township)
//   351 supervisor @ 420114001205                   401 county_admin @ 420114000000
//   402 auditor @ 420114000000
//
// Layer: appeals testing (may include storage/).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "access/audit_event.h"
#include "access/principal.h"
#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "modules/appeals/appeal_service.h"
#include "modules/appeals/sql/appeal_migrations.h"
#include "modules/appeals/sql/sql_appeal_store.h"
#include "modules/appeals/submitter_lookup.h"
#include "modules/appeals/sweep.h"
#include "modules/attachments/sql/attachment_migrations.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/audit/sql/audit_sql.h"
#include "storage/migrate.h"
#include "storage/backends_for_test.h"

namespace gz::appeals::testing {

inline constexpr char kVillage[] = "420114001205";
inline constexpr char kSibling[] = "420114001206";
inline constexpr char kTownship[] = "420114001000";
inline constexpr char kOtherTownship[] = "420114002000";
inline constexpr char kCounty[] = "420114000000";

inline constexpr int64_t kVillager = 101, kVillager2 = 102, kSiblingVillager = 103, kHelper = 201, kGrid = 251,
                         kCadre = 301, kTownshipOfficial = 302, kSiblingCadre = 304, kOtherTownshipOfficial = 305,
                         kSupervisorId = 351, kCountyAdmin = 401, kAuditor = 402;
inline constexpr int64_t kVillagerResident = 9101, kNoAccountResident = 9201;
inline constexpr int64_t kConsent = 77;

// Keeps every event; can be told to fail (an audit store that is down).
class RecordingSink final : public access::AuditSink {
 public:
  Status Append(const access::AuditEvent& event) override {
    std::lock_guard lock(mu_);
    if (failing_) return Unavailable("audit/unavailable", "test sink failing");
    events_.push_back(event);
    return Status::Ok();
  }
  void SetFailing(bool f) {
    std::lock_guard lock(mu_);
    failing_ = f;
  }
  size_t Count(std::string_view action) {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& e : events_) n += e.action == action;
    return n;
  }
  std::vector<access::AuditEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::vector<access::AuditEvent> events_;
  bool failing_ = false;
};

class FakePeople final : public SubmitterLookup {
 public:
  Result<std::optional<std::string>> VillageOfAccount(int64_t account) override {
    auto it = accounts.find(account);
    if (it == accounts.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::optional<std::string>> VillageOfResident(int64_t resident) override {
    auto it = residents.find(resident);
    if (it == residents.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  std::map<int64_t, std::string> accounts;   // villager accounts -> home village
  std::map<int64_t, std::string> residents;  // residents -> village
};

class AppealTestEnv {
 public:
  AppealTestEnv() {
    EXPECT_TRUE(crypto::Initialize().ok());
    // SQLite, or PostgreSQL when GZ_TEST_BACKEND=postgres (gz_test BOTH_BACKENDS).
    auto store = storage::TestStoreForTest::Create();
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::make_unique<storage::TestStoreForTest>(std::move(*store));
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    EXPECT_TRUE(cipher.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*cipher));
    people.accounts = {{kVillager, kVillage}, {kVillager2, kVillage}, {kSiblingVillager, kSibling}};
    people.residents = {{kVillagerResident, kVillage}, {9102, kVillage}, {9103, kSibling}, {kNoAccountResident, kVillage}};
    Open();
  }

  // Closes the store and opens it again from the same file, with new store, service and sweeper
  // objects: what a restart of the server does.
  void Restart() {
    sweeper.reset();
    service.reset();
    store.reset();
    db_.reset();
    Open();
  }

  // The SQLite file, or nullopt on PostgreSQL.
  std::optional<std::string> DbPath() const { return store_->sqlite_path(); }

  // The principal identity would build for `account` (signed in, acting on itself).
  access::Principal Who(int64_t account) const {
    using access::Role;
    access::Principal p;
    p.self.account_id = account;
    p.request_id = "req-" + std::to_string(account);
    auto grant = [&](Role role, const char* scope) { p.self.grants.push_back(access::Grant{0, role, scope}); };
    switch (account) {
      case kVillager: p.self.resident_id = kVillagerResident; p.self.village = kVillage; grant(Role::kVillager, kVillage); break;
      case kVillager2: p.self.resident_id = 9102; p.self.village = kVillage; grant(Role::kVillager, kVillage); break;
      case kSiblingVillager: p.self.resident_id = 9103; p.self.village = kSibling; grant(Role::kVillager, kSibling); break;
      case kHelper: p.self.village = kVillage; grant(Role::kHelper, kVillage); break;
      case kGrid: p.self.village = kVillage; grant(Role::kGridWorker, kVillage); break;
      case kCadre: p.self.village = kVillage; grant(Role::kVillageCadre, kVillage); break;
      case kSiblingCadre: p.self.village = kSibling; grant(Role::kVillageCadre, kSibling); break;
      case kTownshipOfficial: grant(Role::kTownshipOfficial, kTownship); break;
      case kOtherTownshipOfficial: grant(Role::kTownshipOfficial, kOtherTownship); break;
      case kSupervisorId: p.self.village = kVillage; grant(Role::kSupervisor, kVillage); break;
      case kCountyAdmin: grant(Role::kCountyAdmin, kCounty); break;
      case kAuditor: grant(Role::kAuditor, kCounty); break;
      default: ADD_FAILURE() << "unknown test account " << account;
    }
    return p;
  }

  // The helper 201 acting for villager 101 under consent 77 (identity's guard checked it).
  access::Principal HelperForVillager() const {
    access::Principal p = Who(kHelper);
    access::ActingFor a;
    a.consent_id = kConsent;
    a.person = Who(kVillager).self;
    a.actions = {"appeals.submit", "appeals.read", "appeals.contest", "appeals.withdraw", "appeals.rate_own"};
    p.acting_for = std::move(a);
    return p;
  }

  SubmitRequest Request(std::string text = "村口第二个路灯坏了一个星期，晚上很黑，请尽快修理",
                        std::string category = "street_lights") const {
    SubmitRequest r;
    r.text = std::move(text);
    r.category = std::move(category);
    return r;
  }

  // Files an appeal as villager 101 (or `by`); fails the test on error.
  Appeal Submit(const access::Principal& by, SubmitRequest r) {
    Result<Appeal> a = service->Submit(by, r);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? *a : Appeal{};
  }
  Appeal Submit() { return Submit(Who(kVillager), Request()); }

  Result<Appeal> Do(const access::Principal& by, int64_t id, Action action, std::string note = "",
                    std::optional<HandlingUnit> unit = std::nullopt, std::optional<Rating> rating = std::nullopt,
                    std::optional<bool> solved = std::nullopt) {
    Command c;
    c.action = action;
    c.note = std::move(note);
    c.unit = std::move(unit);
    c.rating = rating;
    c.solved = solved;
    return service->Perform(by, id, c);
  }
  // The same, failing the test unless it succeeds.
  Appeal Must(const access::Principal& by, int64_t id, Action action, std::string note = "",
              std::optional<HandlingUnit> unit = std::nullopt, std::optional<Rating> rating = std::nullopt,
              std::optional<bool> solved = std::nullopt) {
    Result<Appeal> a = Do(by, id, action, std::move(note), std::move(unit), rating, solved);
    EXPECT_TRUE(a.ok()) << ActionCode(action) << ": " << a.status().ToString();
    return a.ok() ? *a : Appeal{};
  }

  void Advance(std::chrono::milliseconds d) { clock.Advance(d); }
  int64_t Now() const { return NowMsOf(clock); }

  int64_t Count(std::string_view sql, const storage::Params& params = {}) {
    int64_t n = -1;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs, tx.Query(sql, params));
      n = rs.rows.front().Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  }
  int64_t AuditRows(std::string_view action) {
    return Count("SELECT COUNT(*) FROM audit_records WHERE action = $1", {std::string(action)});
  }
  Status Exec(std::string_view sql, const storage::Params& params = {}) {
    return db_->Write([&](storage::Tx& tx) -> Status { return tx.Exec(sql, params).status(); });
  }

  storage::Db& db() { return *db_; }
  const crypto::FieldCipher& cipher() { return *cipher_; }

  FakeClock clock;
  FakePeople people;
  RecordingSink sink;
  AppealSettings settings;
  bool fail_audit_in_tx = false;
  std::unique_ptr<SqlAppealStore> store;
  std::unique_ptr<AppealService> service;
  std::unique_ptr<DeadlineSweeper> sweeper;

 private:
  void Open() {
    auto db = store_->Open();
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : attachments::AttachmentMigrations()) all.push_back(m);
    for (const auto& m : AppealMigrations()) all.push_back(m);
    Status migrated = storage::ApplyMigrations(*db_, all, clock);
    EXPECT_TRUE(migrated.ok()) << migrated.ToString();
    store = std::make_unique<SqlAppealStore>(*db_, [this](storage::Tx& tx, const access::AuditEvent& e, int64_t now) {
      if (fail_audit_in_tx) return Status(Code::kInternal, "audit/bad-event", "test appender failing");
      return audit::AppendAuditInTx(tx, e, now);
    });
    service = std::make_unique<AppealService>(*store, people, *cipher_, sink, clock, settings);
    sweeper = std::make_unique<DeadlineSweeper>(*store, clock, settings);
  }

  std::unique_ptr<storage::TestStoreForTest> store_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
  std::unique_ptr<storage::Db> db_;
};

}  // namespace gz::appeals::testing
