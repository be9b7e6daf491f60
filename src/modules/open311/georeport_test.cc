// GeoReportService over the real AppealService and store: the mapping (services, statuses,
// deadlines, jurisdictions), filing for registered villagers only and only inside the key's scope,
// the public search with its filters, and personal fields for the filing client alone, audited.
#include "modules/open311/georeport.h"

#include <gtest/gtest.h>

#include "modules/appeals/problems.h"
#include "modules/open311/problems.h"
#include "modules/open311/testing/open311_test_env.h"

namespace gz::open311 {
namespace {

using appeals::Appeal;
using appeals::AppealState;
using testing::kSibling;
using testing::kTownship;
using testing::kVillage;
using testing::Open311TestEnv;

TEST(GeoReportMapping, ServicesAreTheCategoriesThatCanBeFiled) {
  std::vector<Service> services = Services();
  ASSERT_GE(services.size(), 10u);
  std::optional<Service> water = FindService("water_supply");
  ASSERT_TRUE(water.has_value());
  EXPECT_EQ(water->name, "供水");
  EXPECT_EQ(water->description, "Water supply");
  EXPECT_EQ(water->group, "utilities");
  EXPECT_EQ(FindService("safety_hazard")->group, "emergency");
  EXPECT_FALSE(FindService("no_such_thing").has_value());
  for (const Service& s : services) EXPECT_TRUE(FindService(s.code).has_value()) << s.code;
}

TEST(GeoReportMapping, OnlyWhatIsOverIsClosed) {
  for (AppealState s : appeals::AllStates()) {
    const bool closed = s == AppealState::kClosed || s == AppealState::kWithdrawn || s == AppealState::kRejected;
    EXPECT_EQ(StatusOf(s), closed ? "closed" : "open") << appeals::StateCode(s);
  }
  EXPECT_EQ(StatusOf(AppealState::kAnswered), "open") << "answered is not solved until the villager says so";
  EXPECT_EQ(StatesOfStatus("closed")->size(), 3u);
  EXPECT_EQ(StatesOfStatus("open")->size(), static_cast<size_t>(appeals::kStateCount) - 3);
  EXPECT_FALSE(StatesOfStatus("pending").has_value());
}

TEST(GeoReportMapping, TheExpectedTimeIsTheDeadlineInForce) {
  Appeal a;
  EXPECT_EQ(ExpectedMs(a), std::nullopt);
  a.accept_due_ms = 10;
  EXPECT_EQ(ExpectedMs(a), 10);
  a.answer_due_ms = 20;
  EXPECT_EQ(ExpectedMs(a), 20);
}

TEST(GeoReportMapping, JurisdictionsAreVillagesOrTownships) {
  EXPECT_EQ(*ParseJurisdiction("420114001205"), "420114001205");
  EXPECT_EQ(*ParseJurisdiction("420114001000"), "420114001000");
  EXPECT_EQ(*ParseJurisdiction("420114001"), "420114001000");
  for (const char* bad : {"", "420114", "420114000000", "420000000000", "42011400120", "4201140012051", "abcdefghijkl"})
    EXPECT_EQ(ParseJurisdiction(bad).status().slug(), problems::kBadJurisdiction) << bad;
}

TEST(GeoReport, FilesForTheVillagerOfThePhoneAndAnswersAToken) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  Result<FiledRequest> filed = env.georeport->Submit(c.client, env.Request());
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  const Appeal& a = filed->appeal;
  EXPECT_EQ(a.channel, appeals::Channel::kOpen311);
  EXPECT_EQ(a.client_id, c.client.id);
  EXPECT_EQ(a.submitter_account, 101);
  EXPECT_EQ(a.submitter_resident, 9101);
  EXPECT_EQ(a.village, kVillage);
  ASSERT_FALSE(filed->token.empty());
  EXPECT_EQ(*env.georeport->AppealOfToken(filed->token), a.id);
  EXPECT_EQ(env.georeport->AppealOfToken("nope").status().slug(), problems::kTokenNotFound);
  EXPECT_EQ(env.georeport->AppealOfToken("").status().slug(), problems::kTokenNotFound);

  // A township jurisdiction reaches its villages; account_id works as well as a phone.
  NewRequest r = env.Request("");
  r.jurisdiction = kTownship;
  r.account_id = 101;
  r.lat = 30.58;
  r.lon = 114.03;
  r.address = "村口";
  Result<FiledRequest> by_account = env.georeport->Submit(c.client, r);
  ASSERT_TRUE(by_account.ok()) << by_account.status().ToString();
  Result<RequestView> mine = env.georeport->Get(by_account->appeal.id, "", &c.client, "r");
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(mine->content && mine->content->location);
  EXPECT_EQ(mine->content->location->description, "村口");
  EXPECT_DOUBLE_EQ(mine->content->location->latitude, 30.58);
}

TEST(GeoReport, FilesForAResidentWithoutAnAccount) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  Result<FiledRequest> filed = env.georeport->Submit(c.client, env.Request("15400000099"));
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  EXPECT_EQ(filed->appeal.submitter_account, 0);
  EXPECT_EQ(filed->appeal.submitter_resident, 9201);
}

