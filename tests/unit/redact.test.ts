// SEC-15: workload log capture redacts exact secret values, wherever the chunks of output split.
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRedactor, MIN_REDACTED_LENGTH, redactText } from "@/lib/cli/redact";

async function through(secrets: Record<string, string>, chunks: Buffer[]): Promise<string> {
  const r = createRedactor(secrets);
  const out: Buffer[] = [];
  r.on("data", (b: Buffer) => out.push(b));
  const ended = new Promise((res) => r.on("end", res));
  for (const c of chunks) r.write(c);
  r.end();
  await ended;
  return Buffer.concat(out).toString("utf8");
}

const SECRETS = { API_KEY: "sk-live-9f8e7d6c5b4a", PASSWORD: "pässwörd∑", SHORT: "abc", NESTED: "9f8e7d", OVERLAP: "abab" };

describe("redacting captured output", () => {
  it("replaces whole values with a marker naming the variable; longer values first; short values stay", () => {
    expect(redactText("key=sk-live-9f8e7d6c5b4a done", SECRETS)).toBe("key=[redacted:API_KEY] done");
    expect(redactText("part 9f8e7d only", SECRETS)).toBe("part [redacted:NESTED] only");
    expect(redactText("pw: pässwörd∑!", SECRETS)).toBe("pw: [redacted:PASSWORD]!");
    expect(redactText("abc is too short to redact", SECRETS)).toBe("abc is too short to redact");
    expect(MIN_REDACTED_LENGTH).toBe(4);
    expect(redactText("xababab", SECRETS)).toBe("x[redacted:OVERLAP]ab");
  });

  it("SEC-15: finds values split across chunks at every byte position, and never lets one out in pieces", async () => {
    const text = "start sk-live-9f8e7d6c5b4a mid pässwörd∑ and xabab then 9f8e7d end sk-live-9f8e7d6c5b4a";
    const expected = redactText(text, SECRETS);
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i <= bytes.length; i++) {
      const out = await through(SECRETS, [bytes.subarray(0, i), bytes.subarray(i)]);
      expect(out, `split at ${i}`).toBe(expected);
    }
    // Many random splits, including one byte at a time.
    for (let round = 0; round < 200; round++) {
      const chunks: Buffer[] = [];
      for (let pos = 0; pos < bytes.length; ) {
        const n = round === 0 ? 1 : 1 + randomInt(12);
        chunks.push(bytes.subarray(pos, pos + n));
        pos += n;
      }
      const out = await through(SECRETS, chunks);
      expect(out).toBe(expected);
      for (const v of [SECRETS.API_KEY, SECRETS.PASSWORD, SECRETS.NESTED, SECRETS.OVERLAP]) expect(out).not.toContain(v);
    }
  });

  it("holds a possible start of a value only until the next chunk or the end; passes through without secrets", async () => {
    const r = createRedactor({ TOKEN: "hf_abcdefgh" });
    const seen: string[] = [];
    r.on("data", (b: Buffer) => seen.push(b.toString()));
    r.write("line one\nhf_ab");
    await new Promise((res) => setImmediate(res));
    expect(seen.join("")).toBe("line one\n");
    r.write("XY\n");
    await new Promise((res) => setImmediate(res));
    expect(seen.join("")).toBe("line one\nhf_abXY\n");
    r.write("hf_abc");
    r.end();
    await new Promise((res) => r.on("end", res));
    expect(seen.join("")).toBe("line one\nhf_abXY\nhf_abc");
    expect(await through({}, [Buffer.from("nothing to hide")])).toBe("nothing to hide");
  });
});
