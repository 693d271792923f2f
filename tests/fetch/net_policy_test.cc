#include "fetch/net_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>

namespace nd::fetch {
namespace {

std::array<std::uint8_t, 16> Ip(const char* text) {
  std::array<std::uint8_t, 16> ip{};
  std::uint8_t v4[4];
  if (inet_pton(AF_INET, text, v4) == 1) {
    ip[10] = ip[11] = 0xff;
    std::memcpy(ip.data() + 12, v4, 4);
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, text, ip.data()), 1) << text;
  }
  return ip;
}

TEST(NetPolicyTest, RefusesNonPublicByDefault) {
  Result<NetPolicy> policy = NetPolicy::Parse({});
  ASSERT_TRUE(policy.ok());
  for (const char* addr : {"127.0.0.1",
                           "127.9.9.9",
                           "10.1.2.3",
                           "172.16.0.1",
                           "172.31.255.255",
                           "192.168.1.1",
                           "169.254.169.254",
                           "169.254.1.1",
                           "0.0.0.0",
                           "0.1.2.3",
                           "100.64.0.1",
                           "100.127.255.255",
                           "224.0.0.1",
                           "255.255.255.255",
                           "::1",
                           "::",
                           "fe80::1",
                           "fc00::1",
                           "fd12:3456::1",
                           "::ffff:127.0.0.1",
                           "::ffff:10.0.0.1",
                           "::ffff:169.254.169.254",
                           "64:ff9b::a00:1",
                           "ff02::1"}) {
    EXPECT_FALSE(policy->AllowsIp(Ip(addr))) << addr;
  }
}

TEST(NetPolicyTest, AllowsPublic) {
  Result<NetPolicy> policy = NetPolicy::Parse({});
  ASSERT_TRUE(policy.ok());
  for (const char* addr : {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1",
                           "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_TRUE(policy->AllowsIp(Ip(addr))) << addr;
  }
}

TEST(NetPolicyTest, AllowNetworksOverride) {
  Result<NetPolicy> policy = NetPolicy::Parse({"127.0.0.0/8", "fd00::/8", "10.1.0.0/16"});
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->AllowsIp(Ip("127.0.0.1")));
  EXPECT_TRUE(policy->AllowsIp(Ip("::ffff:127.0.0.1")));
  EXPECT_TRUE(policy->AllowsIp(Ip("fd00::5")));
  EXPECT_TRUE(policy->AllowsIp(Ip("10.1.200.3")));
  EXPECT_FALSE(policy->AllowsIp(Ip("10.2.0.1")));
  EXPECT_FALSE(policy->AllowsIp(Ip("::1")));
  EXPECT_FALSE(policy->AllowsIp(Ip("169.254.169.254")));
}

TEST(NetPolicyTest, SingleHostAndOddPrefixes) {
  Result<NetPolicy> policy = NetPolicy::Parse({"192.168.1.7", "172.20.0.0/14"});
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->AllowsIp(Ip("192.168.1.7")));
  EXPECT_FALSE(policy->AllowsIp(Ip("192.168.1.8")));
  EXPECT_TRUE(policy->AllowsIp(Ip("172.23.255.1")));
  EXPECT_FALSE(policy->AllowsIp(Ip("172.24.0.1")));
}

TEST(NetPolicyTest, BadCidrsNamed) {
  for (const char* bad : {"127.0.0.0/33", "localhost", "10.0.0.0/", "::1/129", "1.2.3.4/x"}) {
    Result<NetPolicy> policy = NetPolicy::Parse({bad});
    ASSERT_FALSE(policy.ok()) << bad;
    EXPECT_EQ(policy.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(policy.status().message().find(bad), std::string::npos);
  }
}

TEST(NetPolicyTest, SockaddrForms) {
  Result<NetPolicy> policy = NetPolicy::Parse({});
  ASSERT_TRUE(policy.ok());
  sockaddr_in in{};
  in.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
  EXPECT_FALSE(policy->Allows(reinterpret_cast<sockaddr*>(&in)));
  EXPECT_EQ(NetPolicy::AddressString(reinterpret_cast<sockaddr*>(&in)), "127.0.0.1");
  inet_pton(AF_INET, "8.8.4.4", &in.sin_addr);
  EXPECT_TRUE(policy->Allows(reinterpret_cast<sockaddr*>(&in)));
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::1", &in6.sin6_addr);
  EXPECT_FALSE(policy->Allows(reinterpret_cast<sockaddr*>(&in6)));
  EXPECT_EQ(NetPolicy::AddressString(reinterpret_cast<sockaddr*>(&in6)), "::1");
}

}  // namespace
}  // namespace nd::fetch
