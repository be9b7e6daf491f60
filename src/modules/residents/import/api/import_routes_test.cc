// The import and export routes through the router and the dispatcher, with a guard that admits
// the route's permission as identity's does, on SQLite: uploads (CSV and .xlsx), the report in
// both languages, scopes and 404s, apply, the export's headers, masking and the reveal check.
#include "modules/residents/import/api/import_routes.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/crypto.h"
#include "http/dispatcher.h"
#include "modules/audit/sql/audit_migrations.h"
#include "modules/audit/sql/audit_sql.h"
#include "modules/residents/import/problems.h"
#include "modules/residents/import/sql/import_migrations.h"
#include "modules/residents/import/sql/sql_import_store.h"
#include "modules/residents/import/testing/register_files.h"
#include "modules/residents/problems.h"
#include "modules/residents/sql/resident_migrations.h"
#include "modules/residents/sql/sql_resident_store.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "storage/sqlite/testing.h"
#include "tabular/problems.h"

namespace gz::residents::import {
namespace {

namespace json = boost::json;
using access::Role;

constexpr const char* kOwn = "420114001205";
constexpr const char* kSibling = "420114001206";
constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class Villages final : public VillageDirectory {
 public:
  bool IsVillage(std::string_view code) const override {
    return code == kOwn || code == kSibling || code == "420114003202";
  }
};

std::shared_ptr<const access::Principal> Who(int64_t account, Role role, std::string scope) {
  auto p = std::make_shared<access::Principal>();
  p->self.account_id = account;
  p->self.village = role == Role::kVillager ? scope : "";
  p->self.grants = {access::Grant{0, role, std::move(scope)}};
  p->request_id = "req-test";
  return p;
}

struct Answer {
  int status = 0;
  std::string body;
  http::Response response;
  json::value Json() const { return json::parse(body); }
  std::string Type() const { return std::string(Json().at("type").as_string()); }
};

class ImportRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::Initialize().ok());
    auto cipher = crypto::FieldCipher::Create(crypto::KeyRing::Generate());
    ASSERT_TRUE(cipher.ok());
    cipher_.emplace(std::move(cipher).value());
    auto db = storage::sqlite::OpenTemporarySqliteForTest();
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    std::vector<storage::Migration> all;
    for (const auto& m : audit::AuditMigrations()) all.push_back(m);
    for (const auto& m : ResidentMigrations()) all.push_back(m);
    for (const auto& m : ImportMigrations()) all.push_back(m);
    ASSERT_TRUE(storage::ApplyMigrations(*db_, all, clock_).ok());
    residents_.emplace(*db_, audit::AppendAuditInTx);
    registry_.emplace(*residents_, *cipher_, clock_);
    masked_.emplace(*residents_, *registry_, *cipher_);
    jobs_.emplace(*db_, *cipher_, clock_, nullptr, audit::AppendAuditInTx);
    service_.emplace(ImportServiceDeps{*jobs_, *jobs_, *registry_, *residents_, *cipher_, clock_});
    exporter_.emplace(*registry_, *residents_, *masked_, *cipher_, sink_, *jobs_, clock_);
    catalog_.Add(problems::kTexts);
    catalog_.Add(residents::problems::kTexts);
    catalog_.Add(tabular::problems::kTexts);
    RegisterImportRoutes(router_, ImportRouteDeps{*service_, *exporter_, villages_, gate_, catalog_});
    dispatcher_.emplace(router_, catalog_, metrics_, [this](const http::Route& route, http::Request& req, auto*) {
      return gate_.Admit(req.Caller(), route.permission, route.pattern);
    });
  }

  Answer Call(http::Method method, std::string target, std::shared_ptr<const access::Principal> who,
              std::string body = "", std::string content_type = "", std::string language = "zh-CN") {
    http::Request r;
    r.method = method;
    r.method_text = std::string(http::MethodName(method));
    auto parsed = http::ParseTarget(target);
    EXPECT_TRUE(parsed.ok()) << target;
    r.target = target;
    r.path = parsed->path;
    r.query = parsed->query;
    r.request_id = "0123456789abcdef";
    r.headers = {{"accept-language", language}};
    if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
    r.body = std::move(body);
    r.principal = std::move(who);
    Answer a;
    a.response = dispatcher_->Handle(r);
    a.status = a.response.status;
    a.body = a.response.body;
    return a;
  }

  Answer Upload(std::string body, std::shared_ptr<const access::Principal> who, std::string type = "text/csv",
                std::string village = kOwn, std::string language = "zh-CN") {
    return Call(http::Method::kPost, "/api/v1/villages/" + village + "/imports", std::move(who), std::move(body),
                std::move(type), std::move(language));
  }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};
  std::optional<crypto::FieldCipher> cipher_;
  std::unique_ptr<storage::Db> db_;
  std::optional<SqlResidentStore> residents_;
  std::optional<ResidentRegistry> registry_;
  std::optional<MaskedRegister> masked_;
  std::optional<SqlImportStore> jobs_;
  std::optional<ImportService> service_;
  std::optional<ResidentExporter> exporter_;
  FakeAuditSink sink_;
  access::Gate gate_{&sink_};
  Villages villages_;
  http::ProblemCatalog catalog_;
  http::Metrics metrics_;
  http::Router router_;
  std::optional<http::Dispatcher> dispatcher_;

  std::shared_ptr<const access::Principal> cadre_ = Who(5, Role::kVillageCadre, kOwn);
  std::shared_ptr<const access::Principal> other_cadre_ = Who(13, Role::kVillageCadre, "420114003202");
  std::shared_ptr<const access::Principal> villager_ = Who(1, Role::kVillager, kOwn);
  std::shared_ptr<const access::Principal> supervisor_ = Who(6, Role::kSupervisor, kOwn);
  std::shared_ptr<const access::Principal> township_ = Who(7, Role::kTownshipOfficial, "420114001000");
};

