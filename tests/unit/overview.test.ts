// The Overview's pure parts: the "Get started" steps derived from data, by role; the nav items by
// role (from the permission table); the address in use for the Admin page's public-URL note.
import { describe, expect, it } from "vitest";
import { checklistSteps, type ChecklistFacts } from "@/app/(dashboard)/w/[workspaceId]/overview";
import { NAV_ITEMS, navItemsFor } from "@/app/_components/nav-links";
import { ROLES, roleCan } from "@/lib/auth/permissions";
import { requestOrigin } from "@/lib/http/origin";

const none: ChecklistFacts = { tokens: [], secrets: 0, secretBindings: 0 };
const used = new Date();
const ids = (role: Parameters<typeof checklistSteps>[1], facts = none) => checklistSteps("ws1", role, facts).map((s) => s.id);
const done = (facts: ChecklistFacts) => checklistSteps("ws1", "owner", facts).filter((s) => s.done).map((s) => s.id);

describe("the Get started checklist", () => {
  it("offers each role only the steps it can take", () => {
    expect(ids("owner")).toEqual(["token", "call", "secret", "bind", "run"]);
    expect(ids("admin")).toEqual(["token", "call", "secret", "bind", "run"]);
    expect(ids("member")).toEqual(["token", "call", "secret", "bind"]);
    expect(ids("viewer")).toEqual([]);
    expect(ids(null)).toEqual([]);
  });

  it("ticks a step only when the data says it happened", () => {
    expect(done(none)).toEqual([]);
    expect(done({ ...none, tokens: [{ kind: "user", usedAt: null }] })).toEqual(["token"]);
    expect(done({ ...none, tokens: [{ kind: "user", usedAt: used }] })).toEqual(["token", "call"]);
    // A workload token's use is a run, not an API call of the user's.
    expect(done({ ...none, tokens: [{ kind: "workload", usedAt: used }] })).toEqual(["token", "run"]);
    expect(done({ tokens: [{ kind: "workspace", usedAt: used }], secrets: 1, secretBindings: 0 })).toEqual(["token", "call", "secret"]);
    expect(done({ tokens: [{ kind: "workspace", usedAt: used }, { kind: "workload", usedAt: used }], secrets: 1, secretBindings: 2 })).toEqual([
      "token",
      "call",
      "secret",
      "bind",
      "run",
    ]);
  });

  it("links each step to the workspace page where it is done", () => {
    for (const s of checklistSteps("ws1", "owner", none)) expect(s.href).toMatch(/^\/(w\/ws1\/(tokens|secrets|workloads)|docs\/api)$/);
  });
});

describe("navigation by role", () => {
  it("shows a role exactly the pages its permissions open, Overview first", () => {
    expect(NAV_ITEMS[0]).toMatchObject({ label: "Overview", href: "" });
    for (const role of ROLES) expect(navItemsFor(role)).toEqual(NAV_ITEMS.filter((i) => roleCan(role, i.needs)));
    expect(navItemsFor("member").map((i) => i.label)).not.toContain("Audit");
    expect(navItemsFor("viewer").map((i) => i.label)).not.toContain("Audit");
    expect(navItemsFor("admin").map((i) => i.label)).toContain("Audit");
    expect(navItemsFor(null)).toEqual([]);
  });
});

describe("the address in use", () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it("is the Host over http, or what a reverse proxy forwarded", () => {
    expect(requestOrigin(h({ host: "localhost:3000" }))).toBe("http://localhost:3000");
    expect(requestOrigin(h({ host: "10.0.0.5:3000", "x-forwarded-host": "tessera.acme.example", "x-forwarded-proto": "https" }))).toBe("https://tessera.acme.example");
    expect(requestOrigin(h({ host: "tessera.acme.example:443", "x-forwarded-proto": "https, http" }))).toBe("https://tessera.acme.example");
    expect(requestOrigin(h({}))).toBeNull();
    expect(requestOrigin(h({ host: "a b" }))).toBeNull();
    expect(requestOrigin(h({ host: "x.example", "x-forwarded-proto": "javascript" }))).toBeNull();
  });
});
