#include "fetch/net_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace nd::fetch {
namespace {

using Ip = std::array<std::uint8_t, 16>;

Ip MapV4(const std::uint8_t v4[4]) {
  Ip ip{};
  ip[10] = 0xff;
  ip[11] = 0xff;
  std::memcpy(ip.data() + 12, v4, 4);
  return ip;
}

bool IsV4Mapped(const Ip& ip) {
  for (int i = 0; i < 10; ++i) {
    if (ip[i] != 0) return false;
  }
  return ip[10] == 0xff && ip[11] == 0xff;
}

bool V4InNet(const std::uint8_t* v4, std::uint32_t net, int len) {
  std::uint32_t a = (std::uint32_t{v4[0]} << 24) | (std::uint32_t{v4[1]} << 16) |
                    (std::uint32_t{v4[2]} << 8) | v4[3];
  std::uint32_t mask = len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
  return (a & mask) == (net & mask);
}

bool IsNonPublicV4(const std::uint8_t* v4) {
  struct Net {
    std::uint32_t net;
    int len;
  };
  static constexpr Net kBlocked[] = {
      {0x00000000, 8},   // 0.0.0.0/8 "this network"
      {0x0A000000, 8},   // 10/8
      {0x64400000, 10},  // 100.64/10 carrier-grade NAT
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local, incl. 169.254.169.254 metadata
      {0xAC100000, 12},  // 172.16/12
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0A80000, 16},  // 192.168/16
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, incl. broadcast
  };
  for (const Net& n : kBlocked) {
    if (V4InNet(v4, n.net, n.len)) return true;
  }
  return false;
}

}  // namespace

bool IpNetwork::Contains(const Ip& ip) const {
  int full = prefix_len / 8;
  if (std::memcmp(ip.data(), addr.data(), full) != 0) return false;
  int rest = prefix_len % 8;
  if (rest == 0) return true;
  std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (ip[full] & mask) == (addr[full] & mask);
}

Result<IpNetwork> ParseCidr(const std::string& text) {
  std::string host = text;
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string::npos) {
    host = text.substr(0, slash);
    std::string len = text.substr(slash + 1);
    if (len.empty() || len.size() > 3 || len.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidInput(text + ": bad prefix length in network");
    }
    prefix = std::stoi(len);
  }
  IpNetwork net;
  std::uint8_t v4[4];
  if (inet_pton(AF_INET, host.c_str(), v4) == 1) {
    if (prefix > 32) return Status::InvalidInput(text + ": IPv4 prefix longer than 32");
    net.addr = MapV4(v4);
    net.prefix_len = 96 + (prefix < 0 ? 32 : prefix);
  } else if (inet_pton(AF_INET6, host.c_str(), net.addr.data()) == 1) {
    if (prefix > 128) return Status::InvalidInput(text + ": IPv6 prefix longer than 128");
    net.prefix_len = prefix < 0 ? 128 : prefix;
  } else {
    return Status::InvalidInput(text + ": not an IP network (want e.g. 127.0.0.0/8)");
  }
  return net;
}

bool IsNonPublicAddress(const Ip& ip) {
  if (IsV4Mapped(ip)) return IsNonPublicV4(ip.data() + 12);
  // NAT64 well-known prefix 64:ff9b::/96 embeds an IPv4 address.
  static constexpr std::uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(ip.data(), kNat64, 12) == 0) return IsNonPublicV4(ip.data() + 12);
  bool zero_prefix = true;
  for (int i = 0; i < 12; ++i) zero_prefix = zero_prefix && ip[i] == 0;
  if (zero_prefix) return true;                              // ::, ::1, deprecated IPv4-compatible
  if ((ip[0] & 0xfe) == 0xfc) return true;                   // fc00::/7 unique-local
  if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local
  if (ip[0] == 0xff) return true;                            // multicast
  return false;
}

Result<NetPolicy> NetPolicy::Parse(const std::vector<std::string>& allow_networks) {
  NetPolicy policy;
  for (const std::string& text : allow_networks) {
    Result<IpNetwork> net = ParseCidr(text);
    if (!net.ok()) return net.status();
    policy.allowed_.push_back(*net);
  }
  return policy;
}

bool NetPolicy::AllowsIp(const Ip& ip) const {
  if (!IsNonPublicAddress(ip)) return true;
  for (const IpNetwork& net : allowed_) {
    if (net.Contains(ip)) return true;
  }
  return false;
}

bool NetPolicy::Allows(const sockaddr* addr) const {
  Ip ip{};
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    std::uint8_t v4[4];
    std::memcpy(v4, &in->sin_addr, 4);
    ip = MapV4(v4);
  } else if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    std::memcpy(ip.data(), &in6->sin6_addr, 16);
  } else {
    return false;  // unix sockets and the like are never fetched
  }
  return AllowsIp(ip);
}

std::string NetPolicy::AddressString(const sockaddr* addr) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (addr->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, buf, sizeof buf);
  } else if (addr->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, buf, sizeof buf);
  } else {
    return "non-IP address";
  }
  return buf;
}

}  // namespace nd::fetch
