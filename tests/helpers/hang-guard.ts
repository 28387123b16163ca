// Hang guards, not budgets. A test's verdict waits for events (a line the server prints, a
// response, a row, a DOM state); these limits only end a run that would otherwise never finish,
// so they are minutes long: on a loaded machine (load average 15 on 2 cores) a server start, a
// CLI start or 31 bcrypt comparisons take many times longer than on an idle one, and that must not
// change what a test says. Nothing that a test asserts is measured against them.

/** vitest's testTimeout: a test that has not finished after this is hanging. */
export const TEST_HANG_GUARD_MS = 5 * 60_000;
/** vitest's hookTimeout (beforeAll starts a production server and a browser). */
export const HOOK_HANG_GUARD_MS = 10 * 60_000;
/** expect.poll's default: how long a polled condition may stay false before the test fails. */
export const POLL_HANG_GUARD_MS = 2 * 60_000;
/** Playwright's default for actions, auto-waiting assertions and navigations. */
export const BROWSER_HANG_GUARD_MS = 2 * 60_000;
