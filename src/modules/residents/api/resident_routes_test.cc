// The residents routes through the router and the dispatcher, with a guard that admits the
// route's permission as identity's does (each request carries the principal identity would have
// attached), on the in-memory store: masking, scopes and 404s, reveals and their audit (fail
// closed), audited changes, the data-quality report, corrections and "my data".
#include "modules/residents/api/resident_routes.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/crypto.h"
#include "http/dispatcher.h"
#include "modules/residents/api/my_data_page.h"
#include "modules/residents/id_number.h"
#include "modules/residents/problems.h"
#include "modules/residents/testing/fake_audit_sink.h"
#include "modules/residents/testing/in_memory_resident_store.h"

namespace gz::residents {
namespace {

namespace json = boost::json;
using access::Role;

std::string Fix(std::string body17) { return body17 + IdNumberCheckChar(body17); }

constexpr const char* kOwn = "420114001205";
constexpr const char* kSibling = "420114001206";

class Villages final : public VillageDirectory {
 public:
  bool IsVillage(std::string_view code) const override { return code == kOwn || code == kSibling; }
};

class Regions final : public RegionCodes {
 public:
  bool Exists(std::string_view six) const override { return six == "420114" || six == "420102"; }
};

std::shared_ptr<const access::Principal> Who(int64_t account, Role role, std::string scope, int64_t resident = 0,
                                             int64_t household = 0) {
  auto p = std::make_shared<access::Principal>();
  p->self.account_id = account;
  p->self.resident_id = resident;
  p->self.household_id = household;
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

class ResidentRoutesTest : public ::testing::Test {
 protected:
  ResidentRoutesTest()
      : module_(store_, cipher_, clock_, sink_, villages_, &regions_), gate_(&sink_),
        dispatcher_(router_, catalog_, metrics_,
                    [this](const http::Route& route, http::Request& req, auto*) {
                      return gate_.Admit(req.Caller(), route.permission, route.pattern);
                    }) {
    catalog_.Add(problems::kTexts);
    RegisterResidentRoutes(router_, module_, gate_);
  }

  void SetUp() override {
    NewHousehold a{kOwn, {"3组45号"}, {}};
    a.members.push_back({{"王建国", Fix("42011419650606999"), "15400000001", {"low_income"}}, Relation::kHead});
    a.members.push_back({{"李秀英", Fix("42011419670808996"), std::nullopt}, Relation::kSpouse});
    NewHousehold b{kOwn, {"4组7号"}, {}};
    b.members.push_back({{"张三", Fix("42011419800101997"), "15400000002"}, Relation::kHead});
    NewHousehold c{kSibling, {"1组1号"}, {}};
    c.members.push_back({{"赵六", Fix("42011419800101995"), "15400000012"}, Relation::kHead});
    auto ids = module_.registry().CreateHouseholds(std::vector<NewHousehold>{a, b, c});
    ASSERT_TRUE(ids.ok()) << ids.status().ToString();
    household_a_ = (*ids)[0];
    household_b_ = (*ids)[1];
    const auto own = module_.registry().ListResidents(kOwn).value();
    for (const ResidentInfo& r : own) {
      if (r.household_id == household_a_ && r.relation == Relation::kHead) head_a_ = r.id;
      if (r.household_id == household_a_ && r.relation == Relation::kSpouse) spouse_a_ = r.id;
      if (r.household_id == household_b_) head_b_ = r.id;
    }
    sibling_ = module_.registry().ListResidents(kSibling).value().front().id;
    villager_ = Who(2001, Role::kVillager, kOwn, head_a_.value, household_a_.value);
    cadre_ = Who(3001, Role::kVillageCadre, kOwn);
    township_ = Who(4001, Role::kTownshipOfficial, "420114001000");
    auditor_ = Who(5001, Role::kAuditor, "420114000000");
  }

  Answer Call(http::Method method, std::string target, std::shared_ptr<const access::Principal> who,
              std::string body = "", std::string language = "zh-CN") {
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
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
    r.body = std::move(body);
    r.principal = std::move(who);
    Answer a;
    a.response = dispatcher_.Handle(r);
    a.status = a.response.status;
    a.body = a.response.body;
    return a;
  }
  Answer Get(std::string target, std::shared_ptr<const access::Principal> who, std::string language = "zh-CN") {
    return Call(http::Method::kGet, std::move(target), std::move(who), "", std::move(language));
  }
  Answer Post(std::string target, std::shared_ptr<const access::Principal> who, std::string body) {
    return Call(http::Method::kPost, std::move(target), std::move(who), std::move(body));
  }
  std::string R(ResidentId id) { return "/api/v1/residents/" + std::to_string(id.value); }

  FakeClock clock_{WallTime(std::chrono::seconds(1795795200))};
  crypto::FieldCipher cipher_ = [] {
    EXPECT_TRUE(crypto::Initialize().ok());
    return std::move(crypto::FieldCipher::Create(crypto::KeyRing::Generate())).value();
  }();
  InMemoryResidentStore store_;
  FakeAuditSink sink_;
  Villages villages_;
  Regions regions_;
  ResidentsModule module_;
  access::Gate gate_;
  http::Router router_;
  http::ProblemCatalog catalog_;
  http::Metrics metrics_;
  http::Dispatcher dispatcher_;
  HouseholdId household_a_, household_b_;
  ResidentId head_a_, spouse_a_, head_b_, sibling_;
  std::shared_ptr<const access::Principal> villager_, cadre_, township_, auditor_;
};

TEST_F(ResidentRoutesTest, ListsAreMaskedPagedAndScoped) {
  Answer list = Get("/api/v1/villages/420114001205/residents?limit=2", cadre_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.response.Header("Cache-Control"), "no-store");
  json::value v = list.Json();
  EXPECT_EQ(v.at("total").as_int64(), 3);
  EXPECT_EQ(v.at("items").as_array().size(), 2u);
  EXPECT_EQ(list.body.find("王建国"), std::string::npos);
  EXPECT_NE(list.body.find("王**"), std::string::npos);
  EXPECT_NE(list.body.find("\"420114********999"), std::string::npos);
  EXPECT_NE(list.body.find("154****0001"), std::string::npos);
  EXPECT_EQ(list.body.find("low_income"), std::string::npos);  // flags never in masked views
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents?limit=2&offset=2", cadre_).Json().at("items").as_array().size(), 1u);

  Answer households = Get("/api/v1/villages/420114001205/households", township_);
  ASSERT_EQ(households.status, 200) << households.body;
  EXPECT_NE(households.body.find("3组**号"), std::string::npos);
  EXPECT_EQ(households.Json().at("total").as_int64(), 2);

  // Search through the blind index, only inside the village.
  Answer found = Get("/api/v1/villages/420114001205/residents?id_number=" + Fix("42011419800101997"), cadre_);
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents?phone=154%200000%200012", cadre_).Json().at("total").as_int64(), 0);
  EXPECT_EQ(Get("/api/v1/villages/420114001206/residents?phone=15400000012", township_).Json().at("total").as_int64(), 1);

  // Outside the caller's scopes, unknown, or not a village: the same 404.
  for (const std::string& code : {"420114001206", "420114001299", "420114001000", "42011400120x", "4201140012050"}) {
    Answer a = Get("/api/v1/villages/" + code + "/residents", cadre_);
    EXPECT_EQ(a.status, 404) << code;
    EXPECT_EQ(a.Type(), "/problems/residents/village-not-found") << code;
  }
  // Bad paging and searches.
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents?limit=201", cadre_).Type(), "/problems/residents/bad-query");
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents?offset=-1", cadre_).status, 400);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents?limit=abc", cadre_).status, 400);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents?phone=1&id_number=2", cadre_).status, 400);
  // A villager may not list at all.
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents", villager_).status, 403);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/residents", nullptr).status, 401);
}

