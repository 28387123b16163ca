// The typed client of Tessera's REST API that the CLI uses (a first slice: the workload run-time
// calls). Errors carry the server's envelope code and message, never a credential.
import { z } from "zod";
import { issuedCredentialSchema, resolvedEnvSchema } from "../schemas/secret";

export class TesseraApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "TesseraApiError";
  }
}

const envelopeSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

// Responses as they arrive over the wire (dates as strings).
const credentialWire = issuedCredentialSchema.extend({ expiresAt: z.string() });
export type WorkloadCredential = z.infer<typeof credentialWire>;
export type ResolvedEnv = z.infer<typeof resolvedEnvSchema>;

export type ClientOptions = { baseUrl: string; token: string; fetch?: typeof fetch };

export class TesseraClient {
  private readonly baseUrl: string;
  constructor(private readonly opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
  }

  private async call<T extends z.ZodType>(method: string, path: string, bearer: string, schema: T, body?: unknown): Promise<z.infer<T>> {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(url, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new TesseraApiError(0, "UNREACHABLE", `Cannot reach Tessera at ${this.baseUrl} (${cause}). Is the server running? Set TESSERA_URL.`);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const env = envelopeSchema.safeParse(json);
      if (env.success) throw new TesseraApiError(res.status, env.data.error.code, env.data.error.message);
      throw new TesseraApiError(res.status, "HTTP_ERROR", `Tessera answered ${res.status} ${res.statusText} to ${method} ${path}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new TesseraApiError(res.status, "BAD_RESPONSE", `Unexpected response from ${method} ${path}`);
    return parsed.data;
  }

  /** A workload token exchanges itself for a short-lived credential for its workload's environment. */
  issueWorkloadCredential(workspaceId: string, workloadId: string, ttlSeconds?: number): Promise<WorkloadCredential> {
    const path = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/workloads/${encodeURIComponent(workloadId)}/credentials`;
    return this.call("POST", path, this.opts.token, credentialWire, ttlSeconds === undefined ? {} : { ttlSeconds });
  }

  /** The resolved environment, with a credential from issueWorkloadCredential. */
  resolveWorkloadEnv(workspaceId: string, workloadId: string, credential: string): Promise<ResolvedEnv> {
    const path = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/workloads/${encodeURIComponent(workloadId)}/env`;
    return this.call("GET", path, credential, resolvedEnvSchema);
  }
}
