"use client";

// The steps of /device: enter (or check) the code, confirm what it grants, see the outcome. Each
// new step moves the focus to its heading, so that keyboard and screen-reader users follow along.
import { CheckCircle2, CircleAlert, Clock, Ban, MonitorSmartphone } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { useReauth } from "@/app/_components/reauth";
import { Button, FieldError, Input, Label, Select } from "@/app/_components/ui";
import { deviceDayChoices, fromOtherAddress, type deviceDecisionSchema, type devicePreviewSchema } from "@/lib/schemas/device";
import { approveDeviceAction, denyDeviceAction, lookupDeviceAction } from "./actions";

type Preview = z.input<typeof devicePreviewSchema>;
type Decision = z.input<typeof deviceDecisionSchema>;
type View = { step: "enter" } | { step: "confirm"; preview: Preview; prefilled: boolean } | { step: "done"; preview: Preview; decision: Decision };

const days = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function Heading({ icon, children, headingRef }: { icon: React.ReactNode; children: React.ReactNode; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  return (
    <>
      <div className="mb-3 text-zinc-500">{icon}</div>
      <h1 ref={headingRef} tabIndex={-1} className="text-xl font-semibold text-zinc-900 outline-none">
        {children}
      </h1>
    </>
  );
}

export function DeviceFlow({ initialCode, email }: { initialCode: string; email: string }) {
  const [view, setView] = useState<View>({ step: "enter" });
  const [code, setCode] = useState(initialCode);
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // The first view keeps the code field's autofocus; later ones focus their heading.
    if (first.current) {
      first.current = false;
      return;
    }
    if (view.step === "enter") focusCode();
    else heading.current?.focus();
  }, [view]);

  if (view.step === "enter") {
    // A code still as the link filled it in may come from someone else's link: the confirmation says to check it.
    return <EnterCode code={code} setCode={setCode} onFound={(preview) => setView({ step: "confirm", preview, prefilled: initialCode !== "" && code === initialCode })} />;
  }
  const again = () => {
    setCode("");
    setView({ step: "enter" });
  };
  if (view.step === "confirm") {
    return <Confirm preview={view.preview} prefilled={view.prefilled} email={email} headingRef={heading} onDone={(decision) => setView({ step: "done", preview: view.preview, decision })} onAgain={again} />;
  }
  return <Done preview={view.preview} decision={view.decision} email={email} headingRef={heading} onAgain={again} />;
}

/** The code field (the shared Input takes no ref). */
const focusCode = () => document.getElementById("device-code")?.focus();

function EnterCode({ code, setCode, onFound }: { code: string; setCode: (v: string) => void; onFound: (p: Preview) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div data-testid="device-enter">
      <div className="mb-3 text-zinc-500">
        <MonitorSmartphone className="size-6" aria-hidden />
      </div>
      <h1 className="text-xl font-semibold text-zinc-900">Connect a device</h1>
      <p className="mt-1 text-sm text-zinc-500">
        Enter the code that <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs text-zinc-700">tessera login --web</code> shows in your terminal.
      </p>
      <form
        className="mt-6 space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const res = await lookupDeviceAction({ userCode: code });
          setBusy(false);
          if (!res.ok) {
            setError(res.error.message);
            focusCode();
            return;
          }
          onFound(res.data);
        }}
      >
        <div>
          <Label htmlFor="device-code">Code</Label>
          <Input
            id="device-code"
            name="userCode"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            placeholder="WDJB-MJHT"
            required
            maxLength={20}
            autoFocus
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className="text-center font-mono text-lg tracking-[0.2em]"
            aria-invalid={!!error}
            aria-describedby={error ? "device-code-error device-code-help" : "device-code-help"}
          />
          <p id="device-code-help" className="mt-1.5 text-xs text-zinc-500">
            8 letters, such as WDJB-MJHT. Case and the dash do not matter.
          </p>
          <FieldError id="device-code-error" message={error} />
        </div>
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? "Checking…" : "Continue"}
        </Button>
      </form>
    </div>
  );
}

