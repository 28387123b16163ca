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
