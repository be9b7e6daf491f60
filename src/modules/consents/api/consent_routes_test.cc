// The consent routes, called through the router with hand-made principals (the identity guard is
// not part of this module): object-level decisions, one denial record per refusal, response
// headers, and the body rules.
#include "modules/consents/api/consent_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/secrets.h"
#include "http/problem.h"
#include "modules/consents/evidence.h"
#include "modules/consents/problems.h"
#include "modules/consents/seed_demo.h"
#include "modules/consents/testing/consent_test_env.h"

namespace gz::consents {
namespace {

using testing::ConsentTestEnv;

class ConsentRoutesTest : public ::testing::Test {
 protected:
  ConsentRoutesTest() : gate_(&denials_) { RegisterConsentRoutes(router_, *env.service, gate_); }

  struct Answer {
    int status = 0;
    std::string slug;  // of an error
    http::Response response;
    boost::json::value json;
  };

  Answer Call(int64_t caller, http::Method method, std::string target, std::string body = "") {
    http::Request req;
    req.method = method;
    req.target = target;
    const size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.body = std::move(body);
    req.request_id = "test";
    if (caller != 0) req.principal = std::make_shared<const access::Principal>(env.Who(caller));
    auto match = router_.Find(method, req.path, &req.path_params);
    EXPECT_NE(match.route, nullptr) << target;
    Answer a;
    if (match.route == nullptr) return a;
    req.route = match.route->pattern;
    Result<http::Response> r = match.route->handler(req);
    if (!r.ok()) {
      a.status = http::HttpStatusFor(r.status());
      a.slug = r.status().slug();
      return a;
    }
    a.response = std::move(*r);
    a.status = a.response.status;
    if (a.response.Header("Content-Type").starts_with("application/json")) a.json = boost::json::parse(a.response.body);
    return a;
  }
  Answer Get(int64_t caller, std::string target) { return Call(caller, http::Method::kGet, std::move(target)); }
  Answer Post(int64_t caller, std::string target, std::string body) {
    return Call(caller, http::Method::kPost, std::move(target), std::move(body));
  }

  Consent SeedConsent(int64_t villager = 101, int64_t helper = 201) {
    auto seeded = SeedDemoConsent(*env.service, env.accounts, villager, helper);
    EXPECT_TRUE(seeded.ok()) << seeded.status().ToString();
    return *env.service->Get(seeded->consent_id);
  }
  size_t Denials() { return denials_.Count("access.denied"); }

