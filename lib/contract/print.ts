// `npm run -s api:routes`: every operation of the contract, as a table (method, path, id, base
// permission, summary), printed from lib/contract, so that no hand-kept list can drift.
// `--markdown` prints it as a Markdown table.
import { operations } from "./index";

const markdown = process.argv.includes("--markdown");
const out: string[] = [];
const rows = operations.map((o) => [o.method, o.path, o.id, o.permission, o.summary]);
if (markdown) {
  out.push("| Method | Path | Operation | Permission | What |", "|---|---|---|---|---|");
  for (const r of rows) out.push(`| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
} else {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join("  "));
}
process.stdout.write(`${out.join("\n")}\n`);
