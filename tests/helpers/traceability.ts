// Traceability of the security requirements (docs/security-model.md) to the tests that prove them.
// Pure functions over text, so that tests/unit/security-traceability.test.ts can run them on the real repository and
// on small fixtures (to show that the check can fail).
import ts from "typescript";

/** The requirement families of the security anchors, and how many ids each has (FAM-01 … FAM-NN). */
export const FAMILIES: Record<string, number> = {
  TOK: 15,
  SEC: 16,
  SES: 8,
  CSRF: 6,
  HDR: 1,
  AUTHZ: 7,
  RL: 4,
  LOG: 7,
  NX: 7,
};

export type Status = "met" | "partly" | "not met";

/** A test named in the doc: its file and a piece of its title. */
export type Citation = { file: string; title: string };

export type Requirement = { id: string; status: Status; line: number; citations: Citation[] };

/** A test, suite or `it.each` row as written in the source: the title's static text (`${…}` kept as written). */
export type TestTitle = { file: string; line: number; kind: "describe" | "test"; title: string };

/** Anything that looks like a requirement id; the family is checked separately. */
const ID_LIKE = /\b[A-Z]{2,6}-\d{1,3}\b/g;
const STRICT_ID = /^([A-Z]+)-(\d{2})$/;

/** The ids a title starts with: "TOK-03 TOK-04: …" carries TOK-03 and TOK-04; an id later in the text is not a claim. */
export function leadingIds(title: string): string[] {
  const m = /^((?:[A-Z]{2,6}-\d{1,3}[ ,/]*)+):/.exec(title.trim());
  return m ? (m[1]!.match(ID_LIKE) ?? []) : [];
}

/**
 * The ids a title names: every id it starts with (whatever its family: a typo there is a claim), and any word of a
 * known family further on ("SHA-256" or "UTF-8" are not ids).
 */
export function idsIn(title: string): string[] {
  const later = [...title.matchAll(/\b([A-Z]{2,6})-(\d{1,3})\b/g)].filter((m) => m[1]! in FAMILIES).map((m) => m[0]);
  return [...new Set([...leadingIds(title), ...later])];
}

function parseStatus(cell: string): Status | null {
  const s = cell.replace(/\*/g, "").trim().toLowerCase();
  if (s.startsWith("not met")) return "not met";
  if (s.startsWith("partly")) return "partly";
  if (s.startsWith("met")) return "met";
  return null;
}

/**
 * The requirement rows of the doc's tables: `| ID | Requirement | Status | Where | Tests |`. The tests cell cites
 * tests as `` `tests/…/file.test.ts` "title text" "another title" `` (a file, then quoted pieces of titles in it).
 */
