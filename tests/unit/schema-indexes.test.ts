// Every foreign key and every lookup column has an index: a relation's scalar field must lead
// some @id, @unique, @@unique or @@index of its model.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const source = readFileSync(path.resolve(import.meta.dirname, "../../prisma/models.prisma"), "utf8");

type Model = { name: string; body: string };

function models(text: string): Model[] {
  return [...text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map((m) => ({ name: m[1]!, body: m[2]! }));
}

/** The first field of every index-like declaration in a model. */
function leadingIndexed(body: string): Set<string> {
  const lead = new Set<string>();
  for (const m of body.matchAll(/^\s*(\w+)\s+\S+.*@(id|unique)\b/gm)) lead.add(m[1]!);
  for (const m of body.matchAll(/@@(?:index|unique|id)\(\[\s*(\w+)/g)) lead.add(m[1]!);
  return lead;
}

function foreignKeys(body: string): string[] {
  return [...body.matchAll(/@relation\((?:"\w+",\s*)?fields:\s*\[([^\]]+)\]/g)].flatMap((m) => m[1]!.split(",").map((f) => f.trim()).slice(0, 1));
}

describe("prisma/models.prisma", () => {
  const all = models(source);

  it("has the models of the whole product", () => {
    expect(all.map((m) => m.name).sort()).toEqual(
      [
        "AccountToken",
        "AuditEvent",
        "DeviceAuthorization",
        "Identity",
        "Invitation",
        "JobLease",
        "Membership",
        "RateLimit",
        "RecoveryCode",
        "Secret",
        "SecretVersion",
        "Session",
        "Token",
        "User",
        "Workload",
        "WorkloadBinding",
        "Workspace",
        "WorkspaceKey",
      ].sort(),
    );
  });

  it.each(models(source).map((m) => [m.name, m] as const))("%s indexes every foreign key", (_name, model) => {
    const indexed = leadingIndexed(model.body);
    for (const fk of foreignKeys(model.body)) expect(indexed.has(fk), `${model.name}.${fk}`).toBe(true);
  });

  it("TOK-05: looks tokens, sessions and invitations up by a unique hash", () => {
    const byName = Object.fromEntries(all.map((m) => [m.name, m.body]));
    expect(byName.Token).toMatch(/^\s*hash\s+String\s+@unique/m);
    expect(byName.Session).toMatch(/^\s*tokenHash\s+String\s+@unique/m);
    // Account links (password reset, email verification) and recovery codes: hashes only.
    expect(byName.AccountToken).toMatch(/^\s*hash\s+String\s+@unique/m);
    expect(byName.RecoveryCode).toMatch(/^\s*hash\s+String\s+@unique/m);
    expect(byName.Invitation).toMatch(/^\s*tokenHash\s+String\s+@unique/m);
    expect(byName.DeviceAuthorization).toMatch(/^\s*deviceCodeHash\s+String\s+@unique/m);
    expect(byName.DeviceAuthorization).toMatch(/^\s*userCodeHash\s+String\s+@unique/m);
  });

  it("indexes the audit log's filters (workspace and time, actor, action, target)", () => {
    const audit = all.find((m) => m.name === "AuditEvent")!.body;
    for (const idx of ["[workspaceId, createdAt]", "[actorId]", "[action]", "[targetType, targetId]"]) {
      expect(audit).toContain(`@@index(${idx})`);
    }
  });
});
