// The dotenv reader of `tessera secrets import`: what a .env file may hold, and every bad line
// reported with its number, never with its text (it may hold a secret).
import { describe, expect, it } from "vitest";
import { dotenvQuote } from "@/lib/cli/commands/run";
import { parseDotenv } from "@/lib/secrets/dotenv";

describe("parseDotenv", () => {
  it("reads KEY=VALUE, export, quotes, escapes, comments and blank lines", () => {
    const text = [
      "# a comment",
      "",
      "PLAIN=value",
      "  SPACED = padded value  ",
      "export EXPORTED=yes",
      "WITH_COMMENT=abc # trailing comment",
      "HASH_INSIDE=a#b",
      'DOUBLE="two words # not a comment"',
      'ESCAPES="line1\\nline2\\t\\"q\\" \\\\ \\x"',
      "SINGLE='raw \\n $HOME'",
      "BACKTICK=`tick`",
      'MULTI="-----BEGIN KEY-----',
      "abc",
      '-----END KEY-----" # pem',
      "SINGLE_MULTI='a",
      "b'",
      "EQUALS=a=b=c",
      "CRLF=value\r",
    ].join("\n");
    const { entries, errors } = parseDotenv(`\uFEFF${text}`);
    expect(errors).toEqual([]);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({
      PLAIN: "value",
      SPACED: "padded value",
      EXPORTED: "yes",
      WITH_COMMENT: "abc",
      HASH_INSIDE: "a#b",
      DOUBLE: "two words # not a comment",
      ESCAPES: 'line1\nline2\t"q" \\ \\x',
      SINGLE: "raw \\n $HOME",
      BACKTICK: "tick",
      MULTI: "-----BEGIN KEY-----\nabc\n-----END KEY-----",
      SINGLE_MULTI: "a\nb",
      EQUALS: "a=b=c",
      CRLF: "value",
    });
    expect(entries.find((e) => e.key === "MULTI")!.line).toBe(12);
    expect(entries.find((e) => e.key === "EQUALS")!.line).toBe(17);
  });

  it("reports each bad line by number, without its text", () => {
    const secret = "sk-live-0123456789abcdef";
    const text = [
      "GOOD=1", // 1
      secret, // 2: no =
      `9BAD=${secret}`, // 3: not a variable name
      `KEY="${secret}" trailing`, // 4: text after the quote
      "EMPTY=", // 5
      "GOOD=again", // 6: twice
      "COMMENT_ONLY= # nothing", // 7: empty
      "export", // 8
      `OPEN="${secret}`, // 9: never closed (runs to the end)
      "LAST=x",
    ].join("\n");
    const { entries, errors } = parseDotenv(text);
    expect(entries.map((e) => e.key)).toEqual(["GOOD"]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(errors[4]!.message).toBe("GOOD is set again (first on line 1)");
    expect(errors[7]!.message).toMatch(/double quote is never closed/);
    for (const e of errors) expect(e.message).not.toContain(secret.slice(3));
  });

  it("reads a 256 KiB run of spaces in one pass, and a comment after any whitespace (the regular expression this replaces backtracked quadratically: ~40 s per such line)", () => {
    const spaces = " ".repeat(256 * 1024);
    for (const text of [`A=x${spaces}y`, `A=x${spaces}# comment`, `A=x${spaces}`]) {
      const { entries, errors } = parseDotenv(text);
      expect(errors).toEqual([]);
      expect(entries[0]!.value).toBe(text.endsWith("y") ? `x${spaces}y` : "x");
    }
    expect(parseDotenv("A=a#b\nB=b\t# c\nC=c\u00a0#d\nD= # only a comment").entries.map((e) => e.value)).toEqual(["a#b", "b", "c"]);
    expect(parseDotenv("D= # only a comment").errors[0]!.message).toBe("the value is empty (a secret cannot be empty)");
  });

  it("reads back exactly what tessera env --format dotenv writes (so env output imports unchanged)", () => {
    const values = ["plain", "it's", "a\nb\r\nc", 'q"uo\\te', "$HOME ${X} `id` $(touch /x)", "\\n literal", " spaced # not a comment "];
    const text = values.map((v, i) => `K${i}=${dotenvQuote(v)}\n`).join("");
    const { entries, errors } = parseDotenv(text);
    expect(errors).toEqual([]);
    expect(entries.map((e) => e.value)).toEqual(values);
  });
});