TEST_F(ImportRoutesTest, AnXlsxUploadIsValidatedAndReportedInTheCallersLanguage) {
  testing::Sheet sheet = testing::SampleRegister();
  sheet.erase(sheet.begin());  // the title goes into the merged first row
  sheet.push_back({"8", "004", "坏号码", "男", "", "420102196001019990", "户主", "12345", "4组1号", ""});
  Answer a = Upload(testing::XlsxOf(sheet, "成功村村民花名册"), cadre_, kXlsxType, kOwn, "en");
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.response.Header("Cache-Control"), "no-store");
  json::value j = a.Json();
  EXPECT_EQ(j.at("status").as_string(), "validated");
  EXPECT_EQ(j.at("format").as_string(), "xlsx");
  EXPECT_EQ(j.at("totals").at("create").as_int64(), 7);
  EXPECT_EQ(j.at("totals").at("reject").as_int64(), 1);
  EXPECT_EQ(a.response.Header("Location"), "/api/v1/imports/" + std::string(j.at("import_id").as_string()));
  const json::array& rows = j.at("report").at("rows").as_array();
  ASSERT_EQ(rows.size(), 8u);
  const json::object& bad = rows[7].as_object();
  EXPECT_EQ(bad.at("outcome").as_string(), "reject");
  EXPECT_EQ(bad.at("row").as_int64(), 10);
  bool saw_phone = false;
  for (const json::value& r : bad.at("reasons").as_array()) {
    if (r.at("code").as_string() == "bad-phone") {
      saw_phone = true;
      EXPECT_EQ(r.at("column").as_string(), "H");
      EXPECT_NE(std::string(r.at("message").as_string()).find("phone number"), std::string::npos);
    }
  }
  EXPECT_TRUE(saw_phone) << json::serialize(bad);
  // Never a full name or number in the report.
  EXPECT_EQ(a.body.find("王建国"), std::string::npos);
  EXPECT_EQ(a.body.find(sheet[1][5]), std::string::npos);

  const std::string id(j.at("import_id").as_string());
  Answer zh = Call(http::Method::kGet, "/api/v1/imports/" + id + "?outcome=reject", cadre_);
  ASSERT_EQ(zh.status, 200) << zh.body;
  EXPECT_EQ(zh.Json().at("report").at("matching").as_int64(), 1);
  EXPECT_NE(zh.body.find("手机号码格式错误"), std::string::npos) << zh.body;
}

TEST_F(ImportRoutesTest, WhoMayImportWhere) {
  const std::string csv = testing::CsvOf(testing::SampleRegister());
  EXPECT_EQ(Upload(csv, other_cadre_).status, 404);  // another township's cadre: the village does not exist for them
  EXPECT_EQ(Upload(csv, villager_).status, 403);
  EXPECT_EQ(Upload(csv, supervisor_).status, 403);
  EXPECT_EQ(Upload(csv, cadre_, "text/csv", kSibling).status, 404);
  EXPECT_EQ(Upload(csv, township_, "text/csv", kSibling).status, 201);
  Answer mine = Upload(csv, cadre_);
  ASSERT_EQ(mine.status, 201) << mine.body;
  const std::string id(mine.Json().at("import_id").as_string());
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/imports/" + id, other_cadre_).status, 404);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/imports/" + id, villager_).status, 403);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/imports/999999", cadre_).Type(), "/problems/residents-import/import-not-found");
  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/imports/" + id + "/apply", other_cadre_, "{\"confirm\":true}",
                 "application/json").status,
            404);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/imports/" + id, township_).status, 200);
}

