import { Monitor, Smartphone } from "lucide-react";
import { Badge, Card, CardHeader } from "@/app/_components/ui";
import type { SessionActor } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { listMySessions } from "@/lib/services/sessions";
import { formatUtc, relative } from "../w/[workspaceId]/tokens/format";
import { EndOtherSessions, EndSession } from "./sessions-controls";

/** "12 hours", "90 minutes", "7 days": a timeout as configured, in its largest whole unit. */
function duration(minutes: number): string {
  const [n, unit] = minutes % 1440 === 0 ? [minutes / 1440, "day"] : minutes % 60 === 0 ? [minutes / 60, "hour"] : [minutes, "minute"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

// Account > Sessions (SES-08): where the user is signed in, now. Each row is a live dashboard
// session (not ended, within the idle and absolute timeouts), this browser's first.
export async function SessionsSection({ actor }: { actor: SessionActor }) {
  const sessions = await listMySessions(actor);
  const others = sessions.filter((s) => !s.current).length;
  const c = config();
  const idle = duration(c.sessionIdleMs / 60_000);
  const max = duration(c.sessionMaxMs / 60_000);
  return (
    <section aria-labelledby="account-sessions">
      <Card>
        <CardHeader
          title="Sessions"
          description={`Where you are signed in. A session ends after ${idle} without use, and ${max} after sign-in whatever its use.`}
        >
          {others > 0 && <EndOtherSessions count={others} />}
        </CardHeader>
        <h2 id="account-sessions" className="sr-only">
          Sessions
        </h2>
        <ul className="divide-y divide-zinc-100" data-testid="account-sessions">
          {sessions.map((s) => {
            const Icon = s.device.mobile ? Smartphone : Monitor;
            return (
              <li key={s.id} data-testid="session-row" data-current={s.current ? "true" : undefined} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
                <div className="flex min-w-0 items-start gap-3">
                  <Icon className="mt-0.5 size-5 shrink-0 text-zinc-400" aria-hidden />
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <span id={`session-${s.id}-device`} className="font-medium text-zinc-900" title={s.userAgent ?? undefined}>
                        {s.device.label}
                      </span>
                      {s.current && <Badge tone="green">This device</Badge>}
                    </div>
                    <p className="text-xs text-zinc-500">
                      <span className="font-mono">{s.ip ?? "unknown address"}</span> · signed in with {s.method === "oidc" ? "single sign-on" : "a password"}{" "}
                      <span title={formatUtc(s.createdAt)}>{relative(s.createdAt)}</span> ·{" "}
                      {s.current ? "active now" : <span title={formatUtc(s.lastSeenAt)}>last seen {relative(s.lastSeenAt)}</span>}
                    </p>
                  </div>
                </div>
                <EndSession sessionId={s.id} device={s.device.label} current={s.current} />
              </li>
            );
          })}
        </ul>
      </Card>
    </section>
  );
}
