// The documentation is checked like code, without the network:
// - every local link in README.md and docs/**/*.md resolves: a relative path names a file or folder of the
//   repository, and a #fragment names a heading (GitHub's slug rules) or an HTML anchor of the Markdown file it
//   points to (the same file when there is no path); links to other sites are not fetched;
// - docs/configuration.md names every environment variable that lib/config.ts (and the PostgreSQL pool) reads,
//   and its table names no variable that they do not read;
// - docs/api.md names every secret preset the API takes;
// - every `npm run <script>` the docs name is a script of package.json;
// - the README stays a page (issue 16: at most ~12 KB).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PRESETS } from "@/lib/secrets/presets";

const ROOT = path.resolve(import.meta.dirname, "../..");
const README_MAX_BYTES = 12 * 1024;
/** Scripts the docs announce before they exist, and why. */
const ANNOUNCED_SCRIPTS: Record<string, string> = {
  backup: "issue 17 adds `npm run backup`; docs/operations.md says so and gives the manual steps meanwhile",
};

type Problem = { file: string; line: number; link: string; reason: string };

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered -1, -2, … */
function githubSlugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base);
    seen.set(base, (count ?? -1) + 1);
    return count === undefined ? base : `${base}-${count + 1}`;
  };
}

/** The text a heading renders to: links keep their text, code spans their content, emphasis and tags go. */
function headingText(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/`+([^`]*)`+/g, "$1")
    .replace(/(\*{1,3})(\S(?:.*?\S)?)\1/g, "$2")
    .trim();
}

type Line = { text: string; line: number };

/** The lines outside fenced code blocks, with inline code spans blanked (links in code are not links). */
function proseLines(markdown: string): Line[] {
  const out: Line[] = [];
  let fence: string | null = null;
  markdown.split("\n").forEach((text, i) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) fence = null;
      return;
    }
    if (marker) {
      fence = marker;
      return;
    }
    out.push({ text: text.replace(/(`+)(?:(?!\1).)+?\1/g, (m) => " ".repeat(m.length)), line: i + 1 });
  });
  return out;
}

/** Every anchor a Markdown file offers: its headings' slugs and explicit `id`/`name` attributes. */
function anchorsOf(markdown: string): Set<string> {
  const slug = githubSlugger();
  const anchors = new Set<string>();
  const lines = proseLines(markdown.replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, " ")));
  // Headings are read from the raw lines (a code span in a heading is part of its text).
  const raw = markdown.split("\n");
  lines.forEach(({ text, line }, i) => {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(text);
    if (atx) {
      const rawAtx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(raw[line - 1]!);
      anchors.add(slug(headingText(rawAtx?.[1] ?? "")));
    } else {
      const next = lines[i + 1];
      if (next && next.line === line + 1 && /^ {0,3}(=+|-+)[ \t]*$/.test(next.text) && text.trim() && !/^ {0,3}([-*+]|\d+[.)])\s/.test(text)) {
        anchors.add(slug(headingText(raw[line - 1]!)));
      }
    }
    for (const m of text.matchAll(/<a\s[^>]*?(?:id|name)="([^"]+)"/gi)) anchors.add(m[1]!);
  });
  return anchors;
}

/** Link destinations in prose: inline links and images, reference definitions, HTML href/src. */
function linksOf(markdown: string): { dest: string; line: number }[] {
  const found: { dest: string; line: number }[] = [];
  for (const { text, line } of proseLines(markdown)) {
    for (const m of text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) found.push({ dest: m[1]!.replace(/^<|>$/g, ""), line });
    const def = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(text);
    if (def) found.push({ dest: def[1]!.replace(/^<|>$/g, ""), line });
    for (const m of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/gi)) found.push({ dest: m[1]!, line });
  }
  return found;
}

type DocFs = { exists(rel: string): boolean; isFile(rel: string): boolean; read(rel: string): string };

/** Checks every local link of the given Markdown files (paths relative to the repository root, with "/"). */
function checkLinks(files: string[], fs: DocFs): Problem[] {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (rel: string) => {
    if (!anchorCache.has(rel)) anchorCache.set(rel, anchorsOf(fs.read(rel)));
    return anchorCache.get(rel)!;
  };
  for (const file of files) {
    for (const { dest, line } of linksOf(fs.read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(dest) || dest.startsWith("//")) continue; // another site, mailto:, …
      const hashAt = dest.indexOf("#");
      const rawPath = hashAt === -1 ? dest : dest.slice(0, hashAt);
      const fragment = hashAt === -1 ? null : dest.slice(hashAt + 1);
      let target = file;
      if (rawPath) {
        let decoded: string;
        try {
          decoded = decodeURIComponent(rawPath.split("?")[0]!);
        } catch {
          problems.push({ file, line, link: dest, reason: "is not valid percent-encoding" });
          continue;
        }
        target = path.posix.normalize(decoded.startsWith("/") ? decoded.slice(1) : path.posix.join(path.posix.dirname(file), decoded));
        if (target.startsWith("../") || target === "..") {
          problems.push({ file, line, link: dest, reason: "points outside the repository" });
          continue;
        }
        target = target.replace(/\/$/, "");
        if (!fs.exists(target)) {
          problems.push({ file, line, link: dest, reason: `${target} does not exist` });
          continue;
        }
      }
      if (fragment !== null && target.endsWith(".md") && fs.isFile(target)) {
        const wanted = decodeURIComponent(fragment);
        if (!anchors(target).has(wanted)) problems.push({ file, line, link: dest, reason: `${target} has no heading or anchor #${wanted}` });
      }
    }
  }
  return problems;
}

