// The canonical encoding and the hash of a record: stable, length-prefixed, covering every field.
#include "modules/audit/audit_record.h"

#include <gtest/gtest.h>

#include "crypto/secrets.h"
#include "modules/audit/problems.h"

namespace gz::audit {
namespace {

AuditRecord Sample() {
  AuditRecord r;
  r.seq = 1;
  r.at_ms = 1767225600000;
  r.event.action = "residents.reveal";
  r.event.actor_account = 5;
  r.event.roles = "village_cadre@420114001205";
  r.event.division = "420114001205";
  r.event.object_type = "resident";
  r.event.object_id = "42";
  r.event.purpose = "核对";
  r.event.request_id = "r1";
  r.prev_hash = GenesisHash();
  return r;
}

TEST(AuditRecordTest, Sha256MatchesTheStandardTestVector) {
  EXPECT_EQ(crypto::HexEncode(crypto::Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuditRecordTest, EncodingIsLengthPrefixedAndStartsWithItsVersion) {
  std::string enc = CanonicalEncoding(Sample());
  EXPECT_EQ(enc.substr(0, 4), std::string("\0\0\0\x10", 4));
  EXPECT_EQ(enc.substr(4, 16), "gongzhi.audit.v1");
  EXPECT_EQ(enc.substr(20, 8), std::string("\0\0\0\0\0\0\0\x01", 8));  // seq, big-endian
  EXPECT_EQ(enc.substr(enc.size() - 36, 4), std::string("\0\0\0\x20", 4));  // prev_hash, 32 bytes
}

TEST(AuditRecordTest, MovingBytesBetweenNeighbouringFieldsChangesTheHash) {
  AuditRecord a = Sample(), b = Sample();
  a.event.object_type = "resident";
  a.event.object_id = "42";
  b.event.object_type = "resident4";
  b.event.object_id = "2";
  EXPECT_NE(CanonicalEncoding(a), CanonicalEncoding(b));
  EXPECT_NE(ChainHash(a), ChainHash(b));
}

TEST(AuditRecordTest, EveryFieldIsCovered) {
  const std::string base = ChainHash(Sample());
  std::vector<std::function<void(AuditRecord&)>> edits = {
      [](AuditRecord& r) { r.seq = 2; },
      [](AuditRecord& r) { r.at_ms += 1; },
      [](AuditRecord& r) { r.event.action = "residents.read_personal"; },
      [](AuditRecord& r) { r.event.outcome = "denied"; },
      [](AuditRecord& r) { r.event.actor_account = 6; },
      [](AuditRecord& r) { r.event.acting_for_account = 1; },
      [](AuditRecord& r) { r.event.consent_id = 1; },
      [](AuditRecord& r) { r.event.roles = ""; },
      [](AuditRecord& r) { r.event.division = "420114001206"; },
      [](AuditRecord& r) { r.event.object_type = "household"; },
      [](AuditRecord& r) { r.event.object_id = "43"; },
      [](AuditRecord& r) { r.event.purpose = "核对 "; },
      [](AuditRecord& r) { r.event.request_id = "r2"; },
      [](AuditRecord& r) { r.event.details = "{}"; },
      [](AuditRecord& r) { r.prev_hash[31] = 1; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    AuditRecord r = Sample();
    edits[i](r);
    EXPECT_NE(ChainHash(r), base) << "edit " << i;
  }
  AuditRecord r = Sample();
  r.hash = "anything";  // the stored hash is not part of what is hashed
  EXPECT_EQ(ChainHash(r), base);
}

TEST(AuditRecordTest, NormalizeEventChecksShapeAndLimits) {
  access::AuditEvent e = Sample().event;
  EXPECT_TRUE(NormalizeEvent(e).ok());
  e.division = "4201";
  ASSERT_TRUE(NormalizeEvent(e).ok());
  EXPECT_EQ(e.division, "420100000000");
  for (std::string bad : std::vector<std::string>{"", "residents", ".x", "x.", "Residents.reveal", "a b.c", std::string(65, 'a') + ".b"}) {
    access::AuditEvent x = Sample().event;
    x.action = bad;
    Status s = NormalizeEvent(x);
    EXPECT_EQ(s.slug(), problems::kBadEvent) << bad;
    EXPECT_EQ(s.Arg("field"), "action") << bad;
  }
  access::AuditEvent x = Sample().event;
  x.outcome = "maybe";
  EXPECT_EQ(NormalizeEvent(x).Arg("field"), "outcome");
  x = Sample().event;
  x.details = "not json";
  EXPECT_EQ(NormalizeEvent(x).Arg("field"), "details");
  x = Sample().event;
  x.division = "42011400120x";
  EXPECT_EQ(NormalizeEvent(x).Arg("field"), "division");
  x = Sample().event;
  x.request_id.assign(kMaxRequestIdBytes + 1, 'r');
  EXPECT_EQ(NormalizeEvent(x).Arg("field"), "request_id");
}

}  // namespace
}  // namespace gz::audit
