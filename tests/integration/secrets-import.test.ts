// Importing secrets from a dotenv file (issue 16): the preview (dry run) writes nothing; every line
// is classified new / replaced / skipped / invalid; one invalid line refuses the whole apply (422,
// per line, nothing written); the apply is one transaction with one audit event per secret; another
// workspace answers 404, a viewer 403; and no value is ever in an answer, an error or the audit log.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as IMPORT } from "@/app/api/v1/workspaces/[workspaceId]/secrets/import/route";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { MAX_IMPORT_LINES } from "@/lib/schemas/secret";
import { createSecret, importSecrets, listSecrets, matchSecret } from "@/lib/services/secrets";
import { bearer, makeToken, makeWorkspace } from "../helpers/fixtures";

const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).message));

/** Values that must never come back: each a unique canary. */
function canaries() {
  return { hf: `hf_${randomUUID().replace(/-/g, "")}`, db: `db-${randomUUID()}`, existing: `old-${randomUUID()}`, next: `next-${randomUUID()}`, bad: `bad-${randomUUID()}` };
}

async function auditText(ws: string) {
  return JSON.stringify(await db().auditEvent.findMany({ where: { workspaceId: ws } }));
}

describe("secrets.import", () => {
  it("previews without writing, then applies in one go: new, replaced, skipped, audited per secret, never a value", async () => {
    const w = await makeWorkspace({ active: true, roles: ["member"] });
    const ws = w.workspace.id;
    const v = canaries();
    const kept = await createSecret(w.owner, ws, { name: "KEPT", value: v.existing, visibility: "public" });
    const replaced = await createSecret(w.owner, ws, { name: "ROTATED", value: v.existing, visibility: "public" });
    const text = `# comment\nHF_TOKEN=${v.hf}\nexport DB_PASSWORD="${v.db}"\nROTATED=${v.next}\n`;

    const before = await db().auditEvent.count({ where: { workspaceId: ws } });
    const preview = await importSecrets(w.owner, ws, { dotenv: text, dryRun: true, replace: true, visibility: "public" });
    expect(preview).toMatchObject({ dryRun: true, applied: false, counts: { new: 2, replaced: 1, skipped: 0, invalid: 0 } });
    expect(preview.lines.map((l) => [l.line, l.name, l.status, l.preset])).toEqual([
      [2, "HF_TOKEN", "new", "huggingface"],
      [3, "DB_PASSWORD", "new", "custom"],
      [4, "ROTATED", "replaced", "custom"],
    ]);
    // A preview writes nothing (not even audit events).
    expect((await listSecrets(w.owner, ws)).map((s) => s.name).sort()).toEqual(["KEPT", "ROTATED"]);
    expect(await db().auditEvent.count({ where: { workspaceId: ws } })).toBe(before);

    const res = await IMPORT(
      new Request(`http://localhost/api/v1/workspaces/${ws}/secrets/import`, {
        method: "POST",
        headers: { ...bearer((await makeToken(w.owner, ws)).value), "content-type": "application/json" },
        body: JSON.stringify({ dotenv: `${text}KEPT=${v.next}\n`, replace: false, visibility: "public" }),
      }),
      ctx({ workspaceId: ws }),
    );
    const raw = await res.text();
    expect(res.status, raw).toBe(200);
    const body = JSON.parse(raw);
    // replace: false — the existing secrets are skipped, the new ones created.
    expect(body).toMatchObject({ dryRun: false, applied: true, counts: { new: 2, replaced: 0, skipped: 2, invalid: 0 } });
    for (const value of Object.values(v)) expect(raw).not.toContain(value);
    const after = await listSecrets(w.owner, ws);
    expect(after.map((s) => [s.name, s.envName, s.visibility, s.preset])).toEqual([
      ["DB_PASSWORD", "DB_PASSWORD", "public", "custom"],
      ["HF_TOKEN", "HF_TOKEN", "public", "huggingface"],
      ["KEPT", null, "public", "custom"],
      ["ROTATED", null, "public", "custom"],
    ]);
    expect(await matchSecret(w.owner, ws, kept.secret.id, { value: v.existing })).toEqual({ match: true });
    const hf = after.find((s) => s.name === "HF_TOKEN")!;
    expect(await matchSecret(w.owner, ws, hf.id, { value: v.hf })).toEqual({ match: true });

    // Now with replace: ROTATED gets the new value as version 2.
    const again = await importSecrets(w.owner, ws, { dotenv: `ROTATED=${v.next}\n`, replace: true, visibility: "public" });
    expect(again.counts).toEqual({ new: 0, replaced: 1, skipped: 0, invalid: 0 });
    expect(await matchSecret(w.owner, ws, replaced.secret.id, { value: v.next })).toEqual({ match: true });
    expect((await listSecrets(w.owner, ws)).find((s) => s.name === "ROTATED")!.version).toBe(2);

    const events = await db().auditEvent.findMany({ where: { workspaceId: ws, createdAt: { gte: new Date(0) } }, orderBy: { createdAt: "asc" } });
    const imported = events.filter((e) => e.action !== "secret.match" && e.action !== "workspace.data_key.rotate").slice(-5).map((e) => e.action);
    expect(imported).toEqual(["secret.create", "secret.create", "secret.import", "secret.value.replace", "secret.import"]);
    const audit = await auditText(ws);
    expect(events.filter((e) => (typeof e.metadata === "string" ? JSON.parse(e.metadata) : e.metadata)?.source === "import").length).toBe(3);
    for (const value of Object.values(v)) expect(audit).not.toContain(value);
  });

  it("reports invalid lines (malformed, duplicate, bad name, a value its preset refuses) in the preview; the apply answers 422 per line and writes nothing", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    const v = canaries();
    const text = [`GOOD=${v.db}`, `not a line ${v.bad}`, `GOOD=${v.next}`, `_UNDERSCORE=${v.bad}`, `SSH_PUBLIC_KEY=${v.bad}`, `OPEN="${v.bad}`].join("\n");
    const preview = await importSecrets(w.owner, ws, { dotenv: text, dryRun: true });
    expect(preview.counts).toEqual({ new: 1, replaced: 0, skipped: 0, invalid: 5 });
    expect(preview.lines.map((l) => [l.line, l.status])).toEqual([
      [1, "new"],
      [2, "invalid"],
      [3, "invalid"],
      [4, "invalid"],
      [5, "invalid"],
      [6, "invalid"],
    ]);
    expect(preview.lines[2]!.reason).toMatch(/GOOD is set again \(first on line 1\)/);
    expect(preview.lines[3]!.reason).toMatch(/secret name may contain/);
    expect(preview.lines[4]!.reason).toMatch(/not a valid SSH public key/);

    const res = await IMPORT(
      new Request(`http://localhost/api/v1/workspaces/${ws}/secrets/import`, {
        method: "POST",
        headers: { ...bearer((await makeToken(w.owner, ws)).value), "content-type": "application/json" },
        body: JSON.stringify({ dotenv: text }),
      }),
      ctx({ workspaceId: ws }),
    );
    const raw = await res.text();
    expect(res.status).toBe(422);
    const err = JSON.parse(raw).error;
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.message).toMatch(/5 lines cannot be imported .*nothing was imported/);
    expect(err.details.map((d: { path: string }) => d.path)).toEqual(["dotenv.line.2", "dotenv.line.3", "dotenv.line.4", "dotenv.line.5", "dotenv.line.6"]);
    for (const value of Object.values(v)) expect(raw).not.toContain(value);
    expect(await listSecrets(w.owner, ws)).toEqual([]);
    expect(await auditText(ws)).not.toContain(v.db);
  });

  it("refuses a file with no variable, and one with too many", async () => {
    const w = await makeWorkspace({ active: true });
    const ws = w.workspace.id;
    expect(await code(importSecrets(w.owner, ws, { dotenv: "# only a comment\n\n", dryRun: true }))).toBe("VALIDATION_FAILED");
    const many = Array.from({ length: MAX_IMPORT_LINES + 1 }, (_, i) => `K${i}=v`).join("\n");
    expect(await code(importSecrets(w.owner, ws, { dotenv: many, dryRun: true }))).toBe("VALIDATION_FAILED");
    expect(await code(importSecrets(w.owner, ws, { dotenv: "A=1", dryRun: "yes" as never }))).toBe("VALIDATION_FAILED");
  });

  it("another workspace answers 404; a viewer and a read-only token are refused; nothing is written", async () => {
    const a = await makeWorkspace({ active: true, roles: ["viewer", "member"] });
    const b = await makeWorkspace({ active: true });
    const ws = a.workspace.id;
    expect(await code(importSecrets(b.owner, ws, { dotenv: "X=1", dryRun: true }))).toBe("NOT_FOUND");
    expect(await code(importSecrets(a.members.viewer!, ws, { dotenv: "X=1", dryRun: true }))).toBe("FORBIDDEN");
    // A member may import private secrets, not public ones (secret.manage).
    expect(await code(importSecrets(a.members.member!, ws, { dotenv: "X=1", visibility: "public" }))).toBe("FORBIDDEN");
    const readOnly = await makeToken(a.owner, ws, { kind: "user", scopes: ["read"] } as never);
    expect(await code(importSecrets(readOnly.actor, ws, { dotenv: "X=1" }))).toBe("FORBIDDEN");
    expect(await db().secret.count({ where: { workspaceId: ws } })).toBe(0);
    expect(await db().auditEvent.count({ where: { workspaceId: ws, action: "secret.import", result: "denied" } })).toBe(4); // the outsider's probe too
  });

  it("never replaces what the caller may not change: another member's private secret, or a public one without secret.manage", async () => {
    const w = await makeWorkspace({ active: true, roles: ["member"] });
    const ws = w.workspace.id;
    const v = canaries();
    await createSecret(w.owner, ws, { name: "OWNERS_PRIVATE", value: v.existing });
    await createSecret(w.owner, ws, { name: "SHARED", value: v.existing, visibility: "public" });
    const member = w.members.member!;
    const preview = await importSecrets(member, ws, { dotenv: `OWNERS_PRIVATE=${v.next}\nSHARED=${v.next}\nMINE=${v.db}\n`, replace: true, dryRun: true });
    expect(preview.lines.map((l) => [l.name, l.status])).toEqual([
      ["OWNERS_PRIVATE", "invalid"],
      ["SHARED", "invalid"],
      ["MINE", "new"],
    ]);
    expect(preview.lines[1]!.reason).toMatch(/does not allow secret.manage/);
    // Without replace, both are merely skipped, and the member's own secret is created (private).
    const applied = await importSecrets(member, ws, { dotenv: `OWNERS_PRIVATE=${v.next}\nSHARED=${v.next}\nMINE=${v.db}\n` });
    expect(applied.counts).toEqual({ new: 1, replaced: 0, skipped: 2, invalid: 0 });
    const mine = (await listSecrets(member, ws)).find((s) => s.name === "MINE")!;
    expect(mine).toMatchObject({ visibility: "private", createdById: member.userId });
  });

  it("tells a member nothing of another member's private secret but that its name is taken: no id, no preset, no check against its preset", async () => {
    const w = await makeWorkspace({ active: true, roles: ["member"] });
    const ws = w.workspace.id;
    const v = canaries();
    const { secret } = await createSecret(w.owner, ws, { name: "HF_TOKEN", preset: "huggingface", value: v.hf });
    const member = w.members.member!;
    // Skipped (replace not chosen): neither the id nor the preset of a secret the member cannot see.
    const skipped = await importSecrets(member, ws, { dotenv: `HF_TOKEN=${v.next}
`, dryRun: true });
    expect(skipped.lines[0]).toMatchObject({ name: "HF_TOKEN", status: "skipped", secretId: null, preset: null });
    expect(JSON.stringify(skipped)).not.toContain(secret.id);
    // With replace: refused alike whatever the value (a check against its preset would tell the preset).
    const replaced = await importSecrets(member, ws, { dotenv: `HF_TOKEN=${v.next}
`, replace: true, dryRun: true });
    expect(replaced.lines[0]).toMatchObject({ status: "invalid", reason: "a secret of this name exists that you cannot change", preset: null, secretId: null });
    // The owner, its creator, still sees both on a skip.
    const own = await importSecrets(w.owner, ws, { dotenv: `HF_TOKEN=${v.next}
`, dryRun: true });
    expect(own.lines[0]).toMatchObject({ status: "skipped", secretId: secret.id, preset: "huggingface" });
  });

  it("a 256 KiB line of spaces parses in one pass (the comment search once backtracked quadratically: ~40 s of a blocked server), even for an outsider", async () => {
    const a = await makeWorkspace({ active: true });
    const b = await makeWorkspace({ active: true });
    const dotenv = `A=x${" ".repeat(255 * 1024)}y`;
    // Refused (404) for the outsider, answered for the owner: neither waits on the parse.
    expect(await code(importSecrets(b.owner, a.workspace.id, { dotenv, dryRun: true }))).toBe("NOT_FOUND");
    const preview = await importSecrets(a.owner, a.workspace.id, { dotenv, dryRun: true });
    expect(preview.lines).toMatchObject([{ line: 1, key: "A", status: "invalid", reason: expect.stringMatching(/at most 64 KiB/) }]);
  });

  it("an unquoted multi-line key pasted as is: its base64 lines ending in '=' are reported by number, never by their text", async () => {
    const w = await makeWorkspace({ active: true });
    const chunk = "QyNTUxOQAAACBsZWFrZWRfcHJpdmF0ZV9rZXlfbWF0ZXJpYWxfaGVyZQ";
    const dotenv = ["SSH_KEY=-----BEGIN OPENSSH PRIVATE KEY-----", `${chunk}=`, `${chunk}=`, "-----END OPENSSH PRIVATE KEY-----"].join("\n");
    const preview = await importSecrets(w.owner, w.workspace.id, { dotenv, dryRun: true });
    expect(preview.lines.filter((l) => l.line > 1).map((l) => [l.line, l.status])).toEqual([
      [2, "invalid"],
      [3, "invalid"],
      [4, "invalid"],
    ]);
    expect(JSON.stringify(preview)).not.toContain(chunk);
    const err = await importSecrets(w.owner, w.workspace.id, { dotenv }).catch((e: unknown) => e as AppError);
    expect(err).toBeInstanceOf(AppError);
    expect(JSON.stringify({ message: (err as AppError).message, details: (err as AppError).details })).not.toContain(chunk);
  });
});
