"use client";

// Swagger UI, from the swagger-ui-dist package, bundled into the app's own chunks (loaded by
// Next.js's nonce-carrying scripts, so the page's CSP needs no exception): it loads no remote
// script, font or image. The validator badge (a remote call) is off, and so is reading a
// document URL from the query string.
import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";
import "./reference.css";

export function ApiReference({ url }: { url: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-es-bundle.js")
      .then(({ default: SwaggerUI }) => {
        if (cancelled || !host.current) return;
        SwaggerUI({
          url,
          domNode: host.current,
          validatorUrl: null,
          queryConfigEnabled: false,
          // Deep links would put a link inside each operation's toggle button (axe "nested-interactive").
          deepLinking: false,
          docExpansion: "list",
          defaultModelsExpandDepth: 0,
          displayOperationId: true,
          displayRequestDuration: true,
          filter: true,
          persistAuthorization: false,
          tryItOutEnabled: false,
          // Its server picker has no label (axe "select-name").
          onComplete: () => host.current?.querySelector("select#servers")?.setAttribute("aria-label", "Server"),
        });
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [url]);

  if (failed) {
    return (
      <p role="alert" className="text-sm text-red-700">
        The reference could not be loaded. The OpenAPI document is at <a href={url}>{url}</a>.
      </p>
    );
  }
  return <div ref={host} data-testid="api-reference" className="api-reference -mx-4 min-h-96 sm:-mx-6" />;
}
