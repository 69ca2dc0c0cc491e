import { randomBytes } from 'node:crypto';

// 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch (RFC 4122 §4.1.4).
const GREGORIAN_OFFSET = 0x01b21dd213814000n;

let lastTicks = 0n;
let clockSeq = randomBytes(2).readUInt16BE(0) & 0x3fff;
// Python's uuid.getnode() falls back to a random node with the multicast bit set (RFC 4122 §4.5);
// a random node avoids leaking a MAC address.
const node = randomBytes(6);
node[0] = (node[0] as number) | 0x01;

/**
 * A version-1 UUID, as openedx-events' `EventsMetadata.id` (Python `uuid.uuid1()`). Ticks are
 * milliseconds × 10 000 plus a counter, so ids stay unique and increasing within one process.
 */
export function uuid1(nowMs: number = Date.now()): string {
  let ticks = BigInt(nowMs) * 10_000n + GREGORIAN_OFFSET;
  if (ticks < lastTicks - 10_000_000n) {
    // The clock went back more than a second: RFC 4122 §4.2.1 says change the clock sequence.
    clockSeq = (clockSeq + 1) & 0x3fff;
  } else if (ticks <= lastTicks) {
    ticks = lastTicks + 1n; // same millisecond (or a small step back): Python's uuid1 does the same
  }
  lastTicks = ticks;
  const timeLow = Number(ticks & 0xffffffffn);
  const timeMid = Number((ticks >> 32n) & 0xffffn);
  const timeHi = Number((ticks >> 48n) & 0x0fffn) | 0x1000;
  const seq = clockSeq | 0x8000; // RFC 4122 variant bits 10xx
  const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(seq, 4)}-${node.toString('hex')}`;
}
