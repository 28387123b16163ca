// Every security requirement that docs/security-model.md calls met or partly met is proved by a test that carries its
// id at the start of its title, and the doc's row names that test; no test names an id the doc does not list; every
// id of the requirement families is listed once, with a status. The checker (tests/helpers/traceability.ts) reads the
// titles with TypeScript's parser, so template strings, `it.each(…)(…)` and `describe.skipIf(…)(…)` count too.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkTraceability, collectTitles, expectedIds, FAMILIES, leadingIds, parseCitations } from "../helpers/traceability";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOC = "docs/security-model.md";

function testSources(dir = "tests"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) Object.assign(out, testSources(rel));
    else if (/\.(test|suite)\.ts$/.test(name)) out[rel] = readFileSync(path.join(ROOT, rel), "utf8");
  }
  return out;
}

describe("security requirements traced to tests", () => {
  it("every met or partly met requirement in docs/security-model.md has a test carrying its id, and every cited test carries it", () => {
    const { requirements, problems } = checkTraceability(readFileSync(path.join(ROOT, DOC), "utf8"), testSources());
    expect(problems).toEqual([]);
    expect(requirements.map((r) => r.id).sort()).toEqual(expectedIds().sort());
  });
});

describe("the traceability checker itself", () => {
  const doc = (rows: string) => `# Model\n\n| ID | Requirement | Status | Where | Tests |\n|---|---|---|---|---|\n${rows}\n`;
  const allRows = (over: Record<string, string> = {}) =>
    expectedIds()
      .map((id) => over[id] ?? `| ${id} | x | Not met | nowhere | |`)
      .join("\n");
  const files = {
    "tests/a.test.ts": [
      'describe("TOK-01: format", () => {',
      '  it("TOK-02 TOK-03: random and checked", () => {});',
      "  it.each([1, 2])(`TOK-04: row %s of ${'many'}`, () => {});",
      '  it("plain, citing SEC-01 in passing", () => {});',
      "});",
    ].join("\n"),
  };
  const check = (rows: Record<string, string>, f: Record<string, string> = files) => checkTraceability(doc(allRows(rows)), f).problems;

  it("reads titles of describe, it, it.each with template strings, and the ids they start with", () => {
    const titles = collectTitles("tests/a.test.ts", files["tests/a.test.ts"]);
    expect(titles.map((t) => [t.kind, t.title])).toEqual([
      ["describe", "TOK-01: format"],
      ["test", "TOK-02 TOK-03: random and checked"],
      ["test", "TOK-04: row %s of ${'many'}"],
      ["test", "plain, citing SEC-01 in passing"],
    ]);
    expect(leadingIds("TOK-02 TOK-03: random")).toEqual(["TOK-02", "TOK-03"]);
    expect(leadingIds("SES-06/SES-08: x")).toEqual(["SES-06", "SES-08"]);
    expect(leadingIds("plain, citing SEC-01")).toEqual([]);
    expect(parseCitations('`tests/a.test.ts` "x" "y"; `tests/b.test.ts`')).toEqual([
      { file: "tests/a.test.ts", title: "x" },
      { file: "tests/a.test.ts", title: "y" },
      { file: "tests/b.test.ts", title: "" },
    ]);
  });

  it("passes a doc whose met rows cite tests that carry their ids", () => {
    expect(
      check({
        "TOK-02": '| TOK-02 | x | Met | y | `tests/a.test.ts` "random and checked" |',
        "TOK-04": '| TOK-04 | x | Partly: no sample | y | `tests/a.test.ts` "row %s" |',
        "SEC-01": "| SEC-01 | x | Not met | y | |",
      }),
    ).toEqual([]);
  });

  it("fails a met requirement that no test carries, or whose row cites no test", () => {
    expect(check({ "TOK-05": '| TOK-05 | x | Met | y | `tests/a.test.ts` "format" |' })).toEqual(
      expect.arrayContaining(["TOK-05 is met, but no test title starts with it", 'TOK-05 cites "format" in tests/a.test.ts, but that title does not start with TOK-05']),
    );
    expect(check({ "TOK-02": "| TOK-02 | x | Met | y | |" })).toEqual(["TOK-02 is met, but its row cites no test"]);
  });

  it("fails a cited test that does not carry the row's id, a missing title, and a missing file", () => {
    const problems = check({
      "TOK-03": '| TOK-03 | x | Met | y | `tests/a.test.ts` "random and checked" "no such title"; `tests/gone.test.ts` "z" |',
      "TOK-02": '| TOK-02 | x | Met | y | `tests/a.test.ts` "format" |',
    });
    expect(problems.sort()).toEqual([
      'TOK-02 cites "format" in tests/a.test.ts, but that title does not start with TOK-02',
      'TOK-03 cites "no such title" in tests/a.test.ts, and no title there contains it',
      "TOK-03 cites tests/gone.test.ts, which is not a test file",
    ]);
  });

  it("fails a test title naming an id the doc does not list, anywhere in the title", () => {
    const withTypo = { "tests/b.test.ts": 'it("TOKN-01: typo", () => {}); it("refers to TOK-16 later", () => {}); it("SHA-256 and UTF-8 are not ids", () => {});' };
    expect(check({}, withTypo)).toEqual([
      'tests/b.test.ts:1: "TOKN-01: typo" names TOKN-01, which the doc does not list',
      'tests/b.test.ts:1: "refers to TOK-16 later" names TOK-16, which the doc does not list',
    ]);
  });

  it("fails ids outside the families, past a family's end, listed twice or missing, and rows without a status", () => {
    const rows = allRows({ "TOK-01": "| TOK-1 | x | Met | y | |" }).replace("| TOK-02 | x | Not met | nowhere | |", "| TOK-02 | x | Maybe | nowhere | |");
    const problems = checkTraceability(doc(`${rows}\n| ABC-01 | x | Not met | y | |\n| TOK-16 | x | Not met | y | |\n| TOK-03 | x | Not met | y | |`), {}).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/TOK-02 has no status met \/ partly \/ not met/),
        expect.stringMatching(/"TOK-1" is not an id of the families/),
        expect.stringMatching(/"ABC-01" is not an id of the families/),
        expect.stringMatching(/TOK-16 is past the last id of its family/),
        expect.stringMatching(/TOK-03 is listed twice/),
        "TOK-01 is not listed in the doc",
      ]),
    );
  });

  it("knows the families of the security anchors: 70 ids and HDR-01", () => {
    expect(Object.keys(FAMILIES)).toEqual(["TOK", "SEC", "SES", "CSRF", "HDR", "AUTHZ", "RL", "LOG", "NX"]);
    expect(expectedIds()).toHaveLength(71);
  });
});
