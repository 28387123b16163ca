// Names and other user-visible text refuse invisible characters: Unicode controls, zero-width
// characters, bidirectional overrides and isolates (a name such as "admin\u202Egpj.exe" shows
// reordered). One helper, lib/schemas/common.ts visibleText, holds the rule for every field.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PATCH as PATCH_WS } from "@/app/api/v1/workspaces/[workspaceId]/route";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hiddenCharacter } from "@/lib/schemas/common";
import { signUpSchema } from "@/lib/schemas/user";
import { createToken, updateToken } from "@/lib/services/tokens";
import { signInWithOidc } from "@/lib/services/users";
import { createWorkload } from "@/lib/services/workloads";
import { createWorkspace, renameWorkspace, requestActivation, reviewActivation } from "@/lib/services/workspaces";
import { bearer, makeToken, makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : (e as Error).message));

// Zero-width space, zero-width non-joiner and joiner, right-to-left override, left-to-right
// isolate, pop directional isolate, byte-order mark (inside), soft hyphen, line separator, NUL, DEL.
const HIDDEN = ["\u200B", "\u200C", "\u200D", "\u202E", "\u2066", "\u2069", "\uFEFF", "\u00AD", "\u2028", "\u0000", "\u007F"];
const VISIBLE = ["Zoë's lab", "研究チーム", "فريق البحث", "GPU 🚀 team", "O'Brien-Smith (ops)"];

describe("invisible characters in names", () => {
  it("the shared check finds each one and names it; real names in any script pass", () => {
    for (const ch of HIDDEN) expect(hiddenCharacter(`ab${ch}cd`), JSON.stringify(ch)).toMatch(/^U\+[0-9A-F]{4}$/);
    expect(hiddenCharacter("admin\u202Egpj.exe")).toBe("U+202E");
    for (const name of VISIBLE) expect(hiddenCharacter(name), name).toBeNull();
    expect(hiddenCharacter("line one\nline two\ttab", true)).toBeNull();
    expect(hiddenCharacter("line one\nline two")).toBe("U+000A");
    expect(hiddenCharacter("line one\u2028line two", true)).toBe("U+2028");
    expect(signUpSchema.safeParse({ name: "Ada\u200BLovelace", email: "ada@example.test", password: "x" }).success).toBe(false);
    expect(signUpSchema.safeParse({ name: "Ada Lovelace", email: "ada@example.test", password: "x" }).success).toBe(true);
  });

  it("are refused in workspace, token, workload and activation fields, with a 422 that names the character", async () => {
    const owner = await makeUser("names");
    for (const ch of HIDDEN) expect(await code(createWorkspace(owner, { name: `Acme${ch}Labs` })), JSON.stringify(ch)).toBe("VALIDATION_FAILED");
    for (const name of VISIBLE) expect(await code(createWorkspace(owner, { name })), name).toBe("OK");

    const { workspace, owner: o } = await makeWorkspace({ active: true });
    expect(await code(renameWorkspace(o, workspace.id, { name: "Acme\u202Etxt" }))).toBe("VALIDATION_FAILED");
    const { value } = await makeToken(o, workspace.id);
    const res = await PATCH_WS(
      new Request(`http://localhost/api/v1/workspaces/${workspace.id}`, { method: "PATCH", headers: { ...bearer(value), "content-type": "application/json" }, body: JSON.stringify({ name: "pay\u202Elexe.pdf" }) }),
      { params: Promise.resolve({ workspaceId: workspace.id }) },
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(body.error.details)).toContain("U+202E");
    expect((await db().workspace.findUniqueOrThrow({ where: { id: workspace.id } })).name).toBe("Acme");

    expect(await code(createToken(o, workspace.id, { name: "ci\u200Bdeploy" }))).toBe("VALIDATION_FAILED");
    expect(await code(createToken(o, workspace.id, { name: "ci", description: "for \u2066CI\u2069" }))).toBe("VALIDATION_FAILED");
    const t = await createToken(o, workspace.id, { name: "ci", description: "deploys\nfrom main" });
    expect(await code(updateToken(o, workspace.id, t.id, { action: "rename", name: "ci\u200D" }))).toBe("VALIDATION_FAILED");
    const wl = () => `wl-${randomUUID().slice(0, 8)}`;
    expect(await code(createWorkload(o, workspace.id, { name: wl(), kind: "job", description: "nightly\u202E" }))).toBe("VALIDATION_FAILED");
    expect(await code(createWorkload(o, workspace.id, { name: wl(), kind: "job", description: "nightly\ntraining run" }))).toBe("OK");

    const pending = await createWorkspace(o, { name: "Pending" });
    expect(await code(requestActivation(o, pending.id, { organisation: "Acme\u200BLabs", useCase: "Training models on GPUs" }))).toBe("VALIDATION_FAILED");
    expect(await code(requestActivation(o, pending.id, { organisation: "Acme Labs", useCase: "Training \u202Emodels on GPUs" }))).toBe("VALIDATION_FAILED");
    await requestActivation(o, pending.id, { organisation: "Acme Labs", useCase: "Training models\non GPUs" });
    const admin = { ...(await makeUser("platform")), isPlatformAdmin: true };
    expect(await code(reviewActivation(admin, pending.id, { decision: "reject", reason: "Tell us\u200B more" }))).toBe("VALIDATION_FAILED");
  });

  it("are removed from a name that comes from an SSO profile", async () => {
    const sub = `sub-${randomUUID()}`;
    const user = await signInWithOidc("oidc", { sub, email: `${sub}@corp.example`, email_verified: true, name: "Grace\u202E Hopper\u200B" }, meta());
    expect(user.name).toBe("Grace Hopper");
    const sub2 = `sub-${randomUUID()}`;
    expect((await signInWithOidc("oidc", { sub: sub2, email: `${sub2}@corp.example`, email_verified: true, name: "\u200B\u200D" }, meta())).name).toBeNull();
  });
});
