#include <gtest/gtest.h>

#include <set>

#include "access/gate.h"
#include "access/policy.h"
#include "access/principal.h"
#include "access/role.h"

namespace gz::access {
namespace {

constexpr char kCounty[] = "420114000000";
constexpr char kTownA[] = "420114001000";
constexpr char kVillageA1[] = "420114001001";
constexpr char kVillageA2[] = "420114001002";
constexpr char kVillageB1[] = "420114002001";

Principal With(Role role, std::string scope, int64_t account = 7) {
  Principal p;
  p.self.account_id = account;
  p.self.grants.push_back({1, role, std::move(scope)});
  return p;
}

TEST(Role, CodesRoundTrip) {
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(RoleCode(r)), r);
  EXPECT_FALSE(ParseRole("admin"));
}

TEST(Role, SeparationOfDuties) {
  EXPECT_TRUE(Incompatible(Role::kAuditor, Role::kCountyAdmin));
  EXPECT_TRUE(Incompatible(Role::kOperator, Role::kAuditor));
  EXPECT_FALSE(Incompatible(Role::kVillageCadre, Role::kSupervisor));
  for (Role r : AllRoles()) EXPECT_FALSE(CanGrant(r, Role::kOperator)) << RoleCode(r);
  EXPECT_FALSE(CanGrant(Role::kCountyAdmin, Role::kAuditor));
  EXPECT_TRUE(CanGrant(Role::kOperator, Role::kAuditor));
}

TEST(Scope, Containment) {
  EXPECT_TRUE(ScopeContains(kCounty, kVillageA1));
  EXPECT_TRUE(ScopeContains(kTownA, kVillageA2));
  EXPECT_FALSE(ScopeContains(kTownA, kVillageB1));
  EXPECT_TRUE(ScopeContains(kVillageA1, kVillageA1));
  EXPECT_FALSE(ScopeContains(kVillageA1, kVillageA2));
  EXPECT_FALSE(ScopeContains(kVillageA1, kTownA));
  EXPECT_FALSE(ScopeContains("", kVillageA1));
  EXPECT_FALSE(ScopeContains(kCounty, "4201140010"));
  EXPECT_EQ(CanonicalScope("420114"), kCounty);
  EXPECT_EQ(ScopeRange(kTownA), std::make_pair(std::string("420114001000"), std::string("420114001999")));
  EXPECT_EQ(ScopeRange(kVillageA1), std::make_pair(std::string(kVillageA1), std::string(kVillageA1)));
  EXPECT_FALSE(ScopeRange("4201140010"));
  EXPECT_FALSE(ScopeRange("000000000000"));
  for (const char* code : {kVillageA1, kVillageA2, kVillageB1, kTownA, "420115001001"}) {
    auto r = ScopeRange(kTownA);
    EXPECT_EQ(ScopeContains(kTownA, code), r->first <= code && code <= r->second) << code;
  }
  EXPECT_EQ(CanonicalScope("42011"), "");
}

TEST(Policy, TableIsSortedUniqueAndConsistent) {
  std::set<std::string_view> names;
  for (const Permission& p : PolicyTable()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_EQ(FindPermission(p.name), &p);
    if (p.audience == Audience::kRoles) EXPECT_FALSE(p.rules.empty()) << p.name;
    else EXPECT_TRUE(p.rules.empty()) << p.name;
    // Only what a villager may do for themself can be delegated to a helper.
    if (p.delegable && p.audience == Audience::kRoles) {
      bool villager = false;
      for (const Rule& r : p.rules) villager |= r.role == Role::kVillager;
      EXPECT_TRUE(villager) << p.name;
    }
    EXPECT_FALSE(p.summary.empty()) << p.name;
  }
  EXPECT_EQ(FindPermission("nope"), nullptr);
}

TEST(Policy, AuditorNeverWrites) {
  for (const Permission& p : PolicyTable()) {
    bool write = p.name.ends_with(".write") || p.name.ends_with(".grant") || p.name.ends_with(".manage") ||
                 p.name.ends_with(".register") || p.name.ends_with(".import") || p.name.ends_with(".resolve") ||
                 p.name.ends_with(".revoke") || p.name.ends_with(".reveal");
    if (!write) continue;
    for (const Rule& r : p.rules) EXPECT_NE(r.role, Role::kAuditor) << p.name;
  }
}

TEST(Policy, AnonymousIsUnauthenticated) {
  Principal anon;
  EXPECT_EQ(MayAttempt(anon, "public"), Decision::kAllow);
  EXPECT_EQ(MayAttempt(anon, "me.read"), Decision::kUnauthenticated);
  EXPECT_EQ(Check(anon, "residents.read", {kVillageA1}), Decision::kUnauthenticated);
}

TEST(Policy, ScopeDecidesBetween403And404) {
  Principal cadre = With(Role::kVillageCadre, kVillageA1);
  EXPECT_EQ(Check(cadre, "residents.read", {kVillageA1}), Decision::kAllow);
  EXPECT_EQ(Check(cadre, "residents.read", {kVillageA2}), Decision::kNotFound);
  EXPECT_EQ(Check(cadre, "residents.read", {kVillageB1}), Decision::kNotFound);
  // A permission it lacks altogether: 403 wherever the object is (function level).
  EXPECT_EQ(Check(cadre, "audit.search", {kVillageA1}), Decision::kForbidden);
  EXPECT_EQ(Check(cadre, "audit.search", {kVillageB1}), Decision::kForbidden);

  Principal township = With(Role::kTownshipOfficial, kTownA);
  EXPECT_EQ(Check(township, "residents.read", {kVillageA2}), Decision::kAllow);
  EXPECT_EQ(Check(township, "residents.read", {kVillageB1}), Decision::kNotFound);
}

TEST(Policy, VillagerReachesOnlySelf) {
  Principal v = With(Role::kVillager, kVillageA1, 11);
  v.self.resident_id = 21;
  v.self.household_id = 31;
  EXPECT_EQ(Check(v, "residents.read", {kVillageA1, 0, 21, 0}), Decision::kAllow);
  EXPECT_EQ(Check(v, "residents.read", {kVillageA1, 0, 0, 31}), Decision::kAllow);
  EXPECT_EQ(Check(v, "residents.read", {kVillageA1, 0, 22, 32}), Decision::kForbidden);
  EXPECT_EQ(Check(v, "residents.read", {kVillageA2, 0, 23, 33}), Decision::kNotFound);
  EXPECT_EQ(Check(v, "residents.list", {kVillageA2}), Decision::kForbidden);
  EXPECT_EQ(MayAttempt(v, "residents.list"), Decision::kForbidden);
}

TEST(Policy, HelperNeedsConsentListingTheAction) {
  Principal helper = With(Role::kHelper, kVillageA1, 5);
  Person villager;
  villager.account_id = 11;
  villager.resident_id = 21;
  villager.village = kVillageA1;
  villager.grants.push_back({2, Role::kVillager, kVillageA1});
  helper.acting_for = ActingFor{9, villager, {"residents.read"}};
  EXPECT_EQ(Check(helper, "residents.read", {kVillageA1, 0, 21, 0}), Decision::kAllow);
  EXPECT_EQ(Check(helper, "residents.read", {kVillageA1, 0, 22, 0}), Decision::kForbidden);
  EXPECT_EQ(Check(helper, "residents.reveal", {kVillageA1, 0, 21, 0}), Decision::kForbidden);  // not in consent
  EXPECT_EQ(MayAttempt(helper, "me.session"), Decision::kForbidden);  // not delegable
  EXPECT_EQ(MayAttempt(helper, "residents.list"), Decision::kForbidden);
}

TEST(Policy, ReachForListsScopes) {
  Principal p = With(Role::kGridWorker, kVillageA1);
  p.self.grants.push_back({2, Role::kVillageCadre, kVillageA2});
  Reachable r = ReachFor(p, "residents.list");
  EXPECT_EQ(r.scopes, (std::vector<std::string>{kVillageA1, kVillageA2}));
  EXPECT_FALSE(r.self);
  EXPECT_TRUE(ReachFor(p, "audit.search").scopes.empty());
}

class RecordingSink : public AuditSink {
 public:
  Status Append(const AuditEvent& e) override {
    events.push_back(e);
    return Status::Ok();
  }
  std::vector<AuditEvent> events;
};

TEST(Gate, RecordsEachDenialOnce) {
  RecordingSink sink;
  Gate gate(&sink);
  Principal cadre = With(Role::kVillageCadre, kVillageA1);
  cadre.request_id = "r1";
  EXPECT_TRUE(gate.Admit(cadre, "residents.read", "/x").ok());
  EXPECT_TRUE(gate.Require(cadre, "residents.read", {kVillageA1}, NotFound("residents/resident-not-found")).ok());
  EXPECT_TRUE(sink.events.empty());

  Status s = gate.Require(cadre, "residents.read", {kVillageB1}, NotFound("residents/resident-not-found"));
  EXPECT_EQ(s.slug(), "residents/resident-not-found");
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].action, "access.denied");
  EXPECT_EQ(sink.events[0].outcome, "denied");
  EXPECT_EQ(sink.events[0].actor_account, 7);
  EXPECT_EQ(sink.events[0].division, kVillageB1);
  EXPECT_EQ(sink.events[0].request_id, "r1");
  EXPECT_NE(sink.events[0].details.find("not-found"), std::string::npos);

  s = gate.Admit(Principal{}, "me.read", "/api/v1/me");
  EXPECT_EQ(s.code(), Code::kUnauthenticated);
  s = gate.Admit(cadre, "audit.search", "/api/v1/audit");
  EXPECT_EQ(s.code(), Code::kPermissionDenied);
  EXPECT_EQ(sink.events.size(), 3u);
}

}  // namespace
}  // namespace gz::access
