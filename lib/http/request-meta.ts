import { randomUUID } from "node:crypto";
import type { RequestMeta } from "../auth/actor";
import { config } from "../config";

type HeaderSource = { get(name: string): string | null };

/**
 * The client address. `next start` records the socket peer as the last x-forwarded-for entry;
 * behind a trusted reverse proxy (TESSERA_TRUST_PROXY=true) the first entry is the client.
 */
export function clientIp(headers: HeaderSource): string | null {
  const list = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = config().trustProxy ? list[0] : list[list.length - 1];
  return ip ? ip.slice(0, 64) : null;
}

export function requestMeta(headers: HeaderSource): RequestMeta {
  const given = headers.get("x-request-id");
  return {
    requestId: given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID(),
    ip: clientIp(headers),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
