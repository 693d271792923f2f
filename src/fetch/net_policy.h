// Private to fetch: which resolved addresses a fetch may connect to.
//
// Refuses loopback, private (RFC 1918), carrier-grade NAT, link-local (including the
// cloud metadata address 169.254.169.254), unique-local, multicast and reserved
// addresses, IPv4-mapped/NAT64 forms of those, unless an operator-given CIDR allows them.
//
// Thread-safety: NetPolicy is immutable after Parse; safe to share.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace nd::fetch {

// An IP network; IPv4 networks are stored as IPv4-mapped IPv6 (::ffff:a.b.c.d/96+n).
struct IpNetwork {
  std::array<std::uint8_t, 16> addr{};
  int prefix_len = 0;  // 0..128, in IPv6 terms

  bool Contains(const std::array<std::uint8_t, 16>& ip) const;
};

// Parses "10.0.0.0/8", "127.0.0.1", "fd00::/8", "::1". Errors name the input.
Result<IpNetwork> ParseCidr(const std::string& text);

class NetPolicy {
 public:
  static Result<NetPolicy> Parse(const std::vector<std::string>& allow_networks);

  // True when a connection to `addr` may be made.
  bool Allows(const sockaddr* addr) const;
  bool AllowsIp(const std::array<std::uint8_t, 16>& ip) const;

  // The textual form of `addr` for error messages ("127.0.0.1", "::1").
  static std::string AddressString(const sockaddr* addr);

 private:
  std::vector<IpNetwork> allowed_;
};

// Whether `ip` (IPv6 or IPv4-mapped) is loopback/private/link-local/reserved.
bool IsNonPublicAddress(const std::array<std::uint8_t, 16>& ip);

}  // namespace nd::fetch
