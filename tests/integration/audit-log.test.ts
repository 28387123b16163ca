// The audit log: what an event holds, filters, cursor pagination, streamed CSV / JSON Lines
// exports (formula and line-forging defences), retention, hostile filters, and that no token or
// invitation link ever reaches it.
import { describe, expect, it } from "vitest";
import { GET as EXPORT } from "@/app/api/v1/workspaces/[workspaceId]/audit/export/route";
import { PUT as RETENTION } from "@/app/api/v1/workspaces/[workspaceId]/audit/retention/route";
import { GET as LIST } from "@/app/api/v1/workspaces/[workspaceId]/audit/route";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { EXPORT_BATCH, exportAuditEvents, listAuditEvents, neutraliseCell, purgeExpiredAuditEvents, recordAudit, setAuditRetention } from "@/lib/services/audit";
import { createInvitation } from "@/lib/services/invitations";
import { removeMember, updateMemberRole } from "@/lib/services/members";
import { createSecret } from "@/lib/services/secrets";
import { deleteToken } from "@/lib/services/tokens";
import { renameWorkspace } from "@/lib/services/workspaces";
import { transaction } from "@/lib/db/client";
import { bearer, makeToken, makeWorkspace, meta } from "../helpers/fixtures";

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).message));
const ctx = (workspaceId: string) => ({ params: Promise.resolve({ workspaceId }) });
async function drain(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}
/** Parses CSV with quoted fields (RFC 4180) into rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Adds `n` events a second apart, newest last (directly: the recording itself is tested elsewhere). */
async function seedEvents(workspaceId: string, n: number, over: Record<string, unknown> = {}) {
  const start = Date.now() - n * 1000 - 60_000;
  await db().auditEvent.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      workspaceId,
      actorType: "user",
      actorId: "seeded",
      actorLabel: "seed@example.test",
      action: i % 2 ? "member.role.update" : "token.create",
      targetType: "user",
      targetId: `t${i}`,
      result: "success",
      createdAt: new Date(start + Math.floor(i / 3) * 1000), // several share a timestamp: the id breaks ties
      ...over,
    })),
  });
}

