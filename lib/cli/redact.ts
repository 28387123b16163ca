// Workload log capture with exact secret values redacted (security.md SEC-15): `tessera run`
// pipes the child's stdout and stderr through this before they reach the terminal or a log
// collector.
//
// Matching is on bytes (each value's UTF-8), so a value split across chunks, or inside multi-byte
// text, is still found. A chunk's tail that could be the start of a value is held back until the
// next chunk (or the end) decides: a value is never let out in two pieces, and the output is the
// same however the input was split. Longer values are replaced first, so a value that contains
// another is replaced whole.
import { Transform, type TransformCallback } from "node:stream";

/** Values shorter than this are not redacted (a 1–3 character value would mangle ordinary output). */
export const MIN_REDACTED_LENGTH = 4;

export function redactionMarker(name: string): string {
  return `[redacted:${name}]`;
}

type Needle = { bytes: Buffer; marker: Buffer };

function needles(secrets: Record<string, string>): Needle[] {
  const seen = new Set<string>();
  const list: Needle[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (Buffer.byteLength(value) < MIN_REDACTED_LENGTH || seen.has(value)) continue;
    seen.add(value);
    list.push({ bytes: Buffer.from(value, "utf8"), marker: Buffer.from(redactionMarker(name), "utf8") });
  }
  return list.sort((a, b) => b.bytes.length - a.bytes.length);
}

/** Every whole occurrence, scanning left to right (longest value first at each position): [start, end) pairs. */
function matches(input: Buffer, list: Needle[]): { start: number; end: number; needle: Needle }[] {
  const found: { start: number; end: number; needle: Needle }[] = [];
  let pos = 0;
  while (pos < input.length) {
    const hit = list.find((n) => input[pos] === n.bytes[0] && pos + n.bytes.length <= input.length && input.compare(n.bytes, 0, n.bytes.length, pos, pos + n.bytes.length) === 0);
    if (hit) {
      found.push({ start: pos, end: pos + hit.bytes.length, needle: hit });
      pos += hit.bytes.length;
    } else {
      pos++;
    }
  }
  return found;
}

function replaceAll(input: Buffer, list: Needle[]): Buffer {
  const out: Buffer[] = [];
  let from = 0;
  for (const m of matches(input, list)) {
    out.push(input.subarray(from, m.start), m.needle.marker);
    from = m.end;
  }
  out.push(input.subarray(from));
  return Buffer.concat(out);
}

/**
 * Where the part that can be let out ends: before the earliest tail that could still grow into a
 * value (a proper prefix of one), moved back to the start of any whole value that spans it (so that
 * a value is never cut in two either).
 */
function safeEnd(buf: Buffer, list: Needle[]): number {
  const longest = list.reduce((n, x) => Math.max(n, x.bytes.length), 0);
  let end = buf.length;
  for (let p = Math.max(0, buf.length - longest + 1); p < buf.length; p++) {
    const rest = buf.length - p;
    if (list.some((n) => n.bytes.length > rest && buf.compare(n.bytes, 0, rest, p, buf.length) === 0)) {
      end = p;
      break;
    }
  }
  for (const m of matches(buf, list)) if (m.start < end && m.end > end) end = m.start;
  return end;
}

/** A stream that passes bytes through with every exact value in `secrets` (name → value) replaced by its marker. */
export function createRedactor(secrets: Record<string, string>): Transform {
  const list = needles(secrets);
  let pending = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer | string, _enc, done: TransformCallback) {
      if (!list.length) return done(null, chunk);
      const buf = Buffer.concat([pending, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)]);
      const end = safeEnd(buf, list);
      pending = Buffer.from(buf.subarray(end));
      done(null, replaceAll(buf.subarray(0, end), list));
    },
    flush(done: TransformCallback) {
      done(null, pending.length ? replaceAll(pending, list) : undefined);
    },
  });
}

/** Redacts a whole string (for the CLI's own messages). */
export function redactText(text: string, secrets: Record<string, string>): string {
  return replaceAll(Buffer.from(text, "utf8"), needles(secrets)).toString("utf8");
}
