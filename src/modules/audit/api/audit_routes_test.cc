// The audit routes through the router and the dispatcher (no network, no identity guard: each
// request carries the principal the guard would have attached), on a real SQLite store.
#include "modules/audit/api/audit_routes.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/log.h"
#include "http/dispatcher.h"
#include "modules/audit/problems.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/audit/sql/sql_audit_store.h"
#include "storage/sqlite/testing.h"

namespace gz::audit {
namespace {

namespace json = boost::json;
using access::Role;

std::unique_ptr<storage::Db> MigratedDb() {
  auto db = storage::sqlite::OpenTemporarySqliteForTest();
  if (!db.ok()) return nullptr;
  FakeClock clock;
  if (!storage::ApplyMigrations(**db, AuditMigrations(), clock).ok()) return nullptr;
  return std::move(db).value();
}

std::shared_ptr<const access::Principal> Who(int64_t account, Role role, std::string scope, int64_t resident = 0) {
  auto p = std::make_shared<access::Principal>();
  p->self.account_id = account;
  p->self.resident_id = resident;
  p->self.grants = {access::Grant{0, role, std::move(scope)}};
  p->request_id = "req-test";
  return p;
}

class AuditRoutesTest : public ::testing::Test {
 protected:
  AuditRoutesTest()
      : db_(MigratedDb()), sink_(*db_, clock_), store_(*db_), trail_(store_, sink_), gate_(&sink_),
        dispatcher_(router_, catalog_, metrics_) {
    catalog_.Add(problems::kTexts);
    RegisterAuditRoutes(router_, trail_, gate_);
  }

  http::Response Get(std::string path, std::shared_ptr<const access::Principal> who, std::string query = "") {
    http::Request r;
    r.method = http::Method::kGet;
    r.method_text = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    r.target = r.path + (r.query.empty() ? "" : "?" + r.query);
    r.request_id = "0123456789abcdef";
    r.headers = {{"accept-language", "en"}};
    r.principal = std::move(who);
    log::CaptureForTest(&log_);
    http::Response response = dispatcher_.Handle(r);
    log::CaptureForTest(nullptr);
    return response;
  }

  void Add(access::AuditEvent e) { ASSERT_TRUE(sink_.Append(e).ok()); }

  static access::AuditEvent Ev(std::string action, std::string division) {
    access::AuditEvent e;
    e.action = std::move(action);
    e.division = std::move(division);
    e.actor_account = 5;
    e.roles = "village_cadre@420114001205";
    return e;
  }

  static std::vector<int64_t> SeqsOf(const http::Response& r) {
    std::vector<int64_t> out;
    json::value v = json::parse(r.body);
    for (const auto& item : v.at("items").as_array()) out.push_back(item.at("seq").as_int64());
    return out;
  }

