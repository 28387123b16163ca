"use client";

// The CLI's commands as the dashboard shows them, with copy buttons. The server address is the one
// the browser uses (as the token reveal's curl); the server renders TESSERA_PUBLIC_URL's until then.
import { useSyncExternalStore } from "react";
import { CopyButton } from "./copy-button";
import { installCommand, runCommand } from "./cli-commands";
import { cn } from "./ui";

const noSubscription = () => () => {};

/** The browser's origin (`fallback` while rendering on the server). */
export function useOrigin(fallback: string): string {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => fallback,
  );
}

/** A command in a dark box with its copy button. */
export function CommandBox({ command, label, testId, className }: { command: string; label: string; testId?: string; className?: string }) {
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <pre data-testid={testId} className="min-w-0 flex-1 whitespace-pre-wrap break-all rounded-md bg-zinc-900 px-3 py-2 font-mono text-xs leading-relaxed text-zinc-100">
        {command}
      </pre>
      <CopyButton value={command} label={label} className="mt-1 shrink-0" />
    </div>
  );
}

/** The one-line install of the CLI from this server. */
export function InstallCli({ fallbackOrigin, className }: { fallbackOrigin: string; className?: string }) {
  const origin = useOrigin(fallbackOrigin);
  return <CommandBox command={installCommand(origin)} label="Copy the install command" testId="cli-install" className={className} />;
}

/** `tessera run` for one workload (the token from TESSERA_TOKEN). */
export function RunCommand({ fallbackOrigin, workspaceId, workload }: { fallbackOrigin: string; workspaceId: string; workload: string }) {
  const origin = useOrigin(fallbackOrigin);
  return <CommandBox command={runCommand({ origin, workspaceId, workload })} label={`Copy the run command of ${workload}`} testId="workload-run" />;
}
