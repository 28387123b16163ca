import { randomUUID } from "node:crypto";
import type { RequestMeta } from "../auth/actor";
import { config } from "../config";

type HeaderSource = { get(name: string): string | null };

/**
 * The client address. Our server (lib/launcher/server.mjs) records the socket peer in
 * `x-tessera-client-ip`, overwriting anything a client sends. Behind a trusted reverse proxy
 * (TESSERA_TRUST_PROXY=true) the client is the last X-Forwarded-For entry: the one that proxy
 * appended (entries before it are whatever the client claimed).
 */
export function clientIp(headers: HeaderSource): string | null {
  let ip: string | undefined;
  if (config().trustProxy) {
    const list = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    ip = list[list.length - 1];
  } else {
    ip = headers.get("x-tessera-client-ip") ?? undefined;
  }
  ip = ip?.replace(/^::ffff:/, "").trim();
  return ip && /^[0-9A-Fa-f:.]{2,45}$/.test(ip) ? ip : null;
}

export function requestMeta(headers: HeaderSource): RequestMeta {
  const given = headers.get("x-request-id");
  return {
    requestId: given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID(),
    ip: clientIp(headers),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
