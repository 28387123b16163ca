// `npm run bench:cli`: how fast the bundled CLI starts (the budget: `tessera --help` under 150 ms).
// hyperfine (Debian package `hyperfine`) runs, in one session and without a shell:
//   baseline   node -e 0                                (Node.js itself starting)
//   --help     node clients/cli/tessera.mjs --help
//   --version  node clients/cli/tessera.mjs --version
// and this prints each one's mean, median and 95th percentile, its CPU time (user + system), and
// its ratio to the baseline. The ratio and the difference to the baseline carry over to other
// machines better than the absolute time, which mostly measures how fast Node starts here.
// BENCH_RUNS (default 40) and BENCH_WARMUP (default 5) set the runs.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildCliIfStale, CLI_BUNDLE } from "../../lib/cli/build";
import { OUT_DIR, ROOT, ratio } from "./common";

const BUDGET_MS = 150;
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);

if (spawnSync("hyperfine", ["--version"]).status !== 0) {
  console.error("bench:cli needs hyperfine: apt-get install hyperfine (Debian, Ubuntu) or brew install hyperfine");
  process.exit(1);
}
const built = await buildCliIfStale();
if (built) console.log(`built ${path.relative(ROOT, built.file)} in ${built.ms} ms`);
const bundle = path.relative(ROOT, CLI_BUNDLE);

// (hyperfine would read a name starting with "--" as its own option)
const cases = [
  ["baseline", "node -e 0"],
  ["help", `node ${bundle} --help`],
  ["version", `node ${bundle} --version`],
] as const;
const json = path.join(mkdtempSync(path.join(tmpdir(), "tessera-bench-cli-")), "hyperfine.json");
const run = spawnSync(
  "hyperfine",
  ["-N", "--warmup", String(WARMUP), "--runs", String(RUNS), "--style", "basic", "--export-json", json, ...cases.flatMap(([name, cmd]) => ["-n", name, cmd])],
  { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
);
if (run.status !== 0) {
  console.error("hyperfine failed (see above)");
  process.exit(1);
}

type Result = { command: string; times: number[]; user: number; system: number };
const results = (JSON.parse(readFileSync(json, "utf8")) as { results: Result[] }).results;
const ms = (s: number) => Math.round(s * 10000) / 10;
const stats = (r: Result) => {
  const t = [...r.times].sort((a, b) => a - b);
  const at = (q: number) => t[Math.min(t.length - 1, Math.ceil(q * t.length) - 1)]!;
  return { mean: ms(t.reduce((a, b) => a + b, 0) / t.length), median: ms(at(0.5)), p95: ms(at(0.95)), cpu: ms(r.user + r.system) };
};
const byName = Object.fromEntries(results.map((r) => [r.command, stats(r)]));
const base = byName.baseline!;

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\nCLI start-up: ${RUNS} runs each (after ${WARMUP} warm-up), bundle ${Math.round(statSync(CLI_BUNDLE).size / 1024)} KB, Node ${process.version}`);
console.log(`${"".padEnd(10)}${pad("mean", 9)}${pad("median", 9)}${pad("p95", 9)}${pad("cpu", 9)}${pad("× base", 9)}${pad("+ base", 9)}`);
for (const [name] of cases) {
  const s = byName[name]!;
  const extra = name === "baseline" ? ["", ""] : [ratio(s.median, base.median).toFixed(2), `${Math.round(s.median - base.median)} ms`];
  console.log(`${(name === "baseline" ? name : `--${name}`).padEnd(10)}${pad(s.mean, 9)}${pad(s.median, 9)}${pad(s.p95, 9)}${pad(s.cpu, 9)}${pad(extra[0]!, 9)}${pad(extra[1]!, 9)}`);
}
console.log("(milliseconds; cpu: mean user + system time; × and + base: the median against node -e 0's)");
const help = byName.help!;
console.log(
  help.median <= BUDGET_MS
    ? `\n--help: ${help.median} ms median, within the ${BUDGET_MS} ms budget`
    : `\n--help: ${help.median} ms median, over the ${BUDGET_MS} ms budget (Node alone takes ${base.median} ms here; the CLI adds ${Math.round(help.median - base.median)} ms)`,
);

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(
  path.join(OUT_DIR, "cli-startup.json"),
  `${JSON.stringify({ node: process.version, runs: RUNS, bundleBytes: statSync(CLI_BUNDLE).size, budgetMs: BUDGET_MS, results: byName }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(ROOT, OUT_DIR)}/cli-startup.json`);
