// A ready open311 module for tests, on the appeals test env (a SQLite store in a temporary folder
// with the audit and appeals migrations, the real AppealService, a fake clock and the demo-shaped
// people of appeals/testing/appeal_test_env.h) plus the open311 migrations, the SQL client store,
// fake places and reporters, ClientService and GeoReportService. The reporters:
//
//   15400000001  villager account 101 (resident 9101) @ 420114001205
//   15400000012  villager account 103 (resident 9103) @ 420114001206 (sibling village)
//   15400000099  resident 9201 @ 420114001205, no account
//   15400000077  residents 9102 and 9202 @ 420114001205 (one phone, two people)
//
// Layer: open311 testing (may include storage/).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "access/principal.h"
#include "modules/appeals/testing/appeal_test_env.h"
#include "modules/attachments/sql/attachment_migrations.h"
#include "modules/open311/client_service.h"
#include "modules/open311/directory.h"
#include "modules/open311/georeport.h"
#include "modules/open311/sql/open311_migrations.h"
#include "modules/open311/sql/sql_client_store.h"
#include "storage/migrate.h"

namespace gz::open311::testing {

using appeals::testing::kCounty;
using appeals::testing::kSibling;
using appeals::testing::kTownship;
using appeals::testing::kVillage;

class FakePlaces final : public PlaceLookup {
 public:
  Result<bool> Exists(std::string_view code) override { return codes.contains(std::string(code)); }
  std::set<std::string> codes = {kCounty, kTownship, kVillage, kSibling, "420114002000", "420114002201"};
};

class FakeReporters final : public ReporterLookup {
 public:
  Result<std::vector<Reporter>> FindByPhone(std::string_view phone, std::string_view within) override {
    std::vector<Reporter> out;
    auto it = by_phone.find(std::string(phone));
    if (it == by_phone.end()) return out;
    for (const Reporter& r : it->second)
      if (access::ScopeContains(within, r.village)) out.push_back(r);
    return out;
  }
  Result<std::optional<Reporter>> FindByAccount(int64_t account) override {
    for (const auto& [phone, list] : by_phone)
      for (const Reporter& r : list)
        if (r.account == account) return std::optional<Reporter>(r);
    return std::optional<Reporter>();
  }
  std::map<std::string, std::vector<Reporter>> by_phone = {
      {"15400000001", {{101, 9101, kVillage}}},
      {"15400000012", {{103, 9103, kSibling}}},
      {"15400000099", {{0, 9201, kVillage}}},
      {"15400000077", {{0, 9102, kVillage}, {0, 9202, kVillage}}},
  };
};

class Open311TestEnv {
 public:
  Open311TestEnv() {
    appeals.people.residents[9202] = kVillage;
    Status migrated = storage::ApplyMigrations(appeals.db(), AllMigrations(), appeals.clock);
    EXPECT_TRUE(migrated.ok()) << migrated.ToString();
    store = std::make_unique<SqlClientStore>(appeals.db());
    clients = std::make_unique<ClientService>(*store, places, appeals.clock);
    georeport = std::make_unique<GeoReportService>(*appeals.service, *clients, *store, reporters, places);
  }

  static std::vector<storage::Migration> AllMigrations() {
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : attachments::AttachmentMigrations()) all.push_back(m);
    for (const auto& m : appeals::AppealMigrations()) all.push_back(m);
    for (const auto& m : Open311Migrations()) all.push_back(m);
    return all;
  }

  // A client over `scope`, issued from the CLI (no principal); fails the test on error.
  IssuedClient Issue(std::string name = "蔡甸随手拍", std::string scope = kTownship) {
    Result<IssuedClient> c = clients->Create(nullptr, name, scope);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : IssuedClient{};
  }

  NewRequest Request(std::string phone = "15400000001") const {
    NewRequest r;
    r.jurisdiction = kVillage;
    r.service_code = "street_lights";
    r.description = "村口第二个路灯坏了一个星期";
    r.phone = std::move(phone);
    r.request_id = "req-open311";
    return r;
  }

  appeals::testing::AppealTestEnv appeals;
  FakePlaces places;
  FakeReporters reporters;
  std::unique_ptr<SqlClientStore> store;
  std::unique_ptr<ClientService> clients;
  std::unique_ptr<GeoReportService> georeport;
};

}  // namespace gz::open311::testing
