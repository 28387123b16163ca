// Guessing invitation links: every attempt is counted per address before the lookup (in the
// database, shared by all instances), a known code gives its attempt back, and an address past
// the limit gets no more answers, not even to a right guess; a burst sent at once is held to it.
import { describe, expect, it } from "vitest";
import { generateInvitationCode } from "@/lib/auth/token-format";
import { AppError } from "@/lib/errors";
import { ACCEPT_FAILURE_LIMIT, acceptInvitation, createInvitation } from "@/lib/services/invitations";
import { makeUser, makeWorkspace, meta } from "../helpers/fixtures";

const outcome = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof AppError ? e.code : `THREW ${(e as Error)?.message}`));
const codeOf = (link: string) => link.split("/invite/")[1]!;

describe("invitation guessing", () => {
  it("gives a right code its attempt back, and refuses even a right code from an address past the limit", async () => {
    const { workspace, owner } = await makeWorkspace({ active: true });
    const guesser = { ...(await makeUser("guesser")), meta: meta({ ip: "192.0.2.10" }) };
    const invite = async () => codeOf((await createInvitation(owner, workspace.id, { role: "member", anyoneWithLink: true })).link);
    // Right codes do not use up the budget: after one, the full limit of wrong guesses is left.
    const first = await invite();
    expect(await acceptInvitation(guesser, first)).toEqual({ workspaceId: workspace.id, role: "member" });
    for (let i = 0; i < ACCEPT_FAILURE_LIMIT; i++) expect(await outcome(acceptInvitation(guesser, generateInvitationCode())), `guess ${i + 1}`).toBe("NOT_FOUND");
    expect(await outcome(acceptInvitation(guesser, generateInvitationCode()))).toBe("RATE_LIMITED");
    // Past the limit a right guess is not looked up either (else the limit would only hide wrong answers).
    const second = await invite();
    const other = { ...(await makeUser("late")), meta: meta({ ip: "192.0.2.10" }) };
    expect(await outcome(acceptInvitation(other, second))).toBe("RATE_LIMITED");
    // Another address is not affected.
    expect(await outcome(acceptInvitation({ ...other, meta: meta({ ip: "192.0.2.11" }) }, second))).toBe("OK");
  });

  it("holds a burst of guesses sent at once to the limit", async () => {
    const guesser = { ...(await makeUser("burst")), meta: meta({ ip: "192.0.2.20" }) };
    const results = await Promise.all(Array.from({ length: ACCEPT_FAILURE_LIMIT * 2 }, () => outcome(acceptInvitation(guesser, generateInvitationCode()))));
    expect(results.filter((r) => r === "NOT_FOUND")).toHaveLength(ACCEPT_FAILURE_LIMIT);
    expect(results.filter((r) => r === "RATE_LIMITED")).toHaveLength(ACCEPT_FAILURE_LIMIT);
  });
});