describe("the audit log", () => {
  it("LOG-01 LOG-02: records who, what, target, result, when, address, user agent and request id with each change", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["viewer"] });
    const actor: Actor = { ...owner, meta: meta({ requestId: "req-abc12345", ip: "198.51.100.4", userAgent: "curl/8" }) };
    await updateMemberRole(actor, workspace.id, members.viewer!.userId, { role: "member" });
    await code(renameWorkspace(members.viewer!, workspace.id, { name: "Nope" })); // denied: a member
    const { data } = await listAuditEvents(owner, workspace.id, { action: "member.role.update" });
    expect(data[0]).toMatchObject({
      actorType: "user",
      actorId: owner.userId,
      actorLabel: owner.email,
      action: "member.role.update",
      targetType: "user",
      targetId: members.viewer!.userId,
      result: "success",
      ip: "198.51.100.4",
      userAgent: "curl/8",
      requestId: "req-abc12345",
      metadata: { from: "viewer", to: "member" },
    });
    expect(new Date(data[0]!.createdAt).toISOString()).toMatch(/Z$/);
    const denied = await listAuditEvents(owner, workspace.id, { result: "denied" });
    expect(denied.data.map((e) => e.action)).toEqual(["workspace.update"]);
  });

  it("filters by actor, action (or prefix), target, result and dates", async () => {
    const { workspace, owner } = await makeWorkspace();
    await seedEvents(workspace.id, 12);
    const all = (await listAuditEvents(owner, workspace.id, { actor: "seed@example.test", limit: 200 })).data;
    expect(all).toHaveLength(12);
    expect((await listAuditEvents(owner, workspace.id, { actor: "SEED@example", limit: 200 })).data).toHaveLength(12);
    expect((await listAuditEvents(owner, workspace.id, { action: "token.create", limit: 200 })).data).toHaveLength(6);
    expect((await listAuditEvents(owner, workspace.id, { action: "member.", limit: 200 })).data.every((e) => e.action.startsWith("member."))).toBe(true);
    expect((await listAuditEvents(owner, workspace.id, { target: "t3" })).data.map((e) => e.targetId)).toEqual(["t3"]);
    expect((await listAuditEvents(owner, workspace.id, { target: "user:t4" })).data.map((e) => e.targetId)).toEqual(["t4"]);
    expect((await listAuditEvents(owner, workspace.id, { target: "workspace" })).data.map((e) => e.action)).toEqual(["workspace.create"]);
    const newest = new Date(all[0]!.createdAt);
    const from = new Date(newest.getTime()).toISOString();
    expect((await listAuditEvents(owner, workspace.id, { actor: "seed@example.test", from })).data.every((e) => new Date(e.createdAt) >= newest)).toBe(true);
    expect((await listAuditEvents(owner, workspace.id, { actor: "seed@example.test", to: "2000-01-01" })).data).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAuditEvents(owner, workspace.id, { actor: "seed@example.test", from: today, to: today, limit: 200 })).data.length).toBeGreaterThan(0);
  });

  it("pages with a cursor: newest first, no duplicates and no gaps, even with equal timestamps", async () => {
    const { workspace, owner } = await makeWorkspace();
    await seedEvents(workspace.id, 95);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAuditEvents(owner, workspace.id, { actor: "seed@example.test", limit: 20, cursor });
      seen.push(...page.data.map((e) => e.id));
      const times = page.data.map((e) => new Date(e.createdAt).getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(95);
    const ids = (await db().auditEvent.findMany({ where: { workspaceId: workspace.id, actorId: "seeded" }, select: { id: true } })).map((e) => e.id);
    expect([...seen].sort()).toEqual(ids.sort());
  });

  it("refuses hostile filters with 422 and the envelope, and answers other workspaces 404, members 403", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["member"] });
    const t = await makeToken(owner, workspace.id);
    const url = (q: string) => `http://localhost/api/v1/workspaces/${workspace.id}/audit?${q}`;
    for (const q of [
      "limit=0",
      "limit=201",
      "limit=ten",
      "from=yesterday",
      "from=2026-02-30",
      "to=2020-01-01&from=2021-01-01",
      "action=DROP%20TABLE",
      "actor=" + "a".repeat(201),
      "actor=a%0d%0aX-Forged:%201",
      "cursor=not*a*cursor",
      "cursor=" + Buffer.from("2026-01-01|x").toString("base64url"),
      "result=maybe",
      "unknown=1",
    ]) {
      const res = await LIST(new Request(url(q), { headers: bearer(t.value) }), ctx(workspace.id));
      expect(res.status, q).toBe(422);
      const body = await res.json();
      expect(body.error.code, q).toBe("VALIDATION_FAILED");
    }
    const ok = await LIST(new Request(url("limit=2&action=workspace."), { headers: bearer(t.value) }), ctx(workspace.id));
    expect(ok.status).toBe(200);
    expect((await ok.json()).data[0].action).toBe("workspace.create");
    expect(await code(listAuditEvents(members.member!, workspace.id))).toBe("FORBIDDEN");
    const other = await makeWorkspace();
    expect(await code(listAuditEvents(other.owner, workspace.id))).toBe("NOT_FOUND");
    expect(await code(exportAuditEvents(other.owner, workspace.id, { format: "csv" }))).toBe("NOT_FOUND");
    // Both refusals were recorded as denied attempts, with who tried.
    const denials = (await listAuditEvents(owner, workspace.id, { action: "audit.", result: "denied" })).data.map((e) => `${e.action} ${e.actorId}`);
    expect(denials.sort()).toEqual([`audit.export ${other.owner.userId}`, `audit.list ${members.member!.userId}`, `audit.list ${other.owner.userId}`].sort());
  });

  it("names each target as it is now, keeps the recorded name of deleted ones, and never names another workspace's", async () => {
    const { workspace, owner, members } = await makeWorkspace({ name: "Named Lab", roles: ["member", "viewer"] });
    const kept = await makeToken(owner, workspace.id, { name: "ci-deploy" });
    const gone = await makeToken(owner, workspace.id, { name: "old-laptop" });
    await deleteToken(owner, workspace.id, gone.id);
    const secret = (await createSecret(owner, workspace.id, { name: "hf-prod", value: "v-not-shown-1234567890" })).secret;
    await updateMemberRole(owner, workspace.id, members.viewer!.userId, { role: "member" });
    await removeMember(owner, workspace.id, members.member!.userId);
    await createInvitation(owner, workspace.id, { email: "grace@example.test", role: "viewer" });
    // Another workspace's token, named in a (made-up) event of this one: its name stays unsaid.
    const other = await makeWorkspace();
    const foreign = await makeToken(other.owner, other.workspace.id, { name: "foreign-secret-name" });
    await transaction((tx) => recordAudit(tx, owner, { workspaceId: workspace.id, action: "token.cancel", target: { type: "token", id: foreign.id }, result: "denied" }));
    await transaction((tx) => recordAudit(tx, owner, { workspaceId: workspace.id, action: "workload.delete", target: { type: "workload", id: "cmx57cgzg0099k2wl7a1b2c3d" } }));

    const { data } = await listAuditEvents(owner, workspace.id, { limit: 200 });
    const label = (action: string, id?: string) => data.find((e) => e.action === action && (!id || e.targetId === id))?.targetLabel;
    expect(label("token.create", kept.id)).toBe("ci-deploy");
    expect(label("token.delete", gone.id)).toBe("old-laptop (deleted)");
    expect(label("token.create", gone.id)).toBe("old-laptop (deleted)"); // the name its creation recorded
    expect(label("secret.create", secret.id)).toBe("hf-prod");
    expect(label("member.role.update")).toBe(members.viewer!.email);
    expect(label("member.remove")).toBe(`${members.member!.email} (not a member)`);
    expect(label("member.invite")).toBe("invitation to grace@example.test");
    expect(label("workspace.create")).toBe("Named Lab");
    expect(label("token.cancel")).toBe("deleted token");
    expect(label("workload.delete")).toBe("deleted workload");
    expect(JSON.stringify(data)).not.toContain("foreign-secret-name");
    // The API's list carries the names too (an optional field of AuditEvent).
    const res = await LIST(new Request(`http://localhost/api/v1/workspaces/${workspace.id}/audit?action=token.create`, { headers: bearer(kept.value) }), ctx(workspace.id));
    expect(res.status).toBe(200);
    expect((await res.json()).data.map((e: { targetLabel: string }) => e.targetLabel).sort()).toEqual(["ci-deploy", "old-laptop (deleted)"]);
  });

  it("says what a date filter expects", async () => {
    const { workspace, owner } = await makeWorkspace();
    const err = await listAuditEvents(owner, workspace.id, { from: "not-a-date" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details).toEqual([{ path: "from", message: "use a date like 2026-12-01 (the whole day in UTC), or a date and time like 2026-12-01T09:30:00Z" }]);
  });

  it("LOG-05: exports CSV and JSON Lines, streamed in batches, oldest first, with the filters", async () => {
    const { workspace, owner } = await makeWorkspace();
    const n = EXPORT_BATCH * 2 + 7;
    await seedEvents(workspace.id, n);
    const jsonl = await exportAuditEvents(owner, workspace.id, { format: "jsonl", actor: "seed@example.test" });
    expect(jsonl.contentType).toMatch(/^application\/x-ndjson/);
    let chunks = 0;
    let text = "";
    for await (const c of jsonl.chunks) {
      chunks++;
      text += c;
    }
    expect(chunks).toBe(3); // one per batch: never the whole log at once
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(n);
    expect(new Set(lines.map((l) => l.id)).size).toBe(n);
    const times = lines.map((l) => Date.parse(l.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const csv = await exportAuditEvents(owner, workspace.id, { format: "csv", action: "token.create", actor: "seed@example.test" });
    expect(csv.filename).toMatch(new RegExp(`^tessera-audit-${workspace.id}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const rows = parseCsv(await drain(csv.chunks));
    expect(rows[0]).toEqual(["createdAt", "workspaceId", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "ip", "userAgent", "requestId", "metadata", "id"]);
    expect(rows.slice(1).every((r) => r[5] === "token.create")).toBe(true);
    expect(rows).toHaveLength(1 + Math.ceil(n / 2));
    // The export is itself audited, with its format and filters.
    const exp = await listAuditEvents(owner, workspace.id, { action: "audit.export" });
    expect(exp.data[0]!.metadata).toMatchObject({ format: "csv" });

    // An empty export is a header (CSV) or nothing (JSON Lines), not an error.
    expect(parseCsv(await drain((await exportAuditEvents(owner, workspace.id, { format: "csv", actor: "nobody" })).chunks))).toHaveLength(1);
    expect(await drain((await exportAuditEvents(owner, workspace.id, { format: "jsonl", actor: "nobody" })).chunks)).toBe("");
  });

  it("LOG-06: neutralises spreadsheet formulas and keeps CR/LF inside fields from forging lines", async () => {
    const { workspace, owner } = await makeWorkspace();
    const evil = { ...owner, email: "=HYPERLINK(\"http://evil.example\")", meta: meta({ userAgent: "ua\r\nforged,line\n=1+1", ip: null }) };
    await transaction((tx) => recordAudit(tx, evil, { workspaceId: workspace.id, action: "workspace.update", target: { type: "workspace", id: workspace.id }, metadata: { note: "-2+3\r\nx" } }));
    expect(neutraliseCell("=1+1")).toBe("'=1+1");
    expect(neutraliseCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutraliseCell("plain")).toBe("plain");
    const rows = parseCsv(await drain((await exportAuditEvents(owner, workspace.id, { format: "csv", action: "workspace.update" })).chunks));
    expect(rows).toHaveLength(2);
    const [row] = rows.slice(1);
    expect(row![4]).toBe("'=HYPERLINK(\"http://evil.example\")");
    expect(row![10]).toBe("ua forged,line =1+1"); // control characters were removed when recorded
    const text = await drain((await exportAuditEvents(owner, workspace.id, { format: "jsonl", action: "workspace.update" })).chunks);
    expect(text.trimEnd().split("\n")).toHaveLength(1);
  });

  it("streams over HTTP with attachment headers; errors before the first byte use the envelope", async () => {
    const { workspace, owner } = await makeWorkspace();
    const t = await makeToken(owner, workspace.id);
    const res = await EXPORT(new Request(`http://localhost/api/v1/workspaces/${workspace.id}/audit/export?format=csv`, { headers: bearer(t.value) }), ctx(workspace.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="tessera-audit-/);
    expect(res.body).toBeInstanceOf(ReadableStream);
    expect((await res.text()).split("\n")[0]).toMatch(/^createdAt,workspaceId/);
    const bad = await EXPORT(new Request(`http://localhost/api/v1/workspaces/${workspace.id}/audit/export?format=xlsx`, { headers: bearer(t.value) }), ctx(workspace.id));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toMatch(/format/);
  });

  it("TOK-13 LOG-03: never holds a token value, an invitation link, or a hash", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const t = await makeToken(owner, workspace.id);
    const ws = await makeToken(owner, workspace.id, { kind: "workspace", role: "viewer" });
    const inv = await createInvitation(owner, workspace.id, { email: "canary@example.test", role: "viewer" });
    const code = inv.link.split("/invite/")[1]!;
    const hashes = (await db().token.findMany({ where: { workspaceId: workspace.id } })).map((x) => x.hash);
    const inviteHash = (await db().invitation.findFirstOrThrow({ where: { workspaceId: workspace.id } })).tokenHash;
    const everything =
      JSON.stringify(await listAuditEvents(owner, workspace.id, { limit: 200 })) +
      (await drain((await exportAuditEvents(owner, workspace.id, { format: "csv" })).chunks)) +
      (await drain((await exportAuditEvents(owner, workspace.id, { format: "jsonl" })).chunks));
    expect(everything).toContain("token.create");
    for (const secret of [t.value, ws.value, code, ...hashes, inviteHash]) expect(everything).not.toContain(secret);
    await expect(transaction((tx) => recordAudit(tx, owner, { workspaceId: workspace.id, action: "x.y", metadata: { token: "nope" } }))).rejects.toThrow(/may not contain/);
  });

  it("keeps events for the retention period: older ones are purged in batches, with an audit.purge event", async () => {
    const { workspace, owner, members } = await makeWorkspace({ roles: ["member", "admin"] });
    const other = await makeWorkspace();
    await seedEvents(workspace.id, 30, { createdAt: new Date(Date.now() - 40 * 86_400_000) });
    await seedEvents(other.workspace.id, 5, { createdAt: new Date(Date.now() - 40 * 86_400_000) });
    expect(await code(setAuditRetention(members.member!, workspace.id, { days: 30 }))).toBe("FORBIDDEN");
    for (const days of [0, -1, 1.5, 3651, "30" as never]) expect(await code(setAuditRetention(owner, workspace.id, { days }))).toBe("VALIDATION_FAILED");
    expect(await setAuditRetention(members.admin!, workspace.id, { days: 30 })).toEqual({ days: 30 });
    expect(await purgeExpiredAuditEvents()).toBe(30);
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, actorId: "seeded" } })).toBe(0);
    expect(await db().auditEvent.count({ where: { workspaceId: other.workspace.id, actorId: "seeded" } })).toBe(5); // no retention there
    expect((await listAuditEvents(owner, workspace.id, { action: "audit.purge" })).data[0]!.metadata).toMatchObject({ deleted: 30, retentionDays: 30 });
    expect((await listAuditEvents(owner, workspace.id, { action: "audit.retention.update" })).data[0]!.metadata).toEqual({ from: null, to: 30 });
    expect(await purgeExpiredAuditEvents()).toBe(0);

    const t = await makeToken(owner, workspace.id);
    const res = await RETENTION(
      new Request(`http://localhost/api/v1/workspaces/${workspace.id}/audit/retention`, { method: "PUT", headers: { ...bearer(t.value), "content-type": "application/json" }, body: JSON.stringify({ days: null }) }),
      ctx(workspace.id),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ days: null });
    expect((await db().workspace.findUniqueOrThrow({ where: { id: workspace.id } })).auditRetentionDays).toBeNull();
  });
});
