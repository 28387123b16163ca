// Names as well as ids: a workload, secret or token is given the way a person remembers it. An
// argument that looks like an id is fetched first; otherwise (or when no such id exists) the list
// is read and the name matched exactly. An unknown name or id exits 5 (an id with the server's 404);
// a name several things share (token names need not be unique) exits 2 with their ids.
import { idSchema } from "../../schemas/common";
import type { TokenOutput } from "../../schemas/token";
import type { SecretOutput, WorkloadOutput } from "../../schemas/secret";
import { isTesseraError } from "../../sdk";
import type { Ctx } from "./context";
import { CliError, EXIT, usage } from "./exit";
import { safeText } from "./output";

type Named = { id: string; name: string | null };

/** The thing `ref` names: by id when it looks like one and exists, else by its exact name. */
export async function resolveRef<T extends Named>(ref: string, what: string, get: (id: string) => Promise<T>, list: () => Promise<readonly T[]>): Promise<T> {
  const wanted = ref.trim();
  if (!wanted) throw usage(`the ${what} is required (a name or an id)`);
  let notFound: unknown;
  if (idSchema.safeParse(wanted).success) {
    try {
      return await get(wanted);
    } catch (err) {
      if (!isTesseraError(err) || err.status !== 404) throw err;
      notFound = err;
    }
  }
  const found = (await list()).filter((x) => x.name === wanted);
  if (found.length === 1) return found[0]!;
  // An id that is no name either: the server's own 404.
  if (!found.length && notFound) throw notFound;
  if (!found.length) throw new CliError(`no ${what} named "${safeText(wanted)}" here`, EXIT.NOT_FOUND);
  throw usage(`${found.length} ${what}s are named "${safeText(wanted)}": give the id instead (${found.map((x) => x.id).join(", ")})`);
}

export async function resolveWorkload(ctx: Ctx, ref: string): Promise<WorkloadOutput> {
  const workspaceId = await ctx.workspaceId();
  const client = ctx.client();
  return resolveRef(
    ref,
    "workload",
    (workloadId) => client.request("workloads.get", { params: { workspaceId, workloadId } }),
    async () => (await client.request("workloads.list", { params: { workspaceId } })).data,
  );
}

export async function resolveSecret(ctx: Ctx, ref: string): Promise<SecretOutput> {
  const workspaceId = await ctx.workspaceId();
  const client = ctx.client();
  return resolveRef(
    ref,
    "secret",
    (secretId) => client.request("secrets.get", { params: { workspaceId, secretId } }),
    async () => (await client.request("secrets.list", { params: { workspaceId } })).data,
  );
}

export async function resolveToken(ctx: Ctx, ref: string): Promise<TokenOutput> {
  const workspaceId = await ctx.workspaceId();
  const client = ctx.client();
  return resolveRef(
    ref,
    "token",
    (tokenId) => client.request("tokens.get", { params: { workspaceId, tokenId } }),
    async () => (await client.request("tokens.list", { params: { workspaceId } })).data,
  );
}
