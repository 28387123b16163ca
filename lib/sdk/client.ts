// The workload run-time calls that `tessera run` (lib/cli/main.ts) makes, over the SDK
// (lib/sdk/index.ts). Errors are the SDK's TesseraError: the server's envelope code and message,
// never a credential.
import { Tessera, TesseraError, type Result } from "./index";
import type { OperationOf } from "../contract";

export { TesseraError as TesseraApiError } from "./index";

export type WorkloadCredential = Result<OperationOf<"workloads.issueCredential">>;
export type ResolvedEnv = Result<OperationOf<"workloads.resolveEnv">>;

export type ClientOptions = { baseUrl: string; token: string; fetch?: typeof fetch };

export class TesseraClient {
  readonly #sdk: Tessera;
  constructor(opts: ClientOptions) {
    this.#sdk = new Tessera({ baseUrl: opts.baseUrl, token: opts.token, fetch: opts.fetch });
  }

  /** A workload token exchanges itself for a short-lived credential for its workload's environment. */
  issueWorkloadCredential(workspaceId: string, workloadId: string, ttlSeconds?: number): Promise<WorkloadCredential> {
    return hint(this.#sdk.workloads.issueCredential({ workspaceId, workloadId, ttlSeconds }));
  }

  /** The resolved environment, with a credential from issueWorkloadCredential. */
  resolveWorkloadEnv(workspaceId: string, workloadId: string, credential: string): Promise<ResolvedEnv> {
    return hint(this.#sdk.workloads.resolveEnv({ workspaceId, workloadId }, { token: credential }));
  }
}

/** A server that cannot be reached: say what to check. */
async function hint<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof TesseraError && err.code === "NETWORK" && err.status === 0) {
      throw new TesseraError({ status: 0, code: "NETWORK", operationId: err.operationId, message: `${err.message}. Is the server running? Set TESSERA_URL.`, cause: err.cause });
    }
    throw err;
  }
}
