// Two production servers on one PostgreSQL database: the limits that must hold across instances
// are counted once for both (failed sign-ins, invitation guessing, secret match checks: alternated
// between the servers, the shared limit is reached, not one per server), and the purge job runs on
// one instance at a time through its lease, which another instance takes over once the holder
// has been killed and its lease has expired. Waits are for events (a log line, a row), not time.
// (PostgreSQL project only: TEST_POSTGRES_URL.)
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { generateInvitationCode } from "@/lib/auth/token-format";
import { closeDb, db } from "@/lib/db/client";
import { PURGE_LEASE } from "@/lib/jobs/audit-retention";
import { setAuditRetention } from "@/lib/services/audit";
import { ACCEPT_FAILURE_LIMIT } from "@/lib/services/invitations";
import { createSecret, MATCH_LIMIT } from "@/lib/services/secrets";
import { PAIR_FAILURE_LIMIT } from "@/lib/services/users";
import { bearer, makeToken, makeWorkspace } from "../helpers/fixtures";
import { ROOT, startFileServer, type RunningServer } from "../helpers/server";
import { cookiesOf, postSignIn } from "../helpers/sign-in";

const RUN = process.env.TEST_DB === "postgres";
/** The purge's period on both servers (its lease lasts two periods). */
const PERIOD_S = 10;
const EXPIRED_EVENTS = 25;
const PASSWORD = "correct horse battery staple";

let servers: RunningServer[] = [];
let workspaceId: string;
let ownerToken: string;
let secretId: string;
let guestEmail: string;

type LogLine = { msg?: string; instance?: string; holder?: string; deleted?: number; leaseUntil?: string };
function logLines(server: RunningServer): LogLine[] {
  return server
    .output()
    .split("\n")
    .flatMap((l) => {
      if (!l.startsWith("{")) return [];
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });
}
const TAKEN = "purge: lease taken, running";
const SKIPPED = "purge: skipped, another instance holds the lease";

/** Polls `check` until it returns a value (events: a log line, a row), or fails after `timeoutMs`. */
async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!RUN) return;
  const { workspace, owner } = await makeWorkspace({ active: true });
  workspaceId = workspace.id;
  ownerToken = (await makeToken(owner, workspace.id)).value;
  secretId = (await createSecret(owner, workspace.id, { name: "shared-key", value: "the-stored-value-0123456789" })).secret.id;
  guestEmail = "guest@example.test";
  await db().user.create({ data: { email: guestEmail, name: "Guest", passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() } });
  // Events past the workspace's retention, for the purge.
  await setAuditRetention(owner, workspace.id, { days: 30 });
  const old = new Date(Date.now() - 40 * 86_400_000);
  await db().auditEvent.createMany({
    data: Array.from({ length: EXPIRED_EVENTS }, (_, i) => ({ workspaceId, actorType: "system", action: "token.create", result: "success", targetId: `expired-${i}`, createdAt: old })),
  });
  await closeDb();
  // Both at once, each with its purge due at start-up and then every PERIOD_S seconds.
  const extra = { TESSERA_LOG_LEVEL: "debug", TESSERA_PURGE_FIRST_AFTER_SECONDS: "0", TESSERA_PURGE_INTERVAL_SECONDS: String(PERIOD_S) };
  servers = await Promise.all([startFileServer("inst-a", extra), startFileServer("inst-b", extra)]);
}, 480_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** The i-th request goes to server i mod 2. */
const alternate = (i: number) => servers[i % 2]!;

