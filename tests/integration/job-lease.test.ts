// Job leases (lib/services/job-lease.ts): one holder at a time, decided by the database (truly
// concurrent callers on PostgreSQL), renewed by its holder, taken over once expired; and the purge
// job run by two instances at once purges once.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { PURGE_LEASE, runPurge } from "@/lib/jobs/audit-retention";
import { setAuditRetention } from "@/lib/services/audit";
import { takeLease } from "@/lib/services/job-lease";
import { makeWorkspace } from "../helpers/fixtures";

const MINUTE = 60_000;

describe("job leases", () => {
  it("go to exactly one of many callers asking at once, and the others learn who holds it", async () => {
    for (const name of ["fresh", "expired"]) {
      // "expired": held by an instance that crashed a while ago.
      if (name === "expired") await db().jobLease.create({ data: { name, holder: "crashed", expiresAt: new Date(Date.now() - MINUTE) } });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => takeLease(name, `holder-${i}`, MINUTE)));
      const winners = results.flatMap((r, i) => (r.taken ? [`holder-${i}`] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (!r.taken) expect(r.holder).toBe(winners[0]);
      expect((await db().jobLease.findUniqueOrThrow({ where: { name } })).holder).toBe(winners[0]);
    }
  });

  it("are renewed by their holder, refused to others until they expire, then taken over", async () => {
    const t0 = new Date();
    expect(await takeLease("job", "a", 10 * MINUTE, t0)).toEqual({ taken: true, expiresAt: new Date(t0.getTime() + 10 * MINUTE) });
    // Another instance, before expiry: refused, told who holds it and until when.
    expect(await takeLease("job", "b", 10 * MINUTE, new Date(t0.getTime() + 9 * MINUTE))).toEqual({
      taken: false,
      holder: "a",
      expiresAt: new Date(t0.getTime() + 10 * MINUTE),
    });
    // The holder renews before expiry.
    const renewed = await takeLease("job", "a", 10 * MINUTE, new Date(t0.getTime() + 5 * MINUTE));
    expect(renewed).toEqual({ taken: true, expiresAt: new Date(t0.getTime() + 15 * MINUTE) });
    expect((await takeLease("job", "b", 10 * MINUTE, new Date(t0.getTime() + 14 * MINUTE))).taken).toBe(false);
    // "a" crashed and stopped renewing: once its lease has expired, "b" takes it over, and "a" (back) is refused.
    const later = new Date(t0.getTime() + 15 * MINUTE);
    expect(await takeLease("job", "b", 10 * MINUTE, later)).toEqual({ taken: true, expiresAt: new Date(later.getTime() + 10 * MINUTE) });
    expect(await takeLease("job", "a", 10 * MINUTE, new Date(later.getTime() + MINUTE))).toMatchObject({ taken: false, holder: "b" });
    // Leases of other jobs are independent.
    expect((await takeLease("other-job", "a", MINUTE)).taken).toBe(true);
  });

  it("let one of two instances running the purge at once purge, and each expired event is deleted once", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    await setAuditRetention(owner, workspace.id, { days: 30 });
    const old = new Date(Date.now() - 40 * 86_400_000);
    await db().auditEvent.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ workspaceId: workspace.id, actorType: "system", action: "token.create", result: "success", targetId: `old${i}`, createdAt: old })),
    });
    const outcomes = await Promise.all([runPurge("instance-a", MINUTE), runPurge("instance-b", MINUTE)]);
    expect([...outcomes].sort()).toEqual(["ran", "skipped"]);
    const ranOn = outcomes[0] === "ran" ? "instance-a" : "instance-b";
    expect((await db().jobLease.findUniqueOrThrow({ where: { name: PURGE_LEASE } })).holder).toBe(ranOn);
    expect(await db().auditEvent.count({ where: { workspaceId: workspace.id, targetId: { startsWith: "old" } } })).toBe(0);
    const purges = await db().auditEvent.findMany({ where: { workspaceId: workspace.id, action: "audit.purge" } });
    expect(purges).toHaveLength(1);
    expect(JSON.parse(purges[0]!.metadata!)).toMatchObject({ deleted: 25 });
    // The next period: the holder runs again, the other still skips.
    const other = ranOn === "instance-a" ? "instance-b" : "instance-a";
    expect(await runPurge(other, MINUTE)).toBe("skipped");
    expect(await runPurge(ranOn, MINUTE)).toBe("ran");
  });
});