TEST_F(ResidentRoutesTest, OneRecordMaskedAndAVillagerReadsTheirOwn) {
  Answer own = Get(R(head_a_), villager_);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.Json().at("name").as_string(), "王**");
  EXPECT_EQ(Get("/api/v1/households/" + std::to_string(household_a_.value), villager_).status, 200);
  // Another household of the same village: inside the villager's tenant, so 403; elsewhere 404.
  EXPECT_EQ(Get(R(head_b_), villager_).status, 403);
  EXPECT_EQ(Get(R(sibling_), villager_).status, 404);
  EXPECT_EQ(Get(R(sibling_), cadre_).Type(), "/problems/residents/resident-not-found");
  EXPECT_EQ(Get(R(ResidentId{12345}), cadre_).Type(), "/problems/residents/resident-not-found");
  EXPECT_EQ(Get("/api/v1/residents/abc", cadre_).status, 404);
  Answer detail = Get("/api/v1/households/" + std::to_string(household_a_.value), auditor_);
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(detail.Json().at("member_list").as_array().size(), 2u);
  EXPECT_EQ(detail.body.find("李秀英"), std::string::npos);
  // A body on a route without one is refused (the access-matrix probe).
  EXPECT_EQ(Call(http::Method::kGet, R(head_a_), cadre_, R"({"__probe":1})").Type(), "/problems/http/unknown-field");
}

