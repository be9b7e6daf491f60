// A ready consents module for tests: a temporary SQLite store with the audit and consents
// migrations, a real FieldCipher, fake accounts, a fake clock, a recording audit sink and the
// service. The accounts follow the demo's shape (docs/security-consents.md):
//
//   101 villager   @ 420114001205 (own village)     102 villager @ 420114001205
//   103 villager   @ 420114001206 (sibling village)
//   201 helper     @ 420114001205                   202 helper   @ 420114001205
//   203 helper     @ 420114001206
//   301 village_cadre @ 420114001205                302 township_official @ 420114001000
//   303 village_cadre @ 420114002201 (another township)
//   401 auditor    @ 420114000000
//
// Layer: consents testing (may include storage/).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <vector>

#include "access/audit_event.h"
#include "crypto/crypto.h"
#include "crypto/field_cipher.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/consents/consent_service.h"
#include "modules/consents/sql/consent_migrations.h"
#include "modules/consents/sql/sql_consent_store.h"
#include "modules/consents/testing/fake_account_facts.h"
#include "sms/sms_gateway.h"
#include "storage/migrate.h"
#include "storage/backends_for_test.h"

namespace gz::consents::testing {

inline constexpr char kVillage[] = "420114001205";
inline constexpr char kSibling[] = "420114001206";
inline constexpr char kTownship[] = "420114001000";
inline constexpr char kOtherTownVillage[] = "420114002201";
inline constexpr char kCounty[] = "420114000000";

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
  std::vector<access::AuditEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  size_t Count(std::string_view action) {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& e : events_) n += e.action == action;
    return n;
  }

 private:
  std::mutex mu_;
  std::vector<access::AuditEvent> events_;
  bool failing_ = false;
};

// Keeps every text "sent"; can be told to fail (a gateway that is down).
class RecordingSms final : public sms::SmsGateway {
 public:
  std::string_view name() const override { return "recording"; }
  Status Send(const sms::SmsMessage& m) override {
    std::lock_guard lock(mu_);
    if (failing_) return Status(Code::kUnavailable, "sms/unavailable");
    sent_.push_back(m);
    return Status::Ok();
  }
  void SetFailing(bool f) {
    std::lock_guard lock(mu_);
    failing_ = f;
  }
  std::vector<sms::SmsMessage> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }
  // The 6-digit code in the last text.
  std::string LastCode() {
    std::lock_guard lock(mu_);
    if (sent_.empty()) return "";
    const std::string& t = sent_.back().text;
    for (size_t i = 0; i + 6 <= t.size(); ++i) {
      bool six = true;
      for (size_t k = 0; k < 6; ++k) six = six && t[i + k] >= '0' && t[i + k] <= '9';
      if (six && (i + 6 == t.size() || t[i + 6] < '0' || t[i + 6] > '9') && (i == 0 || t[i - 1] < '0' || t[i - 1] > '9'))
        return t.substr(i, 6);
    }
    return "";
  }

 private:
  std::mutex mu_;
  std::vector<sms::SmsMessage> sent_;
  bool failing_ = false;
};

class ConsentTestEnv {
 public:
  ConsentTestEnv() {
    EXPECT_TRUE(crypto::Initialize().ok());
    auto db = storage::OpenTemporaryStoreForTest();
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : ConsentMigrations()) all.push_back(m);
    Status migrated = storage::ApplyMigrations(*db_, all, clock);
    EXPECT_TRUE(migrated.ok()) << migrated.ToString();
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    EXPECT_TRUE(cipher.ok());
    cipher_ = std::make_unique<crypto::FieldCipher>(std::move(*cipher));
    store = std::make_unique<SqlConsentStore>(*db_, [this](storage::Tx& tx, const access::AuditEvent& e, int64_t now) {
      if (fail_audit_in_tx) return Status(Code::kInternal, "audit/bad-event", "test appender failing");
      return audit::AppendAuditInTx(tx, e, now);
    });
    service = std::make_unique<ConsentService>(*store, accounts, *cipher_, sink, clock, &sms);
    using access::Role;
    accounts.Put(101, Role::kVillager, kVillage, kVillage);
    accounts.Put(102, Role::kVillager, kVillage, kVillage);
    accounts.Put(103, Role::kVillager, kSibling, kSibling);
    accounts.Put(201, Role::kHelper, kVillage, kVillage);
    accounts.Put(202, Role::kHelper, kVillage, kVillage);
    accounts.Put(203, Role::kHelper, kSibling, kSibling);
    accounts.Put(301, Role::kVillageCadre, kVillage, kVillage);
    accounts.Put(302, Role::kTownshipOfficial, kTownship, "");
    accounts.Put(303, Role::kVillageCadre, kOtherTownVillage, kOtherTownVillage);
    accounts.Put(401, Role::kAuditor, kCounty, "");
    accounts.SetPhone(101, "15400000101");
    accounts.SetPhone(201, "15400000201");
  }

  // The principal identity would build for `account` (signed in, acting on itself).
  access::Principal Who(int64_t account) {
    access::Principal p;
    auto found = accounts.Find(account);
    EXPECT_TRUE(found.ok() && found->has_value()) << account;
    p.self.account_id = account;
    p.self.village = (*found)->home_village;
    p.self.grants = (*found)->grants;
    p.request_id = "req-" + std::to_string(account);
    return p;
  }

  // The same helper acting for `villager` under the active consent.
  access::Principal ActingFor(int64_t helper, int64_t villager) {
    access::Principal p = Who(helper);
    auto active = store->FindActive(helper, villager, service->NowMs());
    EXPECT_TRUE(active.ok() && active->has_value());
    access::ActingFor a;
    a.consent_id = (*active)->id;
    a.person = Who(villager).self;
    a.actions = (*active)->actions;
    p.acting_for = std::move(a);
    return p;
  }

  GrantRequest InApp(int64_t villager, int64_t helper) {
    GrantRequest r;
    r.villager_account = villager;
    r.helper_account = helper;
    r.actions = {"residents.read", "me.read"};
    r.method = Method::kInApp;
    r.valid_days = 30;
    return r;
  }

  // Rows of the audit trail with this action.
  int64_t AuditRows(std::string_view action) {
    int64_t n = -1;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      GZ_ASSIGN_OR_RETURN(storage::ResultSet rs,
                          tx.Query("SELECT COUNT(*) FROM audit_records WHERE action = $1", {std::string(action)}));
      n = rs.rows.front().Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  }

  storage::Db& db() { return *db_; }
  const crypto::FieldCipher& cipher() { return *cipher_; }

  FakeClock clock;
  FakeAccountFacts accounts;
  RecordingSms sms;
  RecordingSink sink;
  bool fail_audit_in_tx = false;
  std::unique_ptr<SqlConsentStore> store;
  std::unique_ptr<ConsentService> service;

 private:
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<crypto::FieldCipher> cipher_;
};

}  // namespace gz::consents::testing
