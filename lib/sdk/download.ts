// A streamed answer (the audit export): read it as text chunks while it arrives, never whole.

/** The file name of a Content-Disposition header (`attachment; filename="audit.csv"`). */
function filenameOf(disposition: string | null): string | undefined {
  const m = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return m?.[1];
}

/**
 * A download in progress. Iterate it for text chunks (`for await (const chunk of download)`),
 * take `body` (a ReadableStream of bytes) to pipe it elsewhere, or `text()` for all of it. Read it
 * once. `cancel()` (or breaking out of the loop) closes the connection.
 */
export class TesseraDownload implements AsyncIterable<string> {
  readonly contentType: string;
  readonly filename: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    /** The HTTP response, for its headers and status. */
    readonly response: Response,
    private readonly done: () => void = () => {},
  ) {
    this.contentType = response.headers.get("content-type") ?? "application/octet-stream";
    this.filename = filenameOf(response.headers.get("content-disposition"));
    this.requestId = response.headers.get("x-request-id") ?? undefined;
  }

  /** The bytes as they arrive. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.response.body;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    const body = this.response.body;
    if (!body) {
      this.done();
      return;
    }
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let finished = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          finished = true;
          const rest = decoder.decode();
          if (rest) yield rest;
          return;
        }
        const text = decoder.decode(value, { stream: true });
        if (text) yield text;
      }
    } finally {
      // Stopped early (break, throw): close the connection instead of leaving it open.
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
      this.done();
    }
  }

  /** The whole download as one string (for small exports; iterate for large ones). */
  async text(): Promise<string> {
    let all = "";
    for await (const chunk of this) all += chunk;
    return all;
  }

  /** Stops the download and closes the connection. */
  async cancel(): Promise<void> {
    try {
      await this.response.body?.cancel();
    } finally {
      this.done();
    }
  }
}