  ConsentTestEnv env;
  testing::RecordingSink denials_;
  access::Gate gate_;
  http::Router router_;
};

TEST_F(ConsentRoutesTest, EitherPartyAndStaffOfTheAreaReadAConsentWithoutADenialRecord) {
  Consent c = SeedConsent();
  const std::string path = "/api/v1/consents/" + std::to_string(c.id);
  for (int64_t reader : {101, 201, 301, 302, 401}) {
    Answer a = Get(reader, path);
    EXPECT_EQ(a.status, 200) << reader << " " << a.slug;
    if (a.status == 200) {
      EXPECT_EQ(a.json.at("id").as_string(), std::to_string(c.id));
      EXPECT_EQ(a.json.at("status").as_string(), "active");
      EXPECT_EQ(a.response.Header("Cache-Control"), "no-store");
    }
  }
  EXPECT_EQ(Denials(), 0u) << "a caller allowed through the second party was audited as denied";
}

TEST_F(ConsentRoutesTest, ARefusalIsAuditedExactlyOnce) {
  Consent c = SeedConsent();
  const std::string path = "/api/v1/consents/" + std::to_string(c.id);
  // Same village, not a party: 403 (own tenant). Another township: 404 (existence not revealed).
  Answer neighbour = Get(102, path);
  EXPECT_EQ(neighbour.status, 403);
  EXPECT_EQ(Denials(), 1u);
  Answer other_helper = Get(202, path);
  EXPECT_EQ(other_helper.status, 403);
  EXPECT_EQ(Denials(), 2u);
  Answer far = Get(303, path);
  EXPECT_EQ(far.status, 404);
  EXPECT_EQ(far.slug, problems::kConsentNotFound);
  EXPECT_EQ(Denials(), 3u);
  Answer sibling = Get(103, path);
  EXPECT_EQ(sibling.status, 404) << "a villager of the sibling village is outside the object's tenant";
  EXPECT_EQ(Denials(), 4u);
  // A missing consent answers the same as a foreign one, without a denial (nothing was refused).
  Answer missing = Get(303, "/api/v1/consents/77");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.slug, problems::kConsentNotFound);
  EXPECT_EQ(Get(101, "/api/v1/consents/not-a-number").slug, problems::kConsentNotFound);
  EXPECT_EQ(Denials(), 4u);
}

TEST_F(ConsentRoutesTest, GrantAuthorizesOnTheVillagerBeforeReadingTheRest) {
  // The access-matrix probe: an admitted caller gets 400, and nothing is denied.
  Answer probe = Post(201, "/api/v1/consents", R"({"__probe":1})");
  EXPECT_EQ(probe.status, 400);
  EXPECT_EQ(probe.slug, http::problems::kUnknownField);
  EXPECT_EQ(Denials(), 0u);
  // A cadre of another township cannot tell an existing villager from a missing one.
  Answer far = Post(303, "/api/v1/consents", R"({"villager":"101","helper":"201"})");
  EXPECT_EQ(far.status, 404);
  EXPECT_EQ(far.slug, problems::kVillagerNotFound);
  EXPECT_EQ(Denials(), 1u);
  Answer missing = Post(303, "/api/v1/consents", R"({"villager":"99999","helper":"201"})");
  EXPECT_EQ(missing.slug, problems::kVillagerNotFound);
  // A villager granting for another villager: refused before the body is looked at further.
  Answer other = Post(102, "/api/v1/consents", R"({"villager":101,"helper":201,"method":"bogus"})");
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(Denials(), 2u);
  Answer bad_id = Post(101, "/api/v1/consents", R"({"villager":"12ab","helper":201})");
  EXPECT_EQ(bad_id.slug, problems::kBadAccountId);
}

TEST_F(ConsentRoutesTest, VillagerGrantsInTheAppAndSeesItInTheirList) {
  Answer a = Post(101, "/api/v1/consents",
                  R"({"villager":"101","helper":"201","actions":["residents.read","me.read"],"method":"in_app","valid_days":30})");
  ASSERT_EQ(a.status, 201) << a.slug;
  const std::string id(a.json.at("id").as_string());
  EXPECT_EQ(a.response.Header("Location"), "/api/v1/consents/" + id);
  EXPECT_EQ(a.json.at("method").as_string(), "in_app");
  EXPECT_TRUE(a.json.at("evidence").is_null());
  EXPECT_EQ(a.json.at("actions").as_array().size(), 2u);

  Answer mine = Get(101, "/api/v1/me/consents");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json.at("total").as_int64(), 1);
  Answer helpers = Get(201, "/api/v1/me/consents?active=true");
  EXPECT_EQ(helpers.json.at("total").as_int64(), 1);
  Answer others = Get(102, "/api/v1/me/consents");
  EXPECT_EQ(others.json.at("total").as_int64(), 0);
  Answer list_as_villager = Get(101, "/api/v1/consents");
  EXPECT_EQ(list_as_villager.json.at("total").as_int64(), 1);
  Answer list_as_neighbour = Get(102, "/api/v1/consents?village=420114001205");
  EXPECT_EQ(list_as_neighbour.json.at("total").as_int64(), 0);
  Answer list_as_cadre = Get(301, "/api/v1/consents?helper=201&active=true");
  EXPECT_EQ(list_as_cadre.json.at("total").as_int64(), 1);
  Answer list_far = Get(303, "/api/v1/consents");
  EXPECT_EQ(list_far.json.at("total").as_int64(), 0);
  EXPECT_EQ(Get(301, "/api/v1/consents?active=yes").slug, problems::kBadQuery);
  EXPECT_EQ(Get(301, "/api/v1/consents?limit=201").slug, problems::kBadQuery);
  EXPECT_EQ(Get(301, "/api/v1/consents?village=4201").slug, problems::kBadQuery);
}

TEST_F(ConsentRoutesTest, HelperRecordsInPersonConsentWithAnImage) {
  const std::string png = DemoEvidencePng(24, 12);
  std::string body = R"({"villager":"101","helper":"201","actions":["residents.read"],"method":"in_person_thumbprint",)"
                     R"("valid_until":"2026-06-01T08:00:00+08:00","evidence_image":")" +
                     EncodeBase64(png) + "\"}";
  Answer a = Post(201, "/api/v1/consents", body);
  ASSERT_EQ(a.status, 201) << a.slug;
  EXPECT_EQ(a.json.at("evidence").at("sha256").as_string(), crypto::Sha256Hex(png));
  EXPECT_EQ(a.json.at("valid_until").as_string(), "2026-06-01T00:00:00.000Z");
  const std::string id(a.json.at("id").as_string());

  Answer no_purpose = Get(101, "/api/v1/consents/" + id + "/evidence");
  EXPECT_EQ(no_purpose.slug, problems::kBadPurpose);
  Answer e = Get(101, "/api/v1/consents/" + id + "/evidence?purpose=%E6%9C%AC%E4%BA%BA%E6%9F%A5%E7%9C%8B");
  ASSERT_EQ(e.status, 200) << e.slug;
  EXPECT_EQ(e.response.body, png);
  EXPECT_EQ(e.response.Header("Content-Type"), "image/png");
  EXPECT_EQ(e.response.Header("Content-Disposition"), "attachment; filename=\"consent-" + id + "-evidence.png\"");
  EXPECT_EQ(e.response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(env.sink.Count("consents.read_personal"), 1u);
  EXPECT_EQ(env.sink.events().back().purpose, "本人查看");
  // A neighbour cannot fetch it, and that is one denial, no read record.
  EXPECT_EQ(Get(102, "/api/v1/consents/" + id + "/evidence?purpose=x").status, 403);
  EXPECT_EQ(env.sink.Count("consents.read_personal"), 1u);
  EXPECT_EQ(Denials(), 1u);
}