describe.runIf(RUN)("two instances on one PostgreSQL database", { timeout: 240_000 }, () => {
  it("RL-01: limit failed sign-ins alternated between them at the shared count, not once per instance", async () => {
    const email = "victim@example.test";
    for (let i = 0; i < PAIR_FAILURE_LIMIT; i++) {
      const res = await postSignIn(alternate(i).url, email, "wrong-password-123");
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    // The limit is reached across both: the next attempt is refused on either server.
    for (const server of servers) {
      const res = await postSignIn(server.url, email, "wrong-password-123");
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("RL-01: limit invitation-link guessing alternated between them at the shared count", async () => {
    const signedIn = await postSignIn(servers[0]!.url, guestEmail, PASSWORD);
    expect(signedIn.status).toBe(200);
    const cookie = cookiesOf(signedIn);
    expect(cookie).toContain("tessera.session=");
    // The accept button's server action, called as the page calls it (same build on both servers).
    const manifest = JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as { node: Record<string, { exportedName?: string }> };
    const actionId = Object.entries(manifest.node).find(([, v]) => v.exportedName === "acceptInvitationAction")![0];
    const guess = async (server: RunningServer) => {
      const res = await fetch(`${server.url}/invite/guess`, {
        method: "POST",
        headers: { "next-action": actionId, origin: server.url, cookie, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8" },
        body: JSON.stringify([{ code: generateInvitationCode() }]),
      });
      expect(res.status).toBe(200);
      return /"code":"([A-Z_]+)"/.exec(await res.text())?.[1];
    };
    for (let i = 0; i < ACCEPT_FAILURE_LIMIT; i++) expect(await guess(alternate(i)), `guess ${i + 1}`).toBe("NOT_FOUND");
    for (const server of servers) expect(await guess(server)).toBe("RATE_LIMITED");
  });

  it("RL-01: limit secret match checks alternated between them at the shared count", async () => {
    const match = (server: RunningServer) =>
      fetch(`${server.url}/api/v1/workspaces/${workspaceId}/secrets/${secretId}/match`, {
        method: "POST",
        headers: { ...bearer(ownerToken), "content-type": "application/json" },
        body: JSON.stringify({ value: "a-wrong-guess" }),
      });
    for (let i = 0; i < MATCH_LIMIT; i++) {
      const res = await match(alternate(i));
      expect(res.status, `check ${i + 1}`).toBe(200);
      expect(await res.json()).toEqual({ match: false });
    }
    for (const server of servers) {
      const res = await match(server);
      expect(res.status).toBe(429);
      expect((await res.json()).error.code).toBe("RATE_LIMITED");
    }
  });

  it("run the purge, started on both at once, on one of them: each expired event is deleted once", async () => {
    // Each server's first attempt, taken or skipped, is in its log.
    const first = await until("both servers' first purge attempt", () => {
      const found = servers.map((s) => logLines(s).find((l) => l.msg === TAKEN || l.msg === SKIPPED));
      return found.every(Boolean) ? (found as LogLine[]) : undefined;
    });
    expect(first.map((l) => l.msg).sort()).toEqual([TAKEN, SKIPPED]);
    const holder = first.find((l) => l.msg === TAKEN)!.instance!;
    expect(first.find((l) => l.msg === SKIPPED)!.holder).toBe(holder);
    expect((await db().jobLease.findUniqueOrThrow({ where: { name: PURGE_LEASE } })).holder).toBe(holder);
    // The expired events are gone, deleted by one run: one audit.purge event, one log line, on the holder.
    expect(await db().auditEvent.count({ where: { workspaceId, targetId: { startsWith: "expired-" } } })).toBe(0);
    const purges = await db().auditEvent.findMany({ where: { workspaceId, action: "audit.purge" } });
    expect(purges.map((p) => JSON.parse(p.metadata!).deleted)).toEqual([EXPIRED_EVENTS]);
    const deletions = servers.flatMap((s) => logLines(s).filter((l) => l.msg === "audit retention: old events deleted"));
    expect(deletions).toEqual([expect.objectContaining({ deleted: EXPIRED_EVENTS, instance: holder })]);
    // Only the holder has run it so far (it renews its lease at each run; the other keeps skipping).
    const runners = new Set(servers.flatMap((s) => logLines(s).filter((l) => l.msg === TAKEN).map((l) => l.instance)));
    expect([...runners]).toEqual([holder]);
  });

  it("let the other instance take the purge over once the killed holder's lease has expired", async () => {
    const lease = await db().jobLease.findUniqueOrThrow({ where: { name: PURGE_LEASE } });
    const holderIndex = servers.findIndex((s) => logLines(s).some((l) => l.msg === TAKEN && l.instance === lease.holder));
    expect(holderIndex).toBeGreaterThanOrEqual(0);
    const [killed, survivor] = [servers[holderIndex]!, servers[1 - holderIndex]!];
    const survivorId = logLines(survivor).find((l) => l.msg === SKIPPED)!.instance!;
    // kill -9 the holder (its process group: the launcher and the server): no clean shutdown.
    const exited = new Promise((r) => killed.child.once("exit", r));
    process.kill(-killed.child.pid!, "SIGKILL");
    await exited;
    const killedLease = await db().jobLease.findUniqueOrThrow({ where: { name: PURGE_LEASE } });
    // The survivor takes it: the row names it, and its log says so.
    const taken = await until(
      "the survivor to take the lease over",
      async () => {
        const row = await db().jobLease.findUniqueOrThrow({ where: { name: PURGE_LEASE } });
        return row.holder === lease.holder ? undefined : row;
      },
      6 * PERIOD_S * 1000 + 60_000,
    );
    expect(taken.holder).toBe(survivorId);
    await until("the survivor's log line", () => logLines(survivor).find((l) => l.msg === TAKEN && l.instance === survivorId));
    // Not before the dead holder's lease expired: the survivor took it at expiresAt minus two periods.
    const takenAt = taken.expiresAt.getTime() - 2 * PERIOD_S * 1000;
    expect(takenAt).toBeGreaterThanOrEqual(killedLease.expiresAt.getTime());
  });
});