const diskFs: DocFs = {
  exists: (rel) => existsSync(path.join(ROOT, rel)),
  isFile: (rel) => existsSync(path.join(ROOT, rel)) && statSync(path.join(ROOT, rel)).isFile(),
  read: (rel) => readFileSync(path.join(ROOT, rel), "utf8"),
};

function docFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith(".md") ? [`${dir}/${e.name}`] : [],
    );
  return ["README.md", ...walk("docs")];
}

const show = (problems: Problem[]) => problems.map((p) => `${p.file}:${p.line}: (${p.link}) ${p.reason}`);

describe("the link checker itself", () => {
  it("makes GitHub's heading anchors", () => {
    const slug = githubSlugger();
    expect(
      ["The CLI: `tessera`", "Confirm it's you: sudo mode (SES-07)", "NX: Next.js advisories", "API — reference", "TESSERA_URL", "Tokens", "Tokens", "**Bold** [link](x.md)"].map((h) => slug(headingText(h))),
    ).toEqual(["the-cli-tessera", "confirm-its-you-sudo-mode-ses-07", "nx-nextjs-advisories", "api--reference", "tessera_url", "tokens", "tokens-1", "bold-link"]);
  });

  it("reports a missing file, a missing anchor and a missing heading in the same file, and passes the rest", () => {
    const files: Record<string, string> = {
      "README.md": [
        "# Title",
        "See [guide](docs/guide.md#setup), [gone](docs/gone.md), [bad anchor](docs/guide.md#nope), [here](#title),",
        "[not here](#elsewhere), [site](https://example.com/x#y), ![shot](docs/images/a.png) and [folder](docs/).",
        "```sh",
        "[in code](docs/missing.md)",
        "```",
        "`[in a span](docs/missing-too.md)` <a href=\"docs/guide.md#setup-1\">html</a>",
        "[ref]: docs/guide.md#setup",
      ].join("\n"),
      "docs/guide.md": "# Guide\n\n## Setup\n\ntext\n\nSetup\n-----\n",
      "docs/images/a.png": "",
    };
    const fs: DocFs = {
      exists: (rel) => rel in files || Object.keys(files).some((f) => f.startsWith(`${rel}/`)),
      isFile: (rel) => rel in files,
      read: (rel) => files[rel]!,
    };
    expect(checkLinks(["README.md"], fs).map((p) => p.link)).toEqual(["docs/gone.md", "docs/guide.md#nope", "#elsewhere"]);
  });
});

describe("the documentation", () => {
  it("has no broken local link or anchor in README.md and docs/", () => {
    const files = docFiles();
    expect(files.length).toBeGreaterThan(5);
    expect(show(checkLinks(files, diskFs))).toEqual([]);
  });

  it("names every environment variable the server reads in docs/configuration.md", () => {
    const source = readFileSync(path.join(ROOT, "lib/config.ts"), "utf8");
    const schema = source.slice(source.indexOf("const envSchema"), source.indexOf("});", source.indexOf("const envSchema")));
    const names = new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
    for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    for (const m of readFileSync(path.join(ROOT, "lib/db/url.ts"), "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    expect(names.size).toBeGreaterThan(20);
    const doc = readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8");
    expect([...names].filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });

  it("documents in docs/configuration.md's table only variables the code reads", () => {
    const doc = readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8");
    const documented = [...doc.matchAll(/^\| (`[A-Z][A-Z0-9_]+`(?: \/ `[A-Z][A-Z0-9_]+`)*) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((x) => x[1]!));
    expect(documented.length).toBeGreaterThan(20);
    const code = ["lib/config.ts", "lib/db/url.ts"].map((f) => readFileSync(path.join(ROOT, f), "utf8")).join("\n");
    expect(documented.filter((n) => !new RegExp(`\\b${n}\\b`).test(code))).toEqual([]);
  });

  it("lists every secret preset the API takes in docs/api.md", () => {
    const doc = readFileSync(path.join(ROOT, "docs/api.md"), "utf8");
    expect(PRESETS.filter((p) => !doc.includes(`| \`${p}\``))).toEqual([]);
  });

  it("names only npm scripts that package.json has", () => {
    const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
    const named = new Set(docFiles().flatMap((f) => [...diskFs.read(f).matchAll(/\bnpm run (?:-s )?([a-z][\w:.-]*\w)/g)].map((m) => m[1]!)));
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((s) => !scripts.includes(s) && !(s in ANNOUNCED_SCRIPTS))).toEqual([]);
  });

  it(`keeps the README to a page (at most ${README_MAX_BYTES} bytes)`, () => {
    expect(statSync(path.join(ROOT, "README.md")).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });
});
