// The audit event catalogue (lib/schemas/audit-events.ts) that the Audit page's action picker is
// built from: every action a service records in a workspace's log is in it, once.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AUDIT_EVENT_GROUPS, auditActionLabel } from "@/lib/schemas/audit-events";
import { updateTokenSchema } from "@/lib/schemas/token";

const ROOT = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "generated" ? [] : sources(p);
    return /\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Account-wide and platform events: recorded without a workspace, so never in a workspace's log. */
const OUTSIDE_WORKSPACES = /^(user\.|workspace\.list$)/;

/** Dotted names written as the value of an `action:` (including both sides of a ternary). */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sources(path.join(ROOT, "lib")), ...sources(path.join(ROOT, "app"))]) {
    if (file.includes(`${path.sep}contract${path.sep}`) || file.endsWith("audit-events.ts")) continue;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\baction:\s*([^\n,]*)/g)) {
      for (const lit of m[1]!.matchAll(/"([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)"/g)) found.add(lit[1]!);
    }
  }
  // Token changes are recorded as `token.<the update's action>`.
  for (const option of updateTokenSchema.options) found.add(`token.${option.shape.action.value}`);
  return found;
}

describe("the audit event catalogue", () => {
  it("holds every workspace action the services record", () => {
    const recorded = [...recordedActions()].filter((a) => !OUTSIDE_WORKSPACES.test(a));
    expect(recorded.length).toBeGreaterThan(40);
    const missing = recorded.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a));
    expect(missing, "add these to lib/schemas/audit-events.ts").toEqual([]);
  });

  it("names each action once, under its group's prefix, with words", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const g of AUDIT_EVENT_GROUPS) {
      for (const e of g.events) {
        expect(e.action.startsWith(g.prefix), e.action).toBe(true);
        expect(e.action).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/);
        expect(auditActionLabel(e.action)).toBe(e.label);
      }
    }
    expect(auditActionLabel("nothing.known")).toBeNull();
  });
});
