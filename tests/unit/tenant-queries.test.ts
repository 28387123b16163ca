// A static check of the services' queries on tenant tables (rows that belong to a workspace): each one filters by
// `workspaceId` (or its `workspace` relation), or looks a row up by the id of a row already loaded (`s.id`,
// `found.id`, `actor.tokenId`: values that came out of a scoped query or the authenticated principal), or by a hash of
// a presented credential. A query whose filter takes a bare value (`where: { id }`, `where: { id: secretId }`, a
// parameter that could come from a request) fails here, unless it is listed below with the reason it is safe.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVICES = "lib/services";
const TENANT_MODELS = new Set([
  "token",
  "secret",
  "secretVersion",
  "workload",
  "workloadBinding",
  "invitation",
  "membership",
  "auditEvent",
  "workspaceKey",
  "deviceAuthorization",
]);
const OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "update",
  "updateMany",
  "upsert",
  "delete",
  "deleteMany",
]);

/** `file: model.operation` → why its filter is safe without naming the workspace. */
const EXEMPT: Record<string, string> = {
  "lib/services/tokens.ts: token.findMany": "the `where` is built just above from the caller's workspace (workspaceId first)",
  "lib/services/audit.ts: auditEvent.findMany": "the filter comes from whereOf(workspaceId, …), whose first condition is the workspace",
  "lib/services/audit.ts: auditEvent.deleteMany": "retention purge: deletes ids it selected for one workspace in the same transaction",
  "lib/services/workloads.ts: workloadBinding.deleteMany": "writeBindings(tx, workloadId, …) is only called with the id of a workload created or loaded in the workspace",
  "lib/services/device.ts: deviceAuthorization.deleteMany": "housekeeping of expired device logins across all workspaces (no caller input)",
  "lib/services/secrets.ts: secret.findMany": "the filter comes from visibleWhere(db, actor, workspaceId, role), which starts from the workspace",
};

type Finding = { key: string; where: string; line: number };

const nameOf = (p: ts.ObjectLiteralElementLike) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : "");

/** Names the workspace at any depth: `workspaceId`, a compound key `workspaceId_userId`, or the `workspace` relation. */
function namesWorkspace(node: ts.Expression): boolean {
  if (!ts.isObjectLiteralExpression(node)) return false;
  return node.properties.some(
    (p) => /^workspace(Id.*)?$/.test(nameOf(p)) || (ts.isPropertyAssignment(p) && namesWorkspace(p.initializer)),
  );
}

/** An anchor's value that comes from a loaded row, the principal or a presented credential's hash, never a bare value. */
function loadedValue(node: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(node)) return true; // s.id, found.id, actor.tokenId
  if (ts.isCallExpression(node)) return /hash/i.test(node.expression.getText()); // codeHashes(code)
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.length > 0 && node.properties.every((p) => ts.isPropertyAssignment(p) && loadedValue(p.initializer)); // { in: … }
  }
  return false;
}

/** Keys that pick rows: ids and hashes (`id`, `secretId`, `deviceCodeHash`); other keys (status, version, dates) only narrow. */
const ANCHOR = /^(id|\w+Id|\w+Hash)$/;

function scoped(where: ts.Expression): boolean {
  if (!ts.isObjectLiteralExpression(where)) return false;
  if (namesWorkspace(where)) return true;
  const anchors = where.properties.filter((p) => ANCHOR.test(nameOf(p)));
  // A shorthand `{ id }` or a spread is a bare value.
  if (where.properties.some((p) => !ts.isPropertyAssignment(p) && ANCHOR.test(nameOf(p)))) return false;
  return anchors.length > 0 && anchors.every((p) => ts.isPropertyAssignment(p) && loadedValue(p.initializer));
}

export function unscopedQueries(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const out: Finding[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      OPERATIONS.has(node.expression.name.text) &&
      ts.isPropertyAccessExpression(node.expression.expression) &&
      TENANT_MODELS.has(node.expression.expression.name.text)
    ) {
      const arg = node.arguments[0];
      const whereProp =
        arg && ts.isObjectLiteralExpression(arg)
          ? arg.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "where")
          : undefined;
      const where = whereProp && ts.isPropertyAssignment(whereProp) ? whereProp.initializer : undefined;
      if (!where || !scoped(where)) {
        out.push({
          key: `${file}: ${node.expression.expression.name.text}.${node.expression.name.text}`,
          where: (where ?? whereProp ?? arg)?.getText(sf).replace(/\s+/g, " ").slice(0, 120) ?? "(no filter)",
          line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe("tenant queries in the services", () => {
  const files = readdirSync(path.join(ROOT, SERVICES)).filter((f) => f.endsWith(".ts"));
  const findings = files.flatMap((f) => unscopedQueries(`${SERVICES}/${f}`, readFileSync(path.join(ROOT, SERVICES, f), "utf8")));

  it("AUTHZ-03: every query on a tenant table filters by the workspace, or by a row already loaded, or is exempt with a reason", () => {
    const unexplained = findings.filter((f) => !(f.key in EXEMPT)).map((f) => `${f.key} (line ${f.line}): where ${f.where}`);
    expect(unexplained).toEqual([]);
  });

  it("keeps no stale exemption", () => {
    const used = new Set(findings.map((f) => f.key));
    expect(Object.keys(EXEMPT).filter((k) => !used.has(k))).toEqual([]);
  });

  it("flags a lookup by a bare id, and passes the scoped and loaded-row forms", () => {
    const src = [
      "async function f(tx, secretId, workspaceId, s) {",
      "  await tx.secret.findUnique({ where: { id: secretId } });",
      "  await tx.secret.findFirst({ where: { id } });",
      "  await tx.secret.update({ where: { id: secretId, name: 'x' }, data: {} });",
      "  await tx.secret.findFirst({ where: { id: secretId, workspaceId } });",
      "  await tx.secret.update({ where: { id: s.id }, data: {} });",
      "  await tx.workspace.findUnique({ where: { id: workspaceId } });",
      "}",
    ].join("\n");
    expect(unscopedQueries("x.ts", src).map((f) => f.line)).toEqual([2, 3, 4]);
  });
});