TEST_F(ConsentRoutesTest, BadBodiesGetClearProblems) {
  auto slug = [&](std::string body) { return Post(201, "/api/v1/consents", std::move(body)).slug; };
  const std::string head = R"({"villager":"101","helper":"201","actions":["me.read"],)";
  EXPECT_EQ(slug(head + R"("method":"sms_code","valid_days":3})"), problems::kMethodNotAllowed);
  EXPECT_EQ(slug(head + R"("method":"carrier_pigeon","valid_days":3})"), problems::kBadMethod);
  EXPECT_EQ(slug(head + R"("method":"phone_call","valid_until":"next week","attestation":"ok"})"), problems::kBadTime);
  EXPECT_EQ(slug(head + R"("method":"phone_call","valid_days":400,"attestation":"ok"})"), http::problems::kBadField);
  EXPECT_EQ(slug(head + R"("method":"in_person_signature","valid_days":3,"evidence_image":"R0lGODlhAQABAAAAACw="})"),
            problems::kBadEvidence);
  EXPECT_EQ(slug(head + R"("method":"in_person_signature","valid_days":3,"evidence_image":"%%%%"})"), problems::kBadEvidence);
  EXPECT_EQ(slug(R"({"villager":"101","helper":"201","actions":["consents.grant"],"method":"phone_call","valid_days":3,"attestation":"ok"})"),
            problems::kBadActions);
  EXPECT_EQ(slug(R"({"villager":"101","helper":"201","actions":"me.read","method":"in_app","valid_days":3})"),
            http::problems::kBadField);
  EXPECT_EQ(slug(head + R"("method":"phone_call","valid_days":3,"attestation":"ok","role":"county_admin"})"),
            http::problems::kUnknownField);
  EXPECT_EQ(env.AuditRows("consents.grant"), 0);
}

TEST_F(ConsentRoutesTest, RevokeIsImmediateAndOnlyOnce) {
  Consent c = SeedConsent();
  const std::string path = "/api/v1/consents/" + std::to_string(c.id) + "/revoke";
  EXPECT_EQ(Post(102, path, "{}").status, 403);
  EXPECT_EQ(Post(101, path, R"({"why":"x"})").slug, http::problems::kUnknownField);
  Answer a = Post(101, path, R"({"reason":"换了帮办员"})");
  ASSERT_EQ(a.status, 200) << a.slug;
  EXPECT_EQ(a.json.at("status").as_string(), "revoked");
  EXPECT_EQ(a.json.at("revoked_by").as_string(), "101");
  EXPECT_EQ(a.json.at("revoke_reason").as_string(), "换了帮办员");
  auto active = env.store->FindActive(201, 101, env.service->NowMs());
  ASSERT_TRUE(active.ok());
  EXPECT_FALSE(*active);
  Answer again = Post(201, path, "{}");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.slug, problems::kAlreadyRevoked);
}

TEST_F(ConsentRoutesTest, AHelperActingForTheVillagerSeesTheVillagersConsents) {
  SeedConsent();
  http::Request req;
  req.method = http::Method::kGet;
  req.target = req.path = "/api/v1/me/consents";
  req.principal = std::make_shared<const access::Principal>(env.ActingFor(201, 101));
  auto match = router_.Find(req.method, req.path, &req.path_params);
  ASSERT_NE(match.route, nullptr);
  auto r = match.route->handler(req);
  ASSERT_TRUE(r.ok());
  auto json = boost::json::parse(r->body);
  ASSERT_EQ(json.at("total").as_int64(), 1);
  EXPECT_EQ(json.at("items").at(0).at("villager").as_string(), "101");
}

}  // namespace
}  // namespace gz::consents