TEST(GeoReport, KeepsAnAddressWithoutCoordinatesInTheText) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  NewRequest r = env.Request();
  r.address = "三组晒谷场旁";
  Result<FiledRequest> filed = env.georeport->Submit(c.client, r);
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  Result<RequestView> v = env.georeport->Get(filed->appeal.id, kVillage, &c.client, "r");
  ASSERT_TRUE(v.ok() && v->content);
  EXPECT_EQ(v->content->text, "村口第二个路灯坏了一个星期\n\n地址：三组晒谷场旁");
  EXPECT_FALSE(v->content->location.has_value());
}

TEST(GeoReport, RefusesWhatItCannotFileAndFilesNothingThen) {
  Open311TestEnv env;
  IssuedClient township = env.Issue();
  IssuedClient sibling = env.Issue("马家渡村 app", kSibling);
  auto slug = [&](const Client& c, NewRequest r) { return env.georeport->Submit(c, r).status().slug(); };

  NewRequest r = env.Request();
  r.jurisdiction = "";
  EXPECT_EQ(slug(township.client, r), problems::kJurisdictionRequired);
  r.jurisdiction = "420114";
  EXPECT_EQ(slug(township.client, r), problems::kBadJurisdiction);
  r.jurisdiction = "420114001299";
  EXPECT_EQ(env.georeport->Submit(township.client, r).status().code(), Code::kNotFound);
  EXPECT_EQ(slug(township.client, r), problems::kUnknownJurisdiction);
  // The key of the sibling village does not reach the village next door.
  EXPECT_EQ(env.georeport->Submit(sibling.client, env.Request()).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(slug(sibling.client, env.Request()), problems::kOutsideKeyScope);
  r = env.Request();
  r.service_code = "fireworks";
  EXPECT_EQ(slug(township.client, r), problems::kUnknownService);
  EXPECT_EQ(slug(township.client, env.Request("")), problems::kReporterRequired);
  EXPECT_EQ(slug(township.client, env.Request("13900000000")), problems::kReporterNotRegistered);
  // A villager of the sibling village is not registered in this one.
  EXPECT_EQ(slug(township.client, env.Request("15400000012")), problems::kReporterNotRegistered);
  r = env.Request("");
  r.account_id = 103;
  EXPECT_EQ(slug(township.client, r), problems::kReporterNotRegistered);
  r.account_id = 999999;
  EXPECT_EQ(slug(township.client, r), problems::kReporterNotRegistered);
  EXPECT_EQ(slug(township.client, env.Request("15400000077")), problems::kReporterAmbiguous);
  r = env.Request();
  r.lat = 30.5;
  EXPECT_EQ(slug(township.client, r), problems::kBadParameter);
  r.lon = 400;
  EXPECT_EQ(slug(township.client, r), appeals::problems::kBadLocation);
  r = env.Request();
  r.description = "";
  EXPECT_EQ(slug(township.client, r), appeals::problems::kBadText);
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM appeals_appeals"), 0);
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM open311_tokens"), 0);
}

TEST(GeoReport, SearchesThePublicViewWithTheStandardFilters) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  IssuedClient other = env.Issue("other app");
  Appeal lights = env.georeport->Submit(c.client, env.Request())->appeal;
  env.appeals.Advance(std::chrono::hours(1));
  NewRequest water = env.Request("15400000099");
  water.service_code = "water_supply";
  Appeal well = env.georeport->Submit(c.client, water)->appeal;
  env.appeals.Advance(std::chrono::hours(1));
  // Filed in the app, anonymous to the public: nobody sees it over Open311 (not even a client).
  appeals::SubmitRequest hidden = env.appeals.Request();
  hidden.anonymous_to_public = true;
  env.appeals.Submit(env.appeals.Who(appeals::testing::kVillager2), hidden);
  // Filed in the app, public, in the sibling village.
  Appeal sibling = env.appeals.Submit(env.appeals.Who(appeals::testing::kSiblingVillager), env.appeals.Request());
  env.appeals.Must(env.appeals.Who(appeals::testing::kVillager), lights.id, appeals::Action::kWithdraw);

  auto ids = [](const Result<std::vector<RequestView>>& r) {
    std::vector<int64_t> out;
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok())
      for (const RequestView& v : *r) {
        out.push_back(v.appeal.id);
        EXPECT_FALSE(v.content.has_value()) << "a search never opens personal fields";
      }
    return out;
  };
  RequestSearch q;
  q.jurisdiction = kVillage;
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{well.id, lights.id}));
  EXPECT_EQ(ids(env.georeport->Search(q, &other.client, "r")), (std::vector<int64_t>{well.id, lights.id}));
  q.jurisdiction = kTownship;
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{sibling.id, well.id, lights.id}));
  q.service_codes = {"water_supply"};
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{well.id}));
  q.service_codes = {};
  q.states = *StatesOfStatus("closed");
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{lights.id}));
  q.states = *StatesOfStatus("open");
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{sibling.id, well.id}));
  q.states = {};
  // requested_datetime between start and end, end included.
  q.start_ms = well.submitted_at_ms;
  q.end_ms = well.submitted_at_ms;
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{well.id}));
  q.start_ms = std::nullopt;
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{well.id, lights.id}));
  q.end_ms = std::nullopt;
  q.start_ms = well.submitted_at_ms + 1;
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), (std::vector<int64_t>{sibling.id}));
  // By default the last 90 days only.
  q.start_ms = std::nullopt;
  env.appeals.Advance(std::chrono::hours(24 * 91));
  EXPECT_EQ(ids(env.georeport->Search(q, nullptr, "r")), std::vector<int64_t>{});

  q.start_ms = 1000;
  q.end_ms = 999;
  EXPECT_EQ(env.georeport->Search(q, nullptr, "r").status().Arg("reason"), "end-before-start");
  q.end_ms = 1000 + kMaxRangeMs + 1;
  EXPECT_EQ(env.georeport->Search(q, nullptr, "r").status().Arg("reason"), "longer-than-90-days");
  q = RequestSearch{};
  EXPECT_EQ(env.georeport->Search(q, nullptr, "r").status().slug(), problems::kJurisdictionRequired);
  EXPECT_EQ(env.appeals.sink.Count("appeals.read_personal"), 0u);
}

