#include "http/client_address.h"

#include <gtest/gtest.h>

namespace gz::http {
namespace {

TrustedProxies Parse(std::string_view list) {
  Result<TrustedProxies> p = TrustedProxies::Parse(list);
  EXPECT_TRUE(p.ok()) << list;
  return p.ok() ? *p : TrustedProxies();
}

TEST(TrustedProxiesTest, ParsesAddressesAndNetworks) {
  TrustedProxies p = Parse(" 127.0.0.1, ::1 ,10.0.0.0/8,fd00::/8,");
  EXPECT_TRUE(p.Contains("127.0.0.1"));
  EXPECT_TRUE(p.Contains("::ffff:127.0.0.1"));  // a dual-stack socket's view of the same peer
  EXPECT_TRUE(p.Contains("::1"));
  EXPECT_TRUE(p.Contains("10.200.3.4"));
  EXPECT_TRUE(p.Contains("fd12:3456::1"));
  EXPECT_FALSE(p.Contains("127.0.0.2"));
  EXPECT_FALSE(p.Contains("11.0.0.1"));
  EXPECT_FALSE(p.Contains("fe80::1"));
  EXPECT_FALSE(p.Contains("not an address"));
  EXPECT_FALSE(p.Contains(""));
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("192.168.1.0/24").Contains("192.168.1.77"));
  EXPECT_FALSE(Parse("192.168.1.0/24").Contains("192.168.2.1"));
  EXPECT_TRUE(Parse("172.16.0.0/12").Contains("172.31.255.255"));
  EXPECT_FALSE(Parse("172.16.0.0/12").Contains("172.32.0.0"));
}

TEST(TrustedProxiesTest, RefusesMalformedEntries) {
  for (const char* bad : {"localhost", "10.0.0.0/33", "10.0.0.0/x", "::/129", "10.1.2.3/8", "1.2.3", "10.0.0.0/", "[::1]"}) {
    Result<TrustedProxies> p = TrustedProxies::Parse(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().slug(), "http/bad-trusted-proxies") << bad;
  }
}

TEST(TrustedProxiesTest, PeerThatIsNoProxyIsTheClientWhateverItClaims) {
  TrustedProxies p = Parse("127.0.0.1");
  EXPECT_EQ(p.ClientAddress("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  EXPECT_EQ(TrustedProxies().ClientAddress("127.0.0.1", "198.51.100.1"), "127.0.0.1");
}

TEST(TrustedProxiesTest, TakesTheRightmostAddressNoTrustedProxyVouchedFor) {
  TrustedProxies p = Parse("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "198.51.100.7"), "198.51.100.7");
  // The client sent its own X-Forwarded-For; nginx appended the real peer.
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "1.1.1.1, 198.51.100.7"), "198.51.100.7");
  // Two proxy hops (an edge proxy at 10.0.0.5 in front of the local nginx).
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.5"), "198.51.100.7");
  EXPECT_EQ(p.ClientAddress("::ffff:127.0.0.1", "2001:db8::7"), "2001:db8::7");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "[2001:db8::8]"), "2001:db8::8");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "198.51.100.9:5555"), "198.51.100.9");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "::ffff:198.51.100.10"), "198.51.100.10");
}

TEST(TrustedProxiesTest, WithoutAUsableHeaderTheLastTrustedHopIsTheAnswer) {
  TrustedProxies p = Parse("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "10.0.0.5"), "10.0.0.5");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "9.9.9.9, garbage, 10.0.0.5"), "10.0.0.5");
  EXPECT_EQ(p.ClientAddress("127.0.0.1", "garbage"), "127.0.0.1");
}

}  // namespace
}  // namespace gz::http
