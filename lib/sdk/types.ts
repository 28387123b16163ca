// The SDK's types, read from the contract (lib/contract): an operation's input is the wire form
// (`z.input`) of its params, query and body; its result is the decoded form (`z.output`) of its
// output schema (dates as Date), or a download for a streamed operation.
import type { z } from "zod";
import type { OperationId, OperationOf } from "../contract";
import type { TesseraDownload } from "./download";
import type { RetryEvent } from "./index";

/** No keys (`{}`). */
type Empty = Record<never, never>;
type Simplify<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;
/** True when every key of T is optional (an empty object may be given, or nothing). */
type AllOptional<T> = Empty extends T ? true : false;

type ParamsIn<O> = [O] extends [{ params: infer P extends z.ZodType }] ? z.input<P> : Empty;
type QueryIn<O> = [O] extends [{ query: infer Q extends z.ZodType }] ? z.input<Q> : Empty;
/** A body's fields (an optional body's too), for the flat input. */
type BodyFields<O> = [O] extends [{ body: infer B extends z.ZodType }] ? NonNullable<z.input<B>> : Empty;

/** What a call can add to any operation: cancellation, a deadline, another credential. */
export type CallOptions = {
  /** Cancels the call (and any wait between retries): the call rejects with code ABORTED. */
  signal?: AbortSignal;
  /** The whole call's deadline, retries and waits included (default: the client's). 0: none. */
  timeoutMs?: number;
  /** How many times to retry after a 429, a 503 or a network failure (default: the client's). */
  retries?: number;
  /**
   * Another bearer credential for this call only: the workload environment endpoint takes the
   * short-lived credential from `workloads.issueCredential` instead of the token.
   */
  token?: string;
  /** Extra request headers (never logged by the SDK). */
  headers?: Record<string, string>;
  /** Told before each retry (for logs and metrics). */
  onRetry?: (event: RetryEvent) => void;
};

/** The input of `client.request(id, input)`: `params`, `query` and `body` as the contract declares them. */
export type RequestInput<O> = ([O] extends [{ params: infer P extends z.ZodType }] ? { params: z.input<P> } : { params?: undefined }) &
  ([O] extends [{ query: infer Q extends z.ZodType }]
    ? AllOptional<z.input<Q>> extends true
      ? { query?: z.input<Q> }
      : { query: z.input<Q> }
    : { query?: undefined }) &
  ([O] extends [{ body: infer B extends z.ZodType }] ? (undefined extends z.input<B> ? { body?: z.input<B> } : { body: z.input<B> }) : { body?: undefined }) &
  CallOptions;

/**
 * The one object a resource method takes: the path parameters, then the body's fields (or, for an
 * operation without a body, the query's), side by side: `client.tokens.create({ workspaceId, name })`.
 */
export type FlatInput<O> = Simplify<ParamsIn<O> & QueryIn<O> & BodyFields<O>>;

/** The result of an operation: its decoded output, or a download for a streamed operation. */
export type Result<O> = [O] extends [{ stream: object }] ? TesseraDownload : [O] extends [{ output: infer T extends z.ZodType }] ? z.output<T> : never;

type Op<I extends OperationId> = OperationOf<I>;

/** `client.request` takes the input as its second argument; it may be left out when nothing in it is required. */
export type RequestArgs<I extends OperationId> = AllOptional<RequestInput<Op<I>>> extends true ? [input?: RequestInput<Op<I>>] : [input: RequestInput<Op<I>>];

/** A resource method: `(input, options?)`, the input optional when nothing in it is required. */
export type Method<I extends OperationId> = (
  ...args: AllOptional<FlatInput<Op<I>>> extends true ? [input?: FlatInput<Op<I>>, options?: CallOptions] : [input: FlatInput<Op<I>>, options?: CallOptions]
) => Promise<Result<Op<I>>>;

type Head<S extends string> = S extends `${infer H}.${string}` ? H : S;
type Tail<S extends string, H extends string> = S extends `${H}.${infer R}` ? R : never;

/** The namespaces of the ids: `tokens.create` → `client.tokens.create`, `a.b.c` → `client.a.b.c`. */
type Tree<S extends string, P extends string> = {
  readonly [H in Head<S>]: (H extends S ? Method<Extract<`${P}${H}`, OperationId>> : unknown) &
    ([Tail<S, H>] extends [never] ? unknown : Tree<Tail<S, H>, `${P}${H}.`>);
};

/** Names of the client's own members, which no namespace may take. */
export type ReservedName = "request" | "paginate" | "pages" | "download" | "baseUrl" | "constructor";

export type Namespaces = Omit<Tree<OperationId, "">, ReservedName>;

type PageOf<I extends OperationId> = Result<Op<I>>;
/** The operations that answer a page: `{ data: [...], nextCursor }` and take a `cursor` query. */
export type PaginatedId = {
  [I in OperationId]: PageOf<I> extends { data: readonly unknown[]; nextCursor: string | null }
    ? "cursor" extends keyof QueryIn<Op<I>>
      ? I
      : never
    : never;
}[OperationId];
export type PageItem<I extends PaginatedId> = PageOf<I> extends { data: readonly (infer T)[] } ? T : never;
/** The streamed operations (downloads). */
export type StreamId = { [I in OperationId]: Op<I> extends { stream: object } ? I : never }[OperationId];