TEST(GeoReport, PersonalFieldsOnlyForTheFilingClientByIdAndAudited) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  IssuedClient other = env.Issue("other app");
  Appeal a = env.georeport->Submit(c.client, env.Request())->appeal;
  Appeal in_app = env.appeals.Submit();

  Result<RequestView> own = env.georeport->Get(a.id, "", &c.client, "req-own");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  ASSERT_TRUE(own->content.has_value());
  EXPECT_EQ(own->content->text, "村口第二个路灯坏了一个星期");
  EXPECT_EQ(env.appeals.sink.Count("appeals.read_personal"), 1u);

  for (const Client* reader : std::initializer_list<const Client*>{nullptr, &other.client}) {
    Result<RequestView> v = env.georeport->Get(a.id, kVillage, reader, "r");
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->content.has_value());
  }
  Result<RequestView> app = env.georeport->Get(in_app.id, "", &c.client, "r");
  ASSERT_TRUE(app.ok());
  EXPECT_FALSE(app->content.has_value());
  EXPECT_EQ(env.appeals.sink.Count("appeals.read_personal"), 1u);

  // By ids: the same rule, one audited read per own appeal; unknown ids are left out.
  RequestSearch q;
  q.jurisdiction = kVillage;
  q.ids = {a.id, in_app.id, 42};
  Result<std::vector<RequestView>> list = env.georeport->Search(q, &c.client, "r");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].content.has_value());
  EXPECT_FALSE((*list)[1].content.has_value());
  EXPECT_EQ(env.appeals.sink.Count("appeals.read_personal"), 2u);
  q.ids.assign(kMaxRequestIds + 1, a.id);
  EXPECT_EQ(env.georeport->Search(q, &c.client, "r").status().slug(), problems::kBadParameter);

  EXPECT_EQ(env.georeport->Get(a.id, kSibling, &c.client, "r").status().slug(), problems::kRequestNotFound);
  EXPECT_EQ(env.georeport->Get(a.id + 1000, "", &c.client, "r").status().slug(), problems::kRequestNotFound);
}

TEST(GeoReport, AnAppealAnonymousToThePublicIsSeenOnlyByItsClient) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  IssuedClient other = env.Issue("other app");
  appeals::ClientSubmission s;
  s.client_id = c.client.id;
  s.client_scope = kTownship;
  s.for_account = 101;
  s.category = "street_lights";
  s.text = "不愿公开的诉求";
  s.anonymous_to_public = true;
  Result<Appeal> a = env.appeals.service->SubmitForClient(s);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(env.georeport->Get(a->id, "", nullptr, "r").status().slug(), problems::kRequestNotFound);
  EXPECT_EQ(env.georeport->Get(a->id, "", &other.client, "r").status().slug(), problems::kRequestNotFound);
  EXPECT_TRUE(env.georeport->Get(a->id, "", &c.client, "r").ok());
  RequestSearch q;
  q.jurisdiction = kVillage;
  EXPECT_EQ(env.georeport->Search(q, nullptr, "r")->size(), 0u);
  EXPECT_EQ(env.georeport->Search(q, &c.client, "r")->size(), 1u);
}

}  // namespace
}  // namespace gz::open311
