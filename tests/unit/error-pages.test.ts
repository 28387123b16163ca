// The error page and the server's log of the error it reports: the page shows the digest that
// Next.js gives a server error (never the error's message), and the log line of that error
// (instrumentation.ts onRequestError) carries the same digest next to the request id, and the
// route's pattern rather than an address that may hold a one-time code.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorView } from "@/app/_components/error-view";
import { logRequestError } from "@/lib/http/request-error";
import { log } from "@/lib/log";

/** A real thrown error, as Next.js hands it over: the digest stamped on it. */
function thrown(message: string, digest?: string): Error & { digest?: string } {
  try {
    throw new Error(message);
  } catch (err) {
    if (digest) (err as Error & { digest?: string }).digest = digest;
    return err as Error & { digest?: string };
  }
}

afterEach(() => vi.restoreAllMocks());

describe("error page", () => {
  it("LOG-07: shows the digest as the reference, never the message, with a way to retry and a way home", () => {
    const html = renderToStaticMarkup(createElement(ErrorView, { error: thrown("db password is hunter2", "2417350925"), retry: () => {}, home: "/w/abc" }));
    expect(html).toContain("Something went wrong");
    expect(html).toMatch(/data-testid="error-reference"[^>]*>2417350925</);
    expect(html).not.toContain("hunter2");
    expect(html).toContain(">Try again<");
    expect(html).toContain('href="/w/abc"');
  });

  it("an error in the browser (no digest) says so, and without retry offers the start page", () => {
    const html = renderToStaticMarkup(createElement(ErrorView, { error: thrown("client blew up") }));
    expect(html).not.toContain("error-reference");
    expect(html).toContain("happened in your browser");
    expect(html).not.toContain("Try again");
    expect(html).toContain('href="/"');
  });
});

describe("log of a request error", () => {
  it("names the digest and the request id, and the route's pattern instead of the address", () => {
    const spy = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const err = thrown("render failed", "2417350925");
    logRequestError(
      err,
      { path: "/invite/inv_secretcode123?x=1", method: "GET", headers: { "x-request-id": "3f6c1a52-9d0b-4e8e-a8f2-0c1d2e3f4a5b" } },
      { routerKind: "App Router", routePath: "/invite/[code]", routeType: "render", renderSource: "server-rendering", revalidateReason: undefined },
    );
    expect(spy).toHaveBeenCalledTimes(1);
    const [fields, msg] = spy.mock.calls[0] as unknown as [Record<string, unknown>, string];
    expect(msg).toBe("request failed");
    expect(fields).toMatchObject({ digest: "2417350925", requestId: "3f6c1a52-9d0b-4e8e-a8f2-0c1d2e3f4a5b", method: "GET", route: "/invite/[code]", routeType: "render" });
    expect(JSON.stringify(fields)).not.toContain("inv_secretcode123");
  });

  it("a malformed request id is not logged as one", () => {
    const spy = vi.spyOn(log, "error").mockImplementation(() => undefined);
    logRequestError(thrown("x", "1"), { path: "/", method: "GET", headers: { "x-request-id": "bad id\nforged" } }, { routerKind: "App Router", routePath: "/", routeType: "render", revalidateReason: undefined });
    expect((spy.mock.calls[0] as unknown as [Record<string, unknown>])[0].requestId).toBeNull();
  });
});