const STATE_NOTICE: Record<Exclude<Preview["state"], "pending">, { title: string; text: string; icon: React.ReactNode }> = {
  expired: { title: "This code has expired", text: "Codes last 10 minutes. Run tessera login --web again for a new one.", icon: <Clock className="size-6" aria-hidden /> },
  denied: { title: "This request was denied", text: "It cannot be approved any more. Run tessera login --web again for a new code.", icon: <Ban className="size-6" aria-hidden /> },
  approved: { title: "This code was already approved", text: "Each code works once. If it was not you, cancel the token named after the machine on the API tokens page.", icon: <CheckCircle2 className="size-6" aria-hidden /> },
  consumed: { title: "This code was already used", text: "Each code works once. If it was not you, cancel the token named after the machine on the API tokens page.", icon: <CheckCircle2 className="size-6" aria-hidden /> },
};

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-3">
      <dt className="shrink-0 text-zinc-500 sm:w-28">{term}</dt>
      <dd className="min-w-0 break-words font-medium text-zinc-900">{children}</dd>
    </div>
  );
}

function Confirm({
  preview,
  prefilled,
  email,
  headingRef,
  onDone,
  onAgain,
}: {
  preview: Preview;
  prefilled: boolean;
  email: string;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onDone: (d: Decision) => void;
  onAgain: () => void;
}) {
  const choices = preview.choices;
  const reauth = useReauth();
  const [workspaceId, setWorkspaceId] = useState(preview.requested?.id ?? choices[0]?.id ?? "");
  const max = preview.requested ? (preview.requested.maxTokenLifetimeDays ?? 1) : (choices.find((c) => c.id === workspaceId)?.maxTokenLifetimeDays ?? 1);
  const [expiry, setExpiry] = useState(preview.defaultExpiresInDays);
  const [busy, setBusy] = useState<"approve" | "deny" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dayChoices = deviceDayChoices(max);
  const chosenDays = dayChoices.includes(expiry) ? expiry : Math.min(7, max);

  if (preview.state !== "pending") {
    const n = STATE_NOTICE[preview.state];
    return (
      <div data-testid="device-notice">
        <Heading icon={n.icon} headingRef={headingRef}>
          {n.title}
        </Heading>
        <p className="mt-2 text-sm text-zinc-600">{n.text}</p>
        <Button variant="secondary" className="mt-6 w-full" onClick={onAgain}>
          Enter another code
        </Button>
      </div>
    );
  }

  const otherAddress = fromOtherAddress(preview.requestIp, preview.viewerIp);
  const canApprove = preview.requested ? preview.requested.allowed : choices.length > 0;
  const decide = async (what: "approve" | "deny") => {
    setBusy(what);
    setError(null);
    // An admin's or owner's approval mints a token with that power: "Confirm it's you" when the sign-in is old.
    const res =
      what === "approve"
        ? await reauth.run(() => approveDeviceAction({ userCode: preview.userCode, ...(preview.requested ? {} : { workspaceId }), expiresInDays: chosenDays }))
        : await denyDeviceAction({ userCode: preview.userCode });
    setBusy(null);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    onDone(res.data);
  };

  return (
    <div data-testid="device-confirm">
      <Heading icon={<MonitorSmartphone className="size-6 text-brand-600" aria-hidden />} headingRef={headingRef}>
        Sign in on {preview.machineName}?
      </Heading>
      <p className="mt-1 text-sm text-zinc-600">
        A command line asks for a token that acts as you ({email}). Approve only if you started <code className="text-xs">tessera login --web</code> yourself and the code
        matches your terminal.
      </p>
      {otherAddress && (
        <p className="mt-4 flex gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm font-medium text-red-900" role="alert" data-testid="device-other-address">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            This request came from another network address ({preview.requestIp ?? "unknown"}) than yours ({preview.viewerIp ?? "unknown"}). Approve only if you started it
            yourself, in your own terminal.
          </span>
        </p>
      )}
      {prefilled && (
        <p className="mt-4 flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note" data-testid="device-prefilled">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            The code came filled in from the link you opened. Check that this code is the one your terminal shows: someone else&apos;s link carries their code.
          </span>
        </p>
      )}
      <dl className="mt-4 divide-y divide-zinc-100 rounded-lg border border-zinc-200 px-3 text-sm">
        <Row term="Code">
          <span className="font-mono tracking-widest" data-testid="device-user-code">
            {preview.userCode}
          </span>
        </Row>
        <Row term="Machine">{preview.machineName}</Row>
        <Row term="Asked from">{preview.requestIp ?? "an unknown address"}</Row>
        <Row term="Code expires">{utc(preview.expiresAt)}</Row>
        {preview.requested && (
          <Row term="Workspace">
            {preview.requested.name ?? <span className="font-mono text-xs">{preview.requested.id}</span>}
          </Row>
        )}
      </dl>

      {preview.requested && !preview.requested.allowed && (
        <p className="mt-4 flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            You cannot approve this device into that workspace: {preview.requested.reason} You can deny it, or ask the person running the command to pick another workspace.
          </span>
        </p>
      )}
      {!preview.requested && choices.length === 0 && (
        <p className="mt-4 flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>None of your workspaces lets you create tokens, so you cannot approve this device. You can deny it.</span>
        </p>
      )}

      {canApprove && (
        <div className="mt-4 space-y-4">
          {!preview.requested && (
            <div>
              <Label htmlFor="device-workspace">Workspace</Label>
              <Select id="device-workspace" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)} aria-describedby="device-workspace-help">
                {choices.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </Select>
              <p id="device-workspace-help" className="mt-1.5 text-xs text-zinc-500">
                The token acts in this workspace only, with at most your role there.
              </p>
            </div>
          )}
          <div>
            <Label htmlFor="device-expiry">Token expires after</Label>
            <Select id="device-expiry" value={chosenDays} onChange={(e) => setExpiry(Number(e.target.value))} aria-describedby="device-expiry-help">
              {dayChoices.map((d) => (
                <option key={d} value={d}>
                  {days(d)}
                </option>
              ))}
            </Select>
            <p id="device-expiry-help" className="mt-1.5 text-xs text-zinc-500">
              A user token named “CLI on {preview.machineName}” with full access (at most {days(max)} in this workspace). You can cancel it any time on the API tokens page.
            </p>
          </div>
        </div>
      )}

      <FieldError message={error} />
      {/* Tab order is reading order: Deny, then Approve. */}
      <div className="mt-6 flex flex-col gap-2 sm:flex-row">
        <Button variant="secondary" className="sm:flex-1" disabled={busy !== null} onClick={() => decide("deny")}>
          {busy === "deny" ? "Denying…" : "Deny"}
        </Button>
        {canApprove && (
          <Button className="sm:flex-1" disabled={busy !== null} onClick={() => decide("approve")}>
            {busy === "approve" ? "Approving…" : "Approve"}
          </Button>
        )}
      </div>
      <button type="button" onClick={onAgain} className="mt-4 w-full text-center text-sm font-medium text-brand-600 hover:text-brand-700">
        Enter another code
      </button>
    </div>
  );
}

