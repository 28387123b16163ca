// `tessera login --web`: the CLI's side of the device login (RFC 8628 style; the server side is
// lib/services/device.ts), over the SDK only. It starts a device login, hands the user code and the
// approval page's URL to `onCode` (the caller prints them: nothing is printed here), then polls at
// the server's interval, 5 seconds slower after each SLOW_DOWN, until the person approves (the new
// user token is returned) or denies (TesseraError ACCESS_DENIED), or the code expires or was used
// (TesseraError EXPIRED_TOKEN). The device code stays in this function: never shown, never logged.
import type { OperationOf } from "../contract";
import { TesseraError, type Result, type Tessera } from "../sdk";

/** The new user token (value in `token`, shown once) and its metadata, as the poll answers it. */
export type DeviceLoginToken = Result<OperationOf<"device.poll">>;

/** What to show the person: the code to check and where to approve it. */
export type DeviceCodeInfo = {
  /** The code to show (`WDJB-MJHT`). */
  userCode: string;
  /** The approval page (`<server>/device`). */
  verificationUri: string;
  /** The approval page with the code filled in. */
  verificationUriComplete: string;
  /** When the codes expire (10 minutes after the start, by this machine's clock). */
  expiresAt: Date;
};

export type LoginWithBrowserOptions = {
  /** A client for the server (no token needed: both calls take no credential). */
  client: Tessera;
  /** This machine's name, like a host name (1-64 letters, digits, `.`, `-`, `_`): shown on the approval page; the token is named `CLI on <machineName>`. */
  machineName: string;
  /** The workspace the token should act in; omitted, the person chooses on the approval page. */
  workspaceId?: string;
  /** Called once, before polling starts, with what the person needs. */
  onCode(info: DeviceCodeInfo): void;
  /** Stops waiting (rejects with TesseraError ABORTED). */
  signal?: AbortSignal;
  /** How to wait between polls (tests pass their own; default: a timer that the signal cancels). */
  wait?: (ms: number) => Promise<void>;
};

/** RFC 8628 §3.5: after slow_down, the interval grows by 5 seconds for every later poll. */
export const SLOW_DOWN_STEP_MS = 5000;

/** Errors worth another poll while the code lives: the server or the network had a moment. */
const TRANSIENT = new Set(["NETWORK", "TIMEOUT", "SERVICE_UNAVAILABLE", "RATE_LIMITED"]);

function aborted(signal: AbortSignal): TesseraError {
  return new TesseraError({ status: 0, code: "ABORTED", operationId: "device.poll", message: "device.poll: cancelled", cause: signal.reason });
}

function timer(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const onAbort = () => {
      clearTimeout(t);
      reject(aborted(signal!));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Logs in through the browser: resolves to the new user token once the person approves, or
 * rejects with a TesseraError (`ACCESS_DENIED`, `EXPIRED_TOKEN`, `ABORTED`, or what the start
 * answered, such as `RATE_LIMITED` or `VALIDATION_FAILED`).
 */
export async function loginWithBrowser(opts: LoginWithBrowserOptions): Promise<DeviceLoginToken> {
  const { client, signal } = opts;
  const wait = opts.wait ?? ((ms: number) => timer(ms, signal));
  const started = await client.device.start({ machineName: opts.machineName, workspaceId: opts.workspaceId }, { signal });
  const deviceCode = started.deviceCode;
  const expiresAt = new Date(Date.now() + started.expiresIn * 1000);
  opts.onCode({
    userCode: started.userCode,
    verificationUri: started.verificationUri,
    verificationUriComplete: started.verificationUriComplete,
    expiresAt,
  });
  let intervalMs = Math.max(1, started.interval) * 1000;
  for (;;) {
    if (signal?.aborted) throw aborted(signal);
    await wait(intervalMs);
    if (signal?.aborted) throw aborted(signal);
    try {
      return await client.device.poll({ deviceCode }, { signal });
    } catch (err) {
      if (!(err instanceof TesseraError)) throw err;
      if (err.code === "AUTHORIZATION_PENDING") continue;
      if (err.code === "SLOW_DOWN") {
        intervalMs += SLOW_DOWN_STEP_MS;
        continue;
      }
      // A moment of trouble while the code still lives: poll again (the server says when it expired).
      if (TRANSIENT.has(err.code) && Date.now() < expiresAt.getTime()) {
        if (err.retryAfterMs && err.retryAfterMs > intervalMs) await wait(err.retryAfterMs - intervalMs);
        continue;
      }
      // ACCESS_DENIED, EXPIRED_TOKEN, ABORTED, or anything else: the login is over.
      throw err;
    }
  }
}