  FakeClock clock_;
  std::unique_ptr<storage::Db> db_;
  SqlAuditSink sink_;
  SqlAuditStore store_;
  AuditTrail trail_;
  access::Gate gate_;
  http::Router router_;
  http::ProblemCatalog catalog_;
  http::Metrics metrics_;
  http::Dispatcher dispatcher_;
  std::string log_;
};

TEST_F(AuditRoutesTest, SearchIsNarrowedToTheAuditorsScope) {
  Add(Ev("residents.reveal", "420114001205"));  // 1
  Add(Ev("residents.reveal", "420114100201"));  // 2 another township
  Add(Ev("auth.sign_in", ""));                  // 3 unplaced
  auto county = Get("/api/v1/audit", Who(9, Role::kAuditor, "420114000000"));
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(SeqsOf(county), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(county.Header("Cache-Control"), "no-store");
  // The county search itself became record 4 (unplaced): a township auditor sees neither it nor 2, 3.
  auto township = Get("/api/v1/audit", Who(10, Role::kAuditor, "420114001000"));
  ASSERT_EQ(township.status, 200);
  EXPECT_EQ(SeqsOf(township), (std::vector<int64_t>{1}));
  auto county_again = Get("/api/v1/audit", Who(9, Role::kAuditor, "420114000000"), "action=audit.&limit=10");
  EXPECT_EQ(SeqsOf(county_again), (std::vector<int64_t>{5, 4}));
}

TEST_F(AuditRoutesTest, SearchRefusesUnknownAndMalformedParameters) {
  auto who = Who(9, Role::kAuditor, "420114000000");
  for (std::string q : {"actr=1", "limit=0", "limit=501", "limit=x", "actor=-1", "before=0", "offset=10",
                        "outcome=maybe", "division=4201x", "from_ms=9999999999999999999"}) {
    auto r = Get("/api/v1/audit", who, q);
    EXPECT_EQ(r.status, 400) << q << " " << r.body;
    EXPECT_NE(r.body.find("/problems/audit/bad-filter"), std::string::npos) << q;
  }
}

TEST_F(AuditRoutesTest, ExportIsCsvWithBomAndNeutralisedCells) {
  access::AuditEvent e = Ev("residents.reveal", "420114001205");
  e.purpose = "=cmd|' /C calc'!A0";
  Add(e);
  auto r = Get("/api/v1/audit/export", Who(9, Role::kAuditor, "420114000000"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(r.body.find("\"'=cmd|' /C calc'!A0\""), std::string::npos) << r.body;
  EXPECT_EQ(r.Header("X-Export-Rows"), "1");
  EXPECT_EQ(r.Header("X-Export-Truncated"), "false");
  EXPECT_EQ(r.Header("X-Export-Max-Rows"), "100000");
  auto limited = Get("/api/v1/audit/export", Who(9, Role::kAuditor, "420114000000"), "limit=5");
  EXPECT_EQ(limited.status, 400);
}

TEST_F(AuditRoutesTest, VerifyShowsNoContent) {
  Add(Ev("residents.reveal", "420114001205"));
  auto r = Get("/api/v1/audit/verify", Who(9, Role::kAuditor, "420114000000"));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("ok"), true);
  EXPECT_EQ(v.at("records"), 1);
  EXPECT_TRUE(v.at("first_broken_seq").is_null());
  EXPECT_EQ(r.body.find("residents.reveal"), std::string::npos);
}

TEST_F(AuditRoutesTest, DataReadsShowTheReadersRoleAndPlaceNotThePerson) {
  access::AuditEvent e = Ev("residents.reveal", "420114001205");
  e.actor_account = 555;
  e.object_type = "resident";
  e.object_id = "42";
  e.purpose = "低保复核";
  Add(e);
  auto r = Get("/api/v1/me/data-reads", Who(1, Role::kVillager, "420114001205", 42));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  ASSERT_EQ(v.at("items").as_array().size(), 1u);
  const json::value& item = v.at("items").at(0);
  EXPECT_EQ(item.at("purpose"), "低保复核");
  EXPECT_EQ(item.at("readers_roles").at(0).at("role"), "village_cadre");
  EXPECT_EQ(item.at("readers_roles").at(0).at("scope"), "420114001205");
  EXPECT_EQ(r.body.find("555"), std::string::npos);  // not even the reader's account
  auto other = Get("/api/v1/me/data-reads", Who(2, Role::kVillager, "420114001205", 43));
  EXPECT_TRUE(json::parse(other.body).at("items").as_array().empty());
  auto unlinked = Get("/api/v1/me/data-reads", Who(8, Role::kCountyAdmin, "420114000000"));
  EXPECT_EQ(json::parse(unlinked.body).at("linked"), false);
}

TEST_F(AuditRoutesTest, ActedForShowsTheHelpersActionsInMyName) {
  access::AuditEvent e = Ev("appeals.create", "420114001205");
  e.actor_account = 3;
  e.acting_for_account = 1;
  e.consent_id = 12;
  e.roles = "helper@420114001205";
  Add(e);
  auto r = Get("/api/v1/me/acted-for", Who(1, Role::kVillager, "420114001205", 42));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  ASSERT_EQ(v.at("items").as_array().size(), 1u);
  EXPECT_EQ(v.at("items").at(0).at("helper_account"), "3");  // ids are strings (63-bit)
  EXPECT_EQ(v.at("items").at(0).at("consent_id"), "12");
  EXPECT_EQ(v.at("items").at(0).at("helper_roles").at(0).at("role_name"), "Digital helper");
  auto nobody = Get("/api/v1/me/acted-for", Who(2, Role::kVillager, "420114001205"));
  EXPECT_TRUE(json::parse(nobody.body).at("items").as_array().empty());
}

}  // namespace
}  // namespace gz::audit