TEST_F(ResidentRoutesTest, RevealShowsFullValuesWithAPurposeAndIsAudited) {
  const std::string url = R(head_a_) + "/reveal";
  Answer a = Post(url, cadre_, R"({"fields":["name","id_number","phone","address","flags"],"purpose":"核实低保申请"})");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.response.Header("Cache-Control"), "no-store");
  json::value v = a.Json();
  EXPECT_EQ(v.at("values").at("name").as_string(), "王建国");
  EXPECT_EQ(v.at("values").at("phone").as_string(), "15400000001");
  EXPECT_EQ(v.at("values").at("address").as_string(), "3组45号");
  EXPECT_EQ(v.at("values").at("flags").as_array()[0].at("name").as_string(), "低保");
  auto events = sink_.events();
  ASSERT_EQ(events.size(), 2u);  // the resident, then the household (address)
  EXPECT_EQ(events[0].action, "residents.reveal");
  EXPECT_EQ(events[0].purpose, "核实低保申请");
  EXPECT_EQ(events[0].object_id, std::to_string(head_a_.value));
  EXPECT_EQ(events[0].division, kOwn);
  EXPECT_EQ(events[0].details, R"({"fields":["name","id_number","phone","address","flags"]})");
  EXPECT_EQ(events[1].object_type, "household");

  // Only the fields asked for.
  Answer phone = Post(url, cadre_, R"({"fields":["phone"],"purpose":"电话回访"})");
  EXPECT_EQ(phone.Json().at("values").as_object().size(), 1u);
  // A villager reveals their own record; a helper-less villager cannot reveal another's.
  EXPECT_EQ(Post(url, villager_, R"({"fields":["name"],"purpose":"看看自己的"})").status, 200);
  EXPECT_EQ(Post(R(spouse_a_) + "/reveal", villager_, R"({"fields":["name"],"purpose":"看看配偶的"})").status, 403);
  // The auditor reads but never reveals; outside the scope: 404 before the body is even read.
  EXPECT_EQ(Post(url, auditor_, R"({"__probe":1})").status, 403);
  EXPECT_EQ(Post(R(sibling_) + "/reveal", cadre_, R"({"__probe":1})").status, 404);
  EXPECT_EQ(Post(url, cadre_, R"({"__probe":1})").Type(), "/problems/http/unknown-field");

  const size_t before = sink_.events().size();
  EXPECT_EQ(Post(url, cadre_, R"({"fields":["name"]})").Type(), "/problems/residents/bad-purpose");
  EXPECT_EQ(Post(url, cadre_, R"({"fields":["name"],"purpose":"看看"})").Type(), "/problems/residents/bad-purpose");
  EXPECT_EQ(Post(url, cadre_, R"({"fields":["name"],"purpose":")" + std::string(201, 'x') + "\"}").Type(),
            "/problems/residents/bad-purpose");
  EXPECT_EQ(Post(url, cadre_, R"({"fields":["password"],"purpose":"核实身份"})").Type(),
            "/problems/residents/bad-reveal-fields");
  EXPECT_EQ(Post(url, cadre_, R"({"fields":[],"purpose":"核实身份"})").status, 400);
  EXPECT_EQ(Post(url, cadre_, R"({"fields":["name","name"],"purpose":"核实身份"})").status, 400);
  EXPECT_EQ(Post(url, cadre_, R"({"fields":"name","purpose":"核实身份"})").status, 400);
  EXPECT_EQ(sink_.events().size(), before + 0) << "a refused request reads nothing";

  // Fail closed: no audit, no data.
  sink_.Fail(true);
  Answer refused = Post(url, cadre_, R"({"fields":["name"],"purpose":"核实身份"})");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.Type(), "/problems/residents/read-not-audited");
  EXPECT_EQ(refused.body.find("王建国"), std::string::npos);
}