export function parseRequirements(markdown: string): { requirements: Requirement[]; problems: string[] } {
  const requirements: Requirement[] = [];
  const problems: string[] = [];
  let header: string[] | null = null;
  markdown.split("\n").forEach((text, i) => {
    const line = i + 1;
    if (!text.startsWith("|")) {
      header = null;
      return;
    }
    const cells = text
      .replace(/\\\|/g, "\u0000")
      .split("|")
      .slice(1, -1)
      .map((c) => c.replace(/\u0000/g, "|").trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
    if (header[0] !== "id") return;
    const id = (cells[0] ?? "").replace(/\*/g, "");
    const statusCell = cells[header.indexOf("status")] ?? "";
    const status = parseStatus(statusCell);
    if (!status) problems.push(`line ${line}: ${id} has no status met / partly / not met ("${statusCell}")`);
    const testsCell = cells[header.indexOf("tests")] ?? "";
    requirements.push({ id, status: status ?? "not met", line, citations: parseCitations(testsCell) });
  });
  return { requirements, problems };
}

/** `` `tests/a.test.ts` "x" "y"; `tests/b.test.ts` "z" `` → (a, x), (a, y), (b, z). A file without a title cites the file. */
export function parseCitations(cell: string): Citation[] {
  const out: Citation[] = [];
  const re = /`(tests\/[^`]+)`|"((?:[^"\\]|\\.)+)"/g;
  let file: string | null = null;
  let titled = true;
  for (let m = re.exec(cell); m; m = re.exec(cell)) {
    if (m[1]) {
      if (file && !titled) out.push({ file, title: "" });
      file = m[1];
      titled = false;
    } else if (file) {
      out.push({ file, title: m[2]!.replace(/\\"/g, '"') });
      titled = true;
    }
  }
  if (file && !titled) out.push({ file, title: "" });
  return out;
}

const TEST_NAMES = new Set(["it", "test"]);
const SUITE_NAMES = new Set(["describe", "suite"]);

/** The name a call chain starts from: `it`, `it.each(rows)`, `test.skipIf(x)`, `describe.sequential` → it/test/describe. */
function rootName(expr: ts.Expression): string | null {
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e)) e = e.expression;
    else if (ts.isTaggedTemplateExpression(e)) e = e.tag;
    else return null;
  }
}

function titleText(node: ts.Expression, source: ts.SourceFile): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    // Keep the static parts; a substitution stays as written so that an id in it is still visible.
    return (
      node.head.text +
      node.templateSpans.map((s) => "${" + s.expression.getText(source) + "}" + s.literal.text).join("")
    );
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = titleText(node.left, source);
    const r = titleText(node.right, source);
    return l === null && r === null ? null : (l ?? "") + (r ?? "");
  }
  return null;
}

/** Every `it`/`test`/`describe` title in a TypeScript source, including `it.each(...)("…")` and `describe.skipIf(…)("…")`. */
export function collectTitles(file: string, sourceText: string): TestTitle[] {
  const source = ts.createSourceFile(file, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: TestTitle[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const name = rootName(node.expression);
      const kind = name && TEST_NAMES.has(name) ? "test" : name && SUITE_NAMES.has(name) ? "describe" : null;
      // `it.each(rows)` itself is not a test: its call result is, with the title as first argument.
      const isEachTable =
        ts.isPropertyAccessExpression(node.expression) && ["each", "for"].includes(node.expression.name.text);
      const isModifierCall =
        ts.isPropertyAccessExpression(node.expression) &&
        ["skipIf", "runIf", "extend"].includes(node.expression.name.text);
      if (kind && !isEachTable && !isModifierCall) {
        const title = titleText(node.arguments[0]!, source);
        if (title !== null) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          out.push({ file, line: line + 1, kind, title });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The family table's ids: TOK-01 … TOK-15 and so on. */
export function expectedIds(): string[] {
  return Object.entries(FAMILIES).flatMap(([fam, n]) =>
    Array.from({ length: n }, (_, i) => `${fam}-${String(i + 1).padStart(2, "0")}`),
  );
}

export type Check = { requirements: Requirement[]; titles: TestTitle[]; problems: string[] };

/**
 * Check the doc against the tests. `files` maps each test source's path (relative to the repository, `tests/…`) to its
 * text. Returns every problem found; none means the trace holds.
 */
export function checkTraceability(markdown: string, files: Record<string, string>): Check {
  const { requirements, problems } = parseRequirements(markdown);
  const titles = Object.entries(files).flatMap(([file, text]) => collectTitles(file, text));
  const known = new Set(expectedIds());
  const listed = new Map<string, Requirement>();

  for (const r of requirements) {
    const m = STRICT_ID.exec(r.id);
    if (!m || !(m[1]! in FAMILIES)) problems.push(`line ${r.line}: "${r.id}" is not an id of the families ${Object.keys(FAMILIES).join(", ")}`);
    else if (!known.has(r.id)) problems.push(`line ${r.line}: ${r.id} is past the last id of its family`);
    if (listed.has(r.id)) problems.push(`line ${r.line}: ${r.id} is listed twice`);
    listed.set(r.id, r);
  }
  for (const id of known) if (!listed.has(id)) problems.push(`${id} is not listed in the doc`);

  const carriers = new Map<string, TestTitle[]>();
  for (const t of titles) {
    for (const id of idsIn(t.title)) {
      if (!listed.has(id)) problems.push(`${t.file}:${t.line}: "${t.title}" names ${id}, which the doc does not list`);
    }
    for (const id of leadingIds(t.title)) carriers.set(id, [...(carriers.get(id) ?? []), t]);
  }

  for (const r of requirements) {
    if (r.status !== "not met" && !carriers.has(r.id)) {
      problems.push(`${r.id} is ${r.status}, but no test title starts with it`);
    }
    if (r.status !== "not met" && r.citations.length === 0) problems.push(`${r.id} is ${r.status}, but its row cites no test`);
    for (const c of r.citations) {
      if (!(c.file in files)) {
        problems.push(`${r.id} cites ${c.file}, which is not a test file`);
        continue;
      }
      const inFile = titles.filter((t) => t.file === c.file);
      const matching = inFile.filter((t) => t.title.includes(c.title));
      if (c.title && matching.length === 0) {
        problems.push(`${r.id} cites "${c.title}" in ${c.file}, and no title there contains it`);
      } else if (!matching.some((t) => leadingIds(t.title).includes(r.id))) {
        problems.push(
          c.title
            ? `${r.id} cites "${c.title}" in ${c.file}, but that title does not start with ${r.id}`
            : `${r.id} cites ${c.file}, but no title there starts with ${r.id}`,
        );
      }
    }
  }
  return { requirements, titles, problems };
}
