// ClientService on a temporary SQLite file with the real audit trail: issuing (the key shown once,
// only its hash kept), listing by scope, revoking, and recognising keys.
#include "modules/open311/client_service.h"

#include <gtest/gtest.h>

#include "modules/open311/problems.h"
#include "modules/open311/testing/open311_test_env.h"

namespace gz::open311 {
namespace {

using testing::Open311TestEnv;

access::Principal CountyAdmin() {
  access::Principal p;
  p.self.account_id = 401;
  p.request_id = "req-admin";
  p.self.grants.push_back(access::Grant{0, access::Role::kCountyAdmin, testing::kCounty});
  return p;
}

TEST(ClientService, IssuesAKeyOnceAndKeepsOnlyItsHash) {
  Open311TestEnv env;
  const access::Principal admin = CountyAdmin();
  Result<IssuedClient> issued = env.clients->Create(&admin, "蔡甸随手拍", "420114001");
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(LooksLikeKey(issued->key));
  EXPECT_EQ(issued->client.scope, "420114001000");
  EXPECT_EQ(issued->client.created_by, 401);
  EXPECT_EQ(issued->client.key_hint, issued->key.substr(0, 10));
  EXPECT_FALSE(issued->client.revoked());

  // The store holds the hash, never the key.
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM open311_clients WHERE key_hash = $1",
                              {storage::Blob{KeyHash(issued->key)}}),
            1);
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM open311_clients WHERE instr(CAST(key_hash AS TEXT), $1) > 0 "
                              "OR instr(name, $1) > 0 OR instr(key_hint, $1) > 0",
                              {issued->key.substr(10)}),
            0);
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM audit_records WHERE action = 'open311.client_create' "
                              "AND actor_account = 401 AND object_id = $1 AND division = '420114001000' "
                              "AND instr(details, $2) = 0",
                              {std::to_string(issued->client.id), issued->key.substr(10)}),
            1);

  Result<Client> back = env.clients->Authenticate(issued->key);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, issued->client);
}

TEST(ClientService, TheCliIssuesAndRevokesWithoutAPrincipalAndSaysSo) {
  Open311TestEnv env;
  IssuedClient c = env.Issue("12345 热线", testing::kCounty);
  EXPECT_EQ(c.client.created_by, 0);
  Result<Client> revoked = env.clients->Revoke(nullptr, c.client.id, "");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM audit_records WHERE action IN ('open311.client_create', "
                              "'open311.client_revoke') AND actor_account = 0 AND details LIKE '%\"via\":\"cli\"%'"),
            2);
}

TEST(ClientService, RefusesBadNamesAndScopes) {
  Open311TestEnv env;
  EXPECT_EQ(env.clients->Create(nullptr, "", testing::kCounty).status().slug(), problems::kBadClientName);
  EXPECT_EQ(env.clients->Create(nullptr, "x", "42").status().Arg("reason"), "level");
  EXPECT_EQ(env.clients->Create(nullptr, "x", "abc").status().Arg("reason"), "not-a-code");
  Result<IssuedClient> unknown = env.clients->Create(nullptr, "x", "420114009999");
  EXPECT_EQ(unknown.status().slug(), problems::kBadScope);
  EXPECT_EQ(unknown.status().Arg("reason"), "unknown");
  EXPECT_EQ(env.appeals.Count("SELECT COUNT(*) FROM open311_clients"), 0);
}

TEST(ClientService, ListsTheClientsInsideTheScopesAskedFor) {
  Open311TestEnv env;
  IssuedClient county = env.Issue("county", testing::kCounty);
  IssuedClient township = env.Issue("township", testing::kTownship);
  IssuedClient village = env.Issue("village", testing::kVillage);
  IssuedClient other = env.Issue("other township", "420114002000");
  auto names = [](const std::vector<Client>& list) {
    std::vector<std::string> out;
    for (const Client& c : list) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(names(*env.clients->List(std::nullopt)),
            (std::vector<std::string>{"other township", "village", "township", "county"}));
  EXPECT_EQ(names(*env.clients->List(std::vector<std::string>{testing::kCounty})),
            (std::vector<std::string>{"other township", "village", "township", "county"}));
  EXPECT_EQ(names(*env.clients->List(std::vector<std::string>{testing::kTownship})),
            (std::vector<std::string>{"village", "township"}));
  EXPECT_EQ(names(*env.clients->List(std::vector<std::string>{testing::kSibling})), std::vector<std::string>{});
  EXPECT_EQ(names(*env.clients->List(std::vector<std::string>{})), std::vector<std::string>{});
}

TEST(ClientService, ARevokedKeyIsRefusedAtOnceAndRevokedOnlyOnce) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  const access::Principal admin = CountyAdmin();
  Result<Client> revoked = env.clients->Revoke(&admin, c.client.id, "密钥泄露");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_TRUE(revoked->revoked());
  EXPECT_EQ(revoked->revoked_by, 401);
  EXPECT_EQ(revoked->revoke_reason, "密钥泄露");
  EXPECT_EQ(*env.clients->Get(c.client.id), *revoked);

  Result<Client> again = env.clients->Authenticate(c.key);
  EXPECT_EQ(again.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(again.status().slug(), problems::kBadKey);
  EXPECT_EQ(env.clients->Revoke(&admin, c.client.id, "").status().slug(), problems::kAlreadyRevoked);
  EXPECT_EQ(env.clients->Revoke(&admin, 12345, "").status().slug(), problems::kClientNotFound);
  EXPECT_EQ(env.clients->Revoke(&admin, c.client.id, std::string(300, 'x')).status().slug(), problems::kBadReason);
  EXPECT_EQ(env.appeals.AuditRows("open311.client_revoke"), 1);
}

TEST(ClientService, RecognisesOnlyRealKeys) {
  Open311TestEnv env;
  IssuedClient c = env.Issue();
  EXPECT_EQ(env.clients->Authenticate("").status().slug(), problems::kKeyRequired);
  EXPECT_EQ(env.clients->Authenticate("nonsense").status().slug(), problems::kBadKey);
  std::string forged = c.key;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(env.clients->Authenticate(forged).status().slug(), problems::kBadKey);
  EXPECT_EQ(env.clients->Authenticate(NewKey()).status().slug(), problems::kBadKey);
  EXPECT_TRUE(env.clients->Authenticate(c.key).ok());
}

}  // namespace
}  // namespace gz::open311
