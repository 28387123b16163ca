// Example values for the OpenAPI document: one consistent, made-up workspace. Never real credentials.
export const EXAMPLE_WORKSPACE_ID = "cmx57cgzg0000k2ws7a1b2c3d";
export const EXAMPLE_USER_ID = "cmx57cgzg0001k2us7a1b2c3d";
export const EXAMPLE_TIME = "2026-12-01T09:30:00.000Z";
export const EXAMPLE_LATER = "2027-03-01T09:30:00.000Z";
export const EXAMPLE_API_TOKEN_ID = "cmx57cgzg0020k2tk7a1b2c3d";

export const EXAMPLE_WORKSPACE = {
  id: EXAMPLE_WORKSPACE_ID,
  name: "ML platform",
  status: "active",
  role: "owner",
  personal: false,
  activation: { organisation: "Acme Research", useCase: "Fine-tuning Llama models on 8×H100 nodes", requestedAt: EXAMPLE_TIME, reviewedAt: EXAMPLE_TIME, rejectionReason: null },
  sso: { domain: null, defaultRole: "member", required: false },
  requireMfa: false,
  maxTokenLifetimeDays: 90,
  defaultTokenExpiryDays: 1,
  auditRetentionDays: null,
  allowedEnvNames: [],
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
};

// --- Workspace lifecycle, platform administration and the caller's account (h3) ---

export const EXAMPLE_NEW_WORKSPACE_ID = "cmx57cgzg0002k2ws7a1b2c3d";
export const EXAMPLE_OTHER_USER_ID = "cmx57cgzg0004k2us7a1b2c3d";

/** A workspace just created (pending until a platform admin approves it, unless the server auto-activates). */
export const EXAMPLE_NEW_WORKSPACE = {
  ...EXAMPLE_WORKSPACE,
  id: EXAMPLE_NEW_WORKSPACE_ID,
  name: "Inference team",
  status: "pending",
  activation: { organisation: null, useCase: null, requestedAt: null, reviewedAt: null, rejectionReason: null },
};

/** A workspace that applied for activation and waits for review. */
export const EXAMPLE_REQUESTED_WORKSPACE = {
  ...EXAMPLE_WORKSPACE,
  status: "requested",
  activation: { organisation: "Acme Research", useCase: "Fine-tuning Llama models on 8×H100 nodes", requestedAt: EXAMPLE_TIME, reviewedAt: null, rejectionReason: null },
};

export const EXAMPLE_ADMIN_USER = {
  id: EXAMPLE_OTHER_USER_ID,
  email: "lin@acme.example",
  name: "Lin",
  isPlatformAdmin: false,
  disabledAt: null,
  emailVerifiedAt: EXAMPLE_TIME,
  createdAt: EXAMPLE_TIME,
};

export const EXAMPLE_ME = {
  user: { id: EXAMPLE_USER_ID, email: "ada@acme.example", name: "Ada", isPlatformAdmin: false },
  token: { id: EXAMPLE_API_TOKEN_ID, kind: "user", name: "laptop CLI", scopes: ["full"], role: null, workloadId: null, workloadName: null, expiresAt: EXAMPLE_LATER },
  workspace: { id: EXAMPLE_WORKSPACE_ID, name: "ML platform", status: "active", role: "owner" },
};

// ---- Tokens, secrets and workloads ----
// Example values of the token, secret and workload operations (lib/contract/tokens.ts, secrets.ts,
// workloads.ts) for the OpenAPI document: made up, consistent with lib/contract/examples.ts. Never
// a real credential: token values say EXAMPLE and fail the format's checksum, so that no server
// accepts them and no secret scanner should mistake them for one.

export const EXAMPLE_WORKLOAD_TOKEN_ID = "cmx57cgzg0021k2tk7a1b2c3d";
export const EXAMPLE_SECRET_ID = "cmx57cgzg0022k2sc7a1b2c3d";
export const EXAMPLE_WORKLOAD_ID = "cmx57cgzg0023k2wl7a1b2c3d";

/** Obviously fake token values, in the token format's shape (`tsr_<kind>_` and 38 characters). */
export const EXAMPLE_WORKSPACE_TOKEN_VALUE = `tsr_wsp_EXAMPLE${"x".repeat(31)}`;
export const EXAMPLE_WORKLOAD_TOKEN_VALUE = `tsr_wkl_EXAMPLE${"x".repeat(31)}`;
export const EXAMPLE_CREDENTIAL_VALUE = "tsr_wlc_EXAMPLE-not-a-real-credential.EXAMPLE-signature";

/** Thirty days after EXAMPLE_TIME (a renewal). */
export const EXAMPLE_RENEWED_UNTIL = "2026-12-31T09:30:00.000Z";
/** Fifteen minutes after EXAMPLE_TIME (a workload credential's expiry). */
export const EXAMPLE_CREDENTIAL_EXPIRY = "2026-12-01T09:45:00.000Z";

