// Example values of the token, secret and workload operations (lib/contract/tokens.ts, secrets.ts,
// workloads.ts) for the OpenAPI document: made up, consistent with lib/contract/examples.ts. Never
// a real credential: token values say EXAMPLE and fail the format's checksum, so that no server
// accepts them and no secret scanner should mistake them for one.
import { EXAMPLE_LATER, EXAMPLE_TIME, EXAMPLE_USER_ID, EXAMPLE_WORKSPACE_ID } from "./examples";

export const EXAMPLE_API_TOKEN_ID = "cmx57cgzg0020k2tk7a1b2c3d";
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
