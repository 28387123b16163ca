// Device login: `tessera login --web`, in the style of the OAuth 2.0 device authorization grant
// (RFC 8628). The CLI starts, shows the user code and the approval page's URL, and polls; a
// signed-in person approves on /device (the dashboard), and the poll after that answers a new user
// token, minted then by the approver's authority. Both endpoints take no credential.
import { deviceCodeSchema, deviceTokenSchema, pollDeviceSchema, startDeviceSchema } from "../schemas/device";
import { EXAMPLE_DEVICE_CODE, EXAMPLE_DEVICE_CODE_RESPONSE, EXAMPLE_DEVICE_TOKEN, EXAMPLE_WORKSPACE_ID } from "./examples";
import { operation } from "./define";

const tag = "Device login";
const BODY_ERRORS = ["VALIDATION_FAILED", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"] as const;

export const deviceOperations = [
  operation({
    id: "device.start",
    method: "POST",
    path: "/api/v1/device/code",
    tag,
    summary: "Start a device login",
    description:
      "Starts a browser-assisted login for a command-line tool (RFC 8628 device authorization request). Answers a device code (the caller's secret, to poll with), a user code to show the person (`WDJB-MJHT`), the page where they approve it, how long both codes live (10 minutes) and how many seconds to wait between polls (`interval`). Only keyed hashes of the codes are stored. Takes no credential; at most 20 starts per client address per 15 minutes (429 with Retry-After after that). Not audited: the approval and the token's creation are.",
    auth: "none",
    permission: "public",
    body: startDeviceSchema,
    status: 200,
    output: deviceCodeSchema,
    outputDescription: "The device code, the user code and where to approve it.",
    errors: ["RATE_LIMITED", ...BODY_ERRORS],
    examples: { body: { machineName: "ada-laptop", workspaceId: EXAMPLE_WORKSPACE_ID }, response: EXAMPLE_DEVICE_CODE_RESPONSE },
  }),
  operation({
    id: "device.poll",
    method: "POST",
    path: "/api/v1/device/token",
    tag,
    summary: "Poll for a device login's token",
    description:
      "Polls with the device code (RFC 8628 device access token request). Until the person decides: 400 `AUTHORIZATION_PENDING`; sooner than `interval` seconds after the last poll: 400 `SLOW_DOWN` (wait 5 seconds longer from then on); denied: 400 `ACCESS_DENIED`; expired, already used, or unknown: 400 `EXPIRED_TOKEN` (stop, and start again). Once approved, the first poll mints a user token by the approver's authority (their role, the workspace's token policy and audit apply as when they create one in the dashboard): named `CLI on <machineName>`, scope `full`, expiring after the lifetime chosen at approval (7 days by default, never beyond the workspace's maximum). Its value is in this answer only; the device code is then used up. Unknown device codes count toward the address's failed-check limit (429 past it).",
    auth: "none",
    permission: "public",
    body: pollDeviceSchema,
    status: 200,
    output: deviceTokenSchema,
    outputDescription: "The new user token, with its value (shown this once).",
    errors: ["AUTHORIZATION_PENDING", "SLOW_DOWN", "ACCESS_DENIED", "EXPIRED_TOKEN", "RATE_LIMITED", ...BODY_ERRORS],
    examples: { body: { deviceCode: EXAMPLE_DEVICE_CODE }, response: EXAMPLE_DEVICE_TOKEN },
  }),
] as const;
