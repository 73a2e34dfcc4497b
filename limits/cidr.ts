/** An IPv4 range parsed from CIDR notation, with its first address as an unsigned 32-bit number. */
export interface Ipv4Range {
  readonly base: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns a reason instead when the text is not a canonical IPv4 CIDR. */
export function parseCidr(text: string): Ipv4Range | string {
  const match = CIDR.exec(text);
  if (!match) return "must be IPv4 CIDR notation a.b.c.d/n";
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  // 010 is 8 to some parsers and 10 to others: refuse it rather than guess.
  if (match.slice(1, 6).some((part) => part.length > 1 && part.startsWith("0"))) return `has a leading zero; write ${octets.join(".")}/${prefix}`;
  if (prefix > 32) return "has a prefix length above 32";
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  // Clouds reject ranges with host bits set (10.2.0.1/28); say which network was probably meant.
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return `has host bits set; the network is ${format(base - (base % size))}/${prefix}`;
  return { base, prefix };
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c) as Ipv4Range);

/** True when the whole range lies inside one RFC 1918 private block. */
export function isPrivate(range: Ipv4Range): boolean {
  const end = range.base + 2 ** (32 - range.prefix);
  return PRIVATE_RANGES.some((p) => range.base >= p.base && end <= p.base + 2 ** (32 - p.prefix));
}

function format(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