/** A workspace token, as lists and reads show it (never its value). */
export const EXAMPLE_API_TOKEN = {
  id: EXAMPLE_API_TOKEN_ID,
  workspaceId: EXAMPLE_WORKSPACE_ID,
  kind: "workspace",
  name: "ci-deploy",
  description: "GitHub Actions: deploys the inference endpoints",
  partialKey: "tsr_wsp_…xxxx",
  scopes: ["full"],
  role: "member",
  status: "active",
  expired: false,
  expiresSoon: false,
  expiresAt: EXAMPLE_LATER,
  workloadId: null,
  createdById: EXAMPLE_USER_ID,
  lastUsedAt: EXAMPLE_TIME,
  lastUsedIp: "203.0.113.7",
  createdAt: EXAMPLE_TIME,
};

/** The creation response: the one time the value is shown. */
export const EXAMPLE_CREATED_API_TOKEN = { ...EXAMPLE_API_TOKEN, lastUsedAt: null, lastUsedIp: null, value: EXAMPLE_WORKSPACE_TOKEN_VALUE };

/** A workload token bound to EXAMPLE_WORKLOAD. */
export const EXAMPLE_WORKLOAD_TOKEN = {
  ...EXAMPLE_API_TOKEN,
  id: EXAMPLE_WORKLOAD_TOKEN_ID,
  kind: "workload",
  name: "llama-serve runtime",
  description: null,
  partialKey: "tsr_wkl_…xxxx",
  role: null,
  workloadId: EXAMPLE_WORKLOAD_ID,
};

/** A public Hugging Face token's metadata (never its value). */
export const EXAMPLE_SECRET = {
  id: EXAMPLE_SECRET_ID,
  workspaceId: EXAMPLE_WORKSPACE_ID,
  name: "hf-token",
  preset: "huggingface",
  envName: "HF_TOKEN",
  visibility: "public",
  version: 1,
  createdById: EXAMPLE_USER_ID,
  orphaned: false,
  expiresAt: EXAMPLE_LATER,
  expired: false,
  expiresSoon: false,
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
};

/** A secret value that is obviously not one (the huggingface preset's format only warns). */
export const EXAMPLE_SECRET_VALUE = "hf_EXAMPLEnotARealToken";

export const EXAMPLE_WORKLOAD = {
  id: EXAMPLE_WORKLOAD_ID,
  workspaceId: EXAMPLE_WORKSPACE_ID,
  name: "llama-serve",
  kind: "endpoint",
  description: "Llama 3.1 8B inference endpoint",
  bindings: [
    { envName: "HF_TOKEN", value: null, secret: { id: EXAMPLE_SECRET_ID, name: "hf-token", visibility: "public", formerMember: false } },
    { envName: "MODEL_ID", value: "meta-llama/Llama-3.1-8B-Instruct", secret: null },
  ],
  tokens: [{ id: EXAMPLE_WORKLOAD_TOKEN_ID, name: "llama-serve runtime", partialKey: "tsr_wkl_…xxxx", status: "active", expiresAt: EXAMPLE_LATER }],
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
};

/** The variables of EXAMPLE_WORKLOAD, as a create or update body sends them. */
export const EXAMPLE_BINDINGS_INPUT = [
  { envName: "HF_TOKEN", secretId: EXAMPLE_SECRET_ID },
  { envName: "MODEL_ID", value: "meta-llama/Llama-3.1-8B-Instruct" },
];

// ---- Device login (tessera login --web) ----

/** Made-up device code (not a valid checksum). */
export const EXAMPLE_DEVICE_CODE = `tsr_dev_EXAMPLE${"x".repeat(31)}`;
export const EXAMPLE_USER_CODE = "WDJB-MJHT";
export const EXAMPLE_USER_TOKEN_VALUE = `tsr_usr_EXAMPLE${"x".repeat(31)}`;
export const EXAMPLE_DEVICE_TOKEN_ID = "cmx57cgzg0022k2tk7a1b2c3d";

export const EXAMPLE_DEVICE_CODE_RESPONSE = {
  deviceCode: EXAMPLE_DEVICE_CODE,
  userCode: EXAMPLE_USER_CODE,
  verificationUri: "https://tessera.example.com/device",
  verificationUriComplete: `https://tessera.example.com/device?code=${EXAMPLE_USER_CODE}`,
  expiresIn: 600,
  interval: 5,
};

/** The user token a device login mints: named after the machine, 7 days, full scope. */
export const EXAMPLE_DEVICE_TOKEN = {
  id: EXAMPLE_DEVICE_TOKEN_ID,
  workspaceId: EXAMPLE_WORKSPACE_ID,
  kind: "user",
  name: "CLI on ada-laptop",
  description: "Created by tessera login --web, approved in the browser",
  partialKey: "tsr_usr_…xxxx",
  scopes: ["full"],
  role: null,
  status: "active",
  expired: false,
  expiresSoon: false,
  expiresAt: "2026-12-08T09:30:00.000Z",
  workloadId: null,
  createdById: EXAMPLE_USER_ID,
  lastUsedAt: null,
  lastUsedIp: null,
  createdAt: EXAMPLE_TIME,
  token: EXAMPLE_USER_TOKEN_VALUE,
};
