import { BlockList, isIP } from 'node:net';

/**
 * Addresses a crawler must never reach on a page's say-so: loopback, private networks,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved and
 * unspecified, in IPv4 and IPv6.
 *
 * IPv6 is allowed, not denied, by range: only global unicast (2000::/3) may be reached, so every
 * other range (NAT64 64:ff9b::/96 and 64:ff9b:1::/48, discard-only 100::/64, site-local
 * fec0::/10, unique-local, link-local, multicast, and ranges assigned later) is refused without
 * being listed. Inside 2000::/3 the ranges that carry or reach an IPv4 address of the
 * translator's choosing are refused too: 6to4 (2002::/16: 2002:7f00:1:: is 127.0.0.1,
 * 2002:a9fe:a9fe:: the metadata service), Teredo and the other IETF protocol assignments
 * (2001::/23), and documentation (2001:db8::/32, 3fff::/20). An IPv4-mapped address
 * (::ffff:a.b.c.d, dotted or hex) is the IPv4 address it maps and is judged as that.
 */
const FORBIDDEN_IPV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN_IPV4.addSubnet(network, prefix, 'ipv4');
}

const IPV4_MAPPED = new BlockList();
IPV4_MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

const SPECIAL_IN_GLOBAL_UNICAST = new BlockList();
for (const [network, prefix] of [
  ['2001::', 23], // IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID, …
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: the next 32 bits are an IPv4 address
  ['3fff::', 20], // documentation
] as const) {
  SPECIAL_IN_GLOBAL_UNICAST.addSubnet(network, prefix, 'ipv6');
}

export function forbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN_IPV4.check(address, 'ipv4');
  if (family === 6) {
    // node:net's BlockList checks a mapped address against the IPv4 rules it holds.
    if (IPV4_MAPPED.check(address, 'ipv6')) return FORBIDDEN_IPV4.check(address, 'ipv6');
    return (
      !GLOBAL_UNICAST.check(address, 'ipv6') || SPECIAL_IN_GLOBAL_UNICAST.check(address, 'ipv6')
    );
  }
  return true; // not an address at all: never connect to it
}
