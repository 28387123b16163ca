// The API contract: every /api/v1 operation, declared once (lib/contract/define.ts explains the
// shape). Routes bind to these entries, and the OpenAPI document, the SDK, the CLI and the
// authorization tests read them. Imports only zod, the permission names and lib/schemas.
import { accountOperations } from "./account";
import { adminOperations } from "./admin";
import { auditOperations } from "./audit";
import type { Operation } from "./define";
import { deviceOperations } from "./device";
import { invitationOperations } from "./invitations";
import { memberOperations } from "./members";
import { metaOperations } from "./meta";
import { secretOperations } from "./secrets";
import { tokenOperations } from "./tokens";
import { workloadOperations } from "./workloads";
import { workspaceOperations } from "./workspaces";

export const operations = [
  ...accountOperations,
  ...workspaceOperations,
  ...memberOperations,
  ...invitationOperations,
  ...tokenOperations,
  ...secretOperations,
  ...workloadOperations,
  ...auditOperations,
  ...adminOperations,
  ...deviceOperations,
  ...metaOperations,
] as const satisfies readonly Operation[];

type AnyOp = (typeof operations)[number];
export type OperationId = AnyOp["id"];
export type OperationOf<I extends OperationId> = Extract<AnyOp, { id: I }>;

/** Every operation by id: `api["tokens.create"]`. */
export const api = Object.fromEntries(operations.map((o) => [o.id, o])) as { [I in OperationId]: OperationOf<I> };

export type { Operation } from "./define";
export { ERROR_CODES, errorEnvelopeSchema, type ErrorCode } from "./errors";