TEST_F(ResidentRoutesTest, WritesAreValidatedAndAudited) {
  const std::string body = R"({"address":"6组3号","members":[)"
                           R"({"name":"孙七","id_number":")" + Fix("42011419900303999") + R"(","phone":"15400000077","relation":"head","flags":["disability"],"gender":"male"},)"
                           R"({"name":"周八","id_number":")" + Fix("42011419920404998") + R"(","relation":"spouse"}]})";
  Answer created = Post("/api/v1/villages/420114001205/households", cadre_, body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("member_list").as_array().size(), 2u);
  EXPECT_EQ(created.body.find("孙七"), std::string::npos);
  EXPECT_FALSE(created.response.Header("Location").empty());
  EXPECT_EQ(store_.audit_events().back().action, "residents.create_household");
  EXPECT_EQ(store_.audit_events().back().actor_account, 3001);
  // The same people again: duplicates; a stated gender that contradicts the number.
  EXPECT_EQ(Post("/api/v1/villages/420114001205/households", cadre_, body).status, 409);
  std::string wrong = body;
  wrong.replace(wrong.find("\"male\""), 6, "\"female\"");
  Answer mismatch = Post("/api/v1/villages/420114001205/households", cadre_, wrong);
  EXPECT_EQ(mismatch.Type(), "/problems/residents/bad-id-number");
  // Bad input of every kind: 400, never a crash, nothing written.
  const size_t events = store_.audit_events().size();
  for (const std::string& bad : {
           std::string(R"({"address":"1组","members":[]})"),
           std::string(R"({"address":"","members":[{"name":"a","id_number":"1","relation":"head"}]})"),
           std::string(R"({"address":"1组","members":"x"})"),
           std::string(R"({"address":"1组","members":[1]})"),
           std::string(R"({"address":"1组","members":[{"name":"a","id_number":"1","relation":"boss"}]})"),
           std::string(R"({"address":"1组","members":[{"name":"a","id_number":"1","relation":"head","x":1}]})"),
           std::string(R"({"address":"1组","members":[{"name":"a","id_number":"1","relation":"head","flags":["vip"]}]})"),
           std::string(R"({"address":"1组","members":[{"name":"a","id_number":"1","relation":"head","gender":"x"}]})"),
           std::string(R"({"address":"1组"})"),
           std::string(R"({"address":1,"members":[]})"),
           std::string(R"({"role":"admin"})"),
           std::string(R"([1,2])"),
       }) {
    Answer a = Post("/api/v1/villages/420114001205/households", cadre_, bad);
    EXPECT_EQ(a.status, 400) << bad << " -> " << a.body;
  }
  EXPECT_EQ(store_.audit_events().size(), events);
  EXPECT_EQ(Post("/api/v1/villages/420114001206/households", cadre_, body).status, 404);
  EXPECT_EQ(Post("/api/v1/villages/420114001205/households", auditor_, body).status, 403);

  // Add a member; change one.
  Answer member = Post("/api/v1/households/" + std::to_string(household_b_.value) + "/members", cadre_,
                       R"({"name":"张小三","id_number":")" + Fix("42011420100101999") + R"(","relation":"child"})");
  ASSERT_EQ(member.status, 201) << member.body;
  Answer patched = Call(http::Method::kPatch, R(spouse_a_), cadre_, R"({"phone":"154 0000 0099","flags":["elderly_alone"]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json().at("phone").as_string(), "154****0099");
  EXPECT_EQ(store_.audit_events().back().details, R"({"fields":["phone","flags"]})");
  EXPECT_EQ(Call(http::Method::kPatch, R(spouse_a_), cadre_, R"({})").Type(), "/problems/residents/nothing-to-change");
  EXPECT_EQ(Call(http::Method::kPatch, R(spouse_a_), cadre_, R"({"relation":"head"})").Type(), "/problems/residents/bad-household");
  EXPECT_EQ(Call(http::Method::kPatch, R(spouse_a_), cadre_, R"({"name":"x"})").Type(), "/problems/http/unknown-field");
  EXPECT_EQ(Call(http::Method::kPatch, R(spouse_a_), cadre_, R"({"phone":""})").status, 200);  // removes it
  EXPECT_EQ(Call(http::Method::kPatch, R(sibling_), cadre_, R"({"phone":""})").status, 404);
}

TEST_F(ResidentRoutesTest, DataQualityReportNamesNobody) {
  Answer a = Get("/api/v1/villages/420114001205/data-quality", auditor_);
  ASSERT_EQ(a.status, 200) << a.body;
  json::value v = a.Json();
  EXPECT_EQ(v.at("residents").as_int64(), 3);
  EXPECT_EQ(v.at("completeness").at("missing_phone").at("count").as_int64(), 1);
  EXPECT_EQ(v.at("completeness").at("missing_phone").at("ids").as_array()[0].as_string(), std::to_string(spouse_a_.value));
  EXPECT_EQ(a.body.find("李"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/data-quality?stale_years=0", auditor_).status, 400);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/data-quality?stale_years=10", auditor_).status, 200);
  EXPECT_EQ(Get("/api/v1/villages/420114001205/data-quality", villager_).status, 403);
}

TEST_F(ResidentRoutesTest, CorrectionsFromRequestToOutcome) {
  Answer asked = Post("/api/v1/me/corrections", villager_,
                      R"({"field":"phone","proposed_value":"15400000111","reason":"换号了"})");
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string id(asked.Json().at("id").as_string());
  EXPECT_EQ(asked.Json().at("status").as_string(), "open");
  EXPECT_EQ(Post("/api/v1/me/corrections", villager_, R"({"field":"age","proposed_value":"1","reason":"x"})").Type(),
            "/problems/residents/bad-correction");
  EXPECT_EQ(Post("/api/v1/me/corrections", villager_, R"({"field":"phone","proposed_value":"1","reason":"x"})").Type(),
            "/problems/residents/bad-phone");
  EXPECT_EQ(Post("/api/v1/me/corrections", cadre_, R"({"field":"phone","proposed_value":"15400000111","reason":"x"})").Type(),
            "/problems/residents/not-linked");

  Answer list = Get("/api/v1/villages/420114001205/corrections?status=open", cadre_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at("items").as_array()[0].at("proposed_value").as_string(), "154****0111");
  EXPECT_EQ(Get("/api/v1/villages/420114001205/corrections?status=maybe", cadre_).status, 400);
  EXPECT_EQ(Get("/api/v1/villages/420114001206/corrections", cadre_).status, 404);

  const std::string resolve = "/api/v1/corrections/" + id + "/resolve";
  EXPECT_EQ(Post(resolve, township_, R"({"decision":"accepted"})").status, 403);  // cadres decide
  EXPECT_EQ(Post(resolve, cadre_, R"({"decision":"maybe"})").Type(), "/problems/residents/bad-correction");
  EXPECT_EQ(Post("/api/v1/corrections/1/resolve", cadre_, R"({"decision":"accepted"})").status, 404);
  Answer done = Post(resolve, cadre_, R"({"decision":"accepted","note":"已核实"})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.Json().at("status").as_string(), "accepted");
  EXPECT_EQ(Post(resolve, cadre_, R"({"decision":"declined"})").status, 409);

  Answer mine = Get("/api/v1/me/corrections", villager_);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Json().at("items").as_array()[0].at("note").as_string(), "已核实");
  EXPECT_EQ(mine.Json().at("items").as_array()[0].at("proposed_value").as_string(), "15400000111");
}

TEST_F(ResidentRoutesTest, MyDataInJsonAndAsAnEscapedPrintablePage) {
  // A hostile name: the page must show it as text.
  ASSERT_TRUE(module_.registry()
                  .UpdateResident(*cadre_, head_a_, ResidentChange{.phone = std::optional<std::string>("15400000001")})
                  .ok());
  Answer asked = Post("/api/v1/me/corrections", villager_,
                      R"({"field":"name","proposed_value":"<script>alert(1)</script>","reason":"a & b \"c\" 'd'"})");
  ASSERT_EQ(asked.status, 201) << asked.body;
  Answer data = Get("/api/v1/me/data", villager_);
  ASSERT_EQ(data.status, 200) << data.body;
  EXPECT_EQ(data.response.Header("Cache-Control"), "no-store");
  json::value v = data.Json();
  EXPECT_EQ(v.at("resident").at("name").as_string(), "王建国");
  EXPECT_EQ(v.at("resident").at("id_number").as_string(), Fix("42011419650606999"));
  EXPECT_EQ(v.at("household").at("address").as_string(), "3组45号");
  EXPECT_EQ(v.at("household").at("other_members").as_array().size(), 1u);
  EXPECT_EQ(data.body.find("李秀英"), std::string::npos);  // the spouse's name is not mine
  EXPECT_EQ(v.at("account").at("id").as_string(), "2001");
  EXPECT_EQ(v.at("corrections").as_array().size(), 1u);
  for (const auto& e : sink_.events()) EXPECT_EQ(e.purpose, "self-access");

  Answer page = Get("/api/v1/me/data.html", villager_, "en");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.response.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.response.Header("Content-Disposition"), "inline; filename=\"my-data.html\"");
  EXPECT_EQ(page.response.Header("Cache-Control"), "no-store");
  EXPECT_NE(page.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(page.body.find("My personal data"), std::string::npos);
  EXPECT_NE(page.body.find("王建国"), std::string::npos);
  EXPECT_NE(page.body.find("Minimum living allowance"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("a &amp; b &quot;c&quot; &#39;d&#39;"), std::string::npos);
  EXPECT_NE(Get("/api/v1/me/data.html", villager_).body.find("我的个人信息"), std::string::npos);

  // Fail closed.
  sink_.Fail(true);
  EXPECT_EQ(Get("/api/v1/me/data", villager_).status, 503);
  EXPECT_EQ(Get("/api/v1/me/data.html", villager_).status, 503);
}

TEST(HtmlEscape, EscapesAndRepairs) {
  EXPECT_EQ(HtmlEscape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("王\xff𠀀\x01\n"), "王\xEF\xBF\xBD𠀀\n");
}

}  // namespace
}  // namespace gz::residents
