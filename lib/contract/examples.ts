// Example values for the OpenAPI document: one consistent, made-up workspace. Never real credentials.
export const EXAMPLE_WORKSPACE_ID = "cmx57cgzg0000k2ws7a1b2c3d";
export const EXAMPLE_USER_ID = "cmx57cgzg0001k2us7a1b2c3d";
export const EXAMPLE_TIME = "2026-12-01T09:30:00.000Z";
export const EXAMPLE_LATER = "2027-03-01T09:30:00.000Z";

export const EXAMPLE_WORKSPACE = {
  id: EXAMPLE_WORKSPACE_ID,
  name: "ML platform",
  status: "active",
  role: "owner",
  personal: false,
  activation: { organisation: "Acme Research", useCase: "Fine-tuning Llama models on 8×H100 nodes", requestedAt: EXAMPLE_TIME, reviewedAt: EXAMPLE_TIME, rejectionReason: null },
  sso: { domain: null, defaultRole: "member", required: false },
  maxTokenLifetimeDays: 90,
  auditRetentionDays: null,
  allowedEnvNames: [],
  createdAt: EXAMPLE_TIME,
  updatedAt: EXAMPLE_TIME,
};

// --- Workspace lifecycle, platform administration and the caller's account (h3) ---

export const EXAMPLE_NEW_WORKSPACE_ID = "cmx57cgzg0002k2ws7a1b2c3d";
export const EXAMPLE_TOKEN_ID = "cmx57cgzg0003k2tk7a1b2c3d";
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
  createdAt: EXAMPLE_TIME,
};

export const EXAMPLE_ME = {
  user: { id: EXAMPLE_USER_ID, email: "ada@acme.example", name: "Ada", isPlatformAdmin: false },
  token: { id: EXAMPLE_TOKEN_ID, kind: "user", name: "laptop CLI", scopes: ["full"], role: null, workloadId: null, expiresAt: EXAMPLE_LATER },
  workspace: { id: EXAMPLE_WORKSPACE_ID, name: "ML platform", status: "active", role: "owner" },
};
