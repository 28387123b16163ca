// Sign-up through its route (POST /api/signup, security.md RL-03): the same answer, and similar
// timing, for a new address and one that already has an account; nothing is created or changed
// for the existing one, whose owner gets a notice mail (a real SMTP server, in process); and a
// limit per client address (429 with Retry-After).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailbox, type Mailbox, type ReceivedMail } from "../helpers/mailbox";

let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  // Read by lib/config on first use (no module has loaded the configuration yet).
  process.env.TESSERA_SMTP_URL = mailbox.url;
  process.env.TESSERA_PUBLIC_URL = "https://tessera.example.test";
});

afterAll(() => mailbox.close());

/**
 * The next mail to this address with this subject: a new account also gets its verification link
 * (in the background, so it may arrive after a notice is awaited), and that is not the notice.
 */
const NOTICE = "Someone tried to create a Tessera account with your address";
const nextMail = (to: string, subject = NOTICE) => mailbox.next((m) => m.to.includes(to) && m.subject.includes(subject));
const noticesTo = (to: string) => mailbox.received.filter((m: ReceivedMail) => m.to.includes(to) && m.subject === NOTICE).length;
const uniq = () => Math.random().toString(36).slice(2, 8);

async function signUp(body: unknown, ip: string) {
  const { POST } = await import("@/app/api/signup/route");
  const started = performance.now();
  const res = await POST(
    new Request("http://localhost:3000/api/signup", {
      method: "POST",
      headers: { "content-type": "application/json", "x-tessera-client-ip": ip },
      body: JSON.stringify(body),
    }),
  );
  const ms = performance.now() - started;
  return { status: res.status, body: await res.json(), retryAfter: res.headers.get("retry-after"), setCookie: res.headers.get("set-cookie"), ms };
}

describe("sign-up", () => {
  it("RL-03: answers the same for a new and an existing address, changes nothing for the existing one, and tells its owner", async () => {
    const { db } = await import("@/lib/db/client");
    const email = `owner-${uniq()}@example.test`;
    await signUp({ name: "Warm-up", email: `warm-${uniq()}@example.test`, password: "correct horse battery" }, "192.0.2.9");
    const created = await signUp({ name: "Owner", email, password: "correct horse battery" }, "192.0.2.10");
    const owner = await db().user.findUniqueOrThrow({ where: { email } });
    const users = await db().user.count();
    const mail = nextMail(email);
    const again = await signUp({ name: "Intruder", email: email.toUpperCase(), password: "intruder horse battery" }, "192.0.2.11");

    expect(created.status).toBe(202);
    expect(again.status).toBe(created.status);
    expect(again.body).toEqual(created.body);
    expect(again.body.message).not.toMatch(/exists/i);
    expect([created.setCookie, again.setCookie]).toEqual([null, null]);
    // Both paths hash the password (bcrypt, cost 12): the existing address is not answered at once.
    expect(again.ms).toBeGreaterThan(created.ms * 0.5);

    expect(await db().user.count()).toBe(users);
    expect(await db().user.findUniqueOrThrow({ where: { email } })).toEqual(owner);
    expect(await db().session.count({ where: { userId: owner.id } })).toBe(0);
    expect(await db().membership.count({ where: { userId: owner.id } })).toBe(1);

    const notice = await mail;
    expect(notice.to).toEqual([email]);
    expect(notice.subject).toBe("Someone tried to create a Tessera account with your address");
    expect(notice.text).toContain("https://tessera.example.test/login");
    expect(notice.raw).not.toContain("intruder horse battery");
    expect(`${notice.text}${notice.html ?? ""}`).not.toContain("intruder horse battery");
  });

  it("sends the owner one notice per hour, however many attempts", async () => {
    const { signUpWithPassword } = await import("@/lib/services/users");
    const { meta } = await import("../helpers/fixtures");
    const email = `busy-${uniq()}@example.test`;
    await signUpWithPassword({ name: "Busy", email, password: "correct horse battery" }, meta({ ip: "192.0.2.20" }));
    const first = nextMail(email);
    expect(await signUpWithPassword({ name: "X", email, password: "intruder horse battery" }, meta({ ip: "192.0.2.21" }))).toBeNull();
    await first;
    const count = noticesTo(email);
    expect(await signUpWithPassword({ name: "X", email, password: "intruder horse battery" }, meta({ ip: "192.0.2.22" }))).toBeNull();
    // A third sign-up to a new address delivers its own notice after any second one would have.
    const other = `other-${uniq()}@example.test`;
    await signUpWithPassword({ name: "O", email: other, password: "correct horse battery" }, meta({ ip: "192.0.2.23" }));
    const marker = nextMail(other);
    await signUpWithPassword({ name: "X", email: other, password: "intruder horse battery" }, meta({ ip: "192.0.2.23" }));
    await marker;
    expect(noticesTo(email)).toBe(count);
  });

  it("limits sign-ups per client address with 429 and Retry-After, new and existing addresses alike", async () => {
    const { SIGNUP_ADDRESS_LIMIT } = await import("@/lib/services/users");
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    const existing = `taken-${uniq()}@example.test`;
    expect((await signUp({ name: "Taken", email: existing, password: "correct horse battery" }, "203.0.113.50")).status).toBe(202);
    for (let i = 0; i < SIGNUP_ADDRESS_LIMIT; i++) {
      const email = i % 2 ? existing : `n${i}-${uniq()}@example.test`;
      expect((await signUp({ name: "N", email, password: "correct horse battery" }, ip)).status, `sign-up ${i + 1}`).toBe(202);
    }
    for (const email of [existing, `late-${uniq()}@example.test`]) {
      const limited = await signUp({ name: "N", email, password: "correct horse battery" }, ip);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("RATE_LIMITED");
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    }
    // Another address is not affected; invalid input is answered as before (and not counted).
    expect((await signUp({ name: "N", email: `free-${uniq()}@example.test`, password: "correct horse battery" }, "198.18.7.7")).status).toBe(202);
    const invalid = await signUp({ name: "N", email: "not-an-email", password: "correct horse battery" }, "198.18.7.8");
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details[0].path).toBe("email");
  });
});