TEST_F(ImportRoutesTest, BadUploadsAreFourHundredsNamingTheirPlace) {
  Answer probe = Upload("{\"__probe\":1}", cadre_, "application/json");
  EXPECT_EQ(probe.status, 400);
  EXPECT_EQ(probe.Type(), "/problems/residents-import/unsupported-file-type");
  EXPECT_EQ(Upload("", cadre_).Type(), "/problems/residents-import/empty-file");
  EXPECT_EQ(Upload("x", cadre_, "multipart/form-data; boundary=x").status, 400);
  Answer bad = Upload("姓名,身份证号,与户主关系\r\n赵一,\"4201,户主\r\n", cadre_);
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Type(), "/problems/tabular/bad-csv");
  EXPECT_NE(bad.body.find("第 2 行 B 列"), std::string::npos) << bad.body;
  Answer xls = Upload(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'), cadre_,
                      "application/octet-stream");
  EXPECT_EQ(xls.Type(), "/problems/tabular/xls-not-supported");
  Answer header = Upload("名字,电话\r\n赵一,15400000001\r\n", cadre_);
  EXPECT_EQ(header.Type(), "/problems/residents-import/no-header-row");
}

TEST_F(ImportRoutesTest, ApplyNeedsConfirmationThenWritesOnceAndTheExportFollows) {
  Answer up = Upload(testing::CsvOf(testing::SampleRegister()), cadre_);
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string apply = "/api/v1/imports/" + std::string(up.Json().at("import_id").as_string()) + "/apply";
  EXPECT_EQ(Call(http::Method::kPost, apply, cadre_, "{\"__probe\":1}", "application/json").Type(),
            "/problems/http/unknown-field");
  EXPECT_EQ(Call(http::Method::kPost, apply, cadre_, "{\"confirm\":false}", "application/json").Type(),
            "/problems/residents-import/not-confirmed");
  Answer done = Call(http::Method::kPost, apply, cadre_, "{\"confirm\":true}", "application/json");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.Json().at("status").as_string(), "applied");
  Answer again = Call(http::Method::kPost, apply, cadre_, "{\"confirm\":true}", "application/json");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Type(), "/problems/residents-import/already-applied");

  Answer masked = Call(http::Method::kGet, std::string("/api/v1/villages/") + kOwn + "/residents/export?format=csv", cadre_);
  ASSERT_EQ(masked.status, 200) << masked.body;
  EXPECT_EQ(masked.response.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(masked.response.Header("Content-Disposition"),
            "attachment; filename=\"residents-420114001205-20261128-masked.csv\"");
  EXPECT_EQ(masked.response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(masked.response.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(masked.body.find("王建国"), std::string::npos);
  EXPECT_NE(masked.body.find("王**"), std::string::npos);

  Answer full = Call(http::Method::kGet,
                     std::string("/api/v1/villages/") + kOwn + "/residents/export?format=xlsx&purpose=%E4%BD%8E%E4%BF%9D%E5%A4%8D%E6%A0%B8",
                     cadre_);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(full.response.Header("Content-Type"), kXlsxType);
  EXPECT_TRUE(full.body.starts_with("PK"));
}

TEST_F(ImportRoutesTest, ExportChecksTheRevealPermissionAndItsParameters) {
  const std::string base = std::string("/api/v1/villages/") + kOwn + "/residents/export";
  EXPECT_EQ(Call(http::Method::kGet, base + "?format=pdf", cadre_).Type(), "/problems/residents-import/bad-export-format");
  EXPECT_EQ(Call(http::Method::kGet, base + "?purpose=ab", cadre_).Type(), "/problems/residents/bad-purpose");
  EXPECT_EQ(Call(http::Method::kGet, base, villager_).status, 403);
  EXPECT_EQ(Call(http::Method::kGet, base, other_cadre_).status, 404);
  EXPECT_EQ(Call(http::Method::kGet, base, cadre_, "{\"__probe\":1}", "application/json").status, 400);
  EXPECT_EQ(Call(http::Method::kGet, base + "?purpose=%E6%A0%B8%E5%AF%B9%E6%88%B7%E7%B1%8D", township_).status, 200);
}

}  // namespace
}  // namespace gz::residents::import
