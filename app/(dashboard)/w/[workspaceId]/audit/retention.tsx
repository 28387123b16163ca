"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button, Label, Select } from "@/app/_components/ui";
import { setAuditRetentionAction } from "./actions";

const CHOICES = [null, 30, 90, 180, 365, 730] as const;

/** How long audit events are kept; deleting happens hourly in the server. */
export function RetentionForm({ workspaceId, days }: { workspaceId: string; days: number | null }) {
  const router = useRouter();
  const [value, setValue] = useState(days === null ? "" : String(days));
  const [busy, setBusy] = useState(false);
  const options = CHOICES.includes(days as (typeof CHOICES)[number]) ? CHOICES : [...CHOICES, days];
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const res = await setAuditRetentionAction({ workspaceId, retention: { days: value === "" ? null : Number(value) } });
        setBusy(false);
        if (!res.ok) return void toast.error(res.error.message);
        toast.success(res.data.days === null ? "Audit events are kept forever" : `Audit events are kept ${res.data.days} days`);
        router.refresh();
      }}
    >
      <div>
        <Label htmlFor="retention">Keep events</Label>
        <Select id="retention" className="w-44" value={value} onChange={(e) => setValue(e.target.value)}>
          {options.map((d) => (
            <option key={String(d)} value={d === null ? "" : String(d)}>
              {d === null ? "Forever" : `${d} days`}
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant="secondary" disabled={busy || value === (days === null ? "" : String(days))}>
        {busy ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
