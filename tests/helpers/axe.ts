// axe-core in a page (playwright-core): injects the engine once per document and returns the
// violations. The pages' CSP allows only their own nonce'd scripts; evaluation through the
// DevTools protocol is not subject to it, so axe is evaluated, not added as a <script>.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export type AxeNode = { target: string[]; html: string; failureSummary?: string };
export type AxeViolation = { id: string; impact: "minor" | "moderate" | "serious" | "critical" | null; help: string; helpUrl: string; nodes: AxeNode[] };

/** Impacts that fail the check. */
export const BLOCKING = new Set(["serious", "critical"]);

/**
 * Runs axe over the document (WCAG 2.x A/AA and best practices, plus the experimental rules such as
 * label-content-name-mismatch) and returns every violation, of any impact.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  return page.evaluate(async () => {
    type Axe = {
      getRules: (tags?: string[]) => { ruleId: string }[];
      run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const experimental = Object.fromEntries(axe.getRules(["experimental"]).map((r) => [r.ruleId, { enabled: true }]));
    const result = await axe.run(document, { rules: experimental, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
    }));
  });
}

/** Per rule: "rule (impact), N elements, in where: help", every target, and the first element's HTML. */
export function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}), ${v.nodes.length} element${v.nodes.length === 1 ? "" : "s"}, in ${where}: ${v.help}\n` +
      `    targets: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}\n    first: ${v.nodes[0]?.html ?? ""}\n    ${(v.nodes[0]?.failureSummary ?? "").replace(/\s+/g, " ")}`,
  );
}
