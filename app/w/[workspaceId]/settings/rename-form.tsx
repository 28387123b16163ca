"use client";

import { useActionState } from "react";
import { renameWorkspaceAction } from "./actions";

type State = Awaited<ReturnType<typeof renameWorkspaceAction>> | null;

export function RenameForm({ workspaceId, name, disabled }: { workspaceId: string; name: string; disabled: boolean }) {
  const [state, formAction, pending] = useActionState<State, FormData>(
    (_prev, formData) => renameWorkspaceAction(formData),
    null,
  );
  return (
    <form action={formAction}>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <label htmlFor="workspace-name">Name</label>
      <div className="row">
        <input
          id="workspace-name"
          name="name"
          type="text"
          defaultValue={state?.ok ? state.data.name : name}
          maxLength={64}
          required
          disabled={disabled}
        />
        <button type="submit" disabled={disabled || pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
      {disabled && <p className="muted">Only owners and admins can rename the workspace.</p>}
      {state?.ok && (
        <p className="ok" role="status">
          Saved.
        </p>
      )}
      {state && !state.ok && (
        <p className="error" role="alert">
          {state.error.message}
        </p>
      )}
    </form>
  );
}