function Done({
  preview,
  decision,
  email,
  headingRef,
  onAgain,
}: {
  preview: Preview;
  decision: Decision;
  email: string;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onAgain: () => void;
}) {
  if (decision.state === "approved") {
    return (
      <div data-testid="device-done" role="status">
        <Heading icon={<CheckCircle2 className="size-6 text-emerald-600" aria-hidden />} headingRef={headingRef}>
          Device approved
        </Heading>
        <div className="mt-2 space-y-3 text-sm text-zinc-600">
          <p>
            Go back to your terminal: within a few seconds, {preview.machineName} is signed in as {email}
            {decision.workspaceName ? ` in ${decision.workspaceName}` : ""}, with a token that expires after {days(decision.expiresInDays ?? 1)}.
          </p>
          {decision.workspaceId && (
            <Link href={`/w/${decision.workspaceId}/tokens`} className="inline-block font-medium text-brand-600 hover:text-brand-700">
              See your API tokens
            </Link>
          )}
        </div>
      </div>
    );
  }
  return (
    <div data-testid="device-done" role="status">
      <Heading icon={<Ban className="size-6" aria-hidden />} headingRef={headingRef}>
        Request denied
      </Heading>
      <p className="mt-2 text-sm text-zinc-600">
        {preview.machineName} gets no token. If you did not start this login yourself, someone may have tried to get you to approve their machine: nothing was granted.
      </p>
      <Button variant="secondary" className="mt-6 w-full" onClick={onAgain}>
        Enter another code
      </Button>
    </div>
  );
}
