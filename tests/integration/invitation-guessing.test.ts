// Guessing invitation links: every attempt is counted before the lookup, per account and per
// address (in the database, shared by all instances), a known code gives its attempt back, and an
// account or address past its limit gets no more answers, not even to a right guess; a burst sent
// at once is held to the limit. One member guessing behind a shared NAT address locks out only
// themselves: the people beside them still accept their invitations.
import { describe, expect, it } from "vitest";
import { generateInvitationCode } from "@/lib/auth/token-format";
import { AppError } from "@/lib/errors";
import { ACCEPT_ADDRESS_LIMIT, ACCEPT_FAILURE_LIMIT, acceptInvitation, createInvitation } from "@/lib/services/invitations";
import { makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`));
const codeOf = (link: string) => link.split("/invite/")[1]!;

describe("invitation guessing", () => {
  it("RL-01: gives a right code its attempt back, refuses even a right code from an account past its limit, and leaves its NAT neighbours alone", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const guesser = { ...(await makeUser("guesser")), meta: meta({ ip: "192.0.2.10" }) };
    const invite = async () => codeOf((await createInvitation(owner, workspace.id, { role: "member", anyoneWithLink: true })).link);
    // Right codes do not use up the budget: after one, the full limit of wrong guesses is left.
    const first = await invite();
    expect(await acceptInvitation(guesser, first)).toEqual({ workspaceId: workspace.id, role: "member" });
    for (let i = 0; i < ACCEPT_FAILURE_LIMIT; i++) expect(await outcome(acceptInvitation(guesser, generateInvitationCode())), `guess ${i + 1}`).toBe("NOT_FOUND");
    expect(await outcome(acceptInvitation(guesser, generateInvitationCode()))).toBe("RATE_LIMITED");
    // Past the limit a right guess is not looked up either (else the limit would only hide wrong answers),
    // from another address too (the account is counted).
    const second = await invite();
    expect(await outcome(acceptInvitation(guesser, second))).toBe("RATE_LIMITED");
    expect(await outcome(acceptInvitation({ ...guesser, meta: meta({ ip: "192.0.2.99" }) }, second))).toBe("RATE_LIMITED");
    // Someone else behind the same address accepts theirs.
    const neighbour = { ...(await makeUser("neighbour")), meta: meta({ ip: "192.0.2.10" }) };
    expect(await outcome(acceptInvitation(neighbour, second))).toBe("OK");
  });

  it("RL-01: holds an address to its limit across many accounts; another address is not affected", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const ip = "192.0.2.30";
    const accounts = await Promise.all(Array.from({ length: ACCEPT_ADDRESS_LIMIT / ACCEPT_FAILURE_LIMIT + 1 }, async (_, i) => ({ ...(await makeUser(`many-${i}`)), meta: meta({ ip }) })));
    const results: string[] = [];
    for (const account of accounts) for (let i = 0; i < ACCEPT_FAILURE_LIMIT; i++) results.push(await outcome(acceptInvitation(account, generateInvitationCode())));
    expect(results.filter((r) => r === "NOT_FOUND")).toHaveLength(ACCEPT_ADDRESS_LIMIT);
    expect(results.filter((r) => r === "RATE_LIMITED")).toHaveLength(ACCEPT_FAILURE_LIMIT);
    const code = codeOf((await createInvitation(owner, workspace.id, { role: "member", anyoneWithLink: true })).link);
    const fresh = { ...(await makeUser("fresh")), meta: meta({ ip }) };
    expect(await outcome(acceptInvitation(fresh, code))).toBe("RATE_LIMITED");
    expect(await outcome(acceptInvitation({ ...fresh, meta: meta({ ip: "192.0.2.31" }) }, code))).toBe("OK");
  });

  it("holds a burst of guesses sent at once to the limit", async () => {
    const guesser = { ...(await makeUser("burst")), meta: meta({ ip: "192.0.2.20" }) };
    const results = await Promise.all(Array.from({ length: ACCEPT_FAILURE_LIMIT * 2 }, () => outcome(acceptInvitation(guesser, generateInvitationCode()))));
    expect(results.filter((r) => r === "NOT_FOUND")).toHaveLength(ACCEPT_FAILURE_LIMIT);
    expect(results.filter((r) => r === "RATE_LIMITED")).toHaveLength(ACCEPT_FAILURE_LIMIT);
  });
});
