"use client";

// The expiry picker of the create and renew dialogs: presets within the workspace maximum, or a
// custom date. Native radio buttons, so arrow keys move between choices.
import { useState } from "react";
import { FieldError, Input, cn } from "@/app/_components/ui";
import { customExpiry, days, localDay, presetsFor, type ExpiryChoice } from "./format";

/** Reads the choice from the submitted form: an input for the service, or a message. */
export function readExpiry(fd: FormData, maxDays: number): ExpiryChoice | { error: string } {
  const choice = String(fd.get("expiry") ?? "");
  if (choice === "custom") {
    const day = String(fd.get("expiresOn") ?? "");
    if (!day) return { error: "needs a date" };
    const at = customExpiry(day, maxDays);
    return at ? { expiresAt: at } : { error: "must be a valid date" };
  }
  const n = Number(choice);
  return Number.isInteger(n) && n > 0 ? { expiresInDays: n } : { error: "must be chosen" };
}

function preview(choice: string, day: string, maxDays: number): string | null {
  let at: Date | null = null;
  if (choice === "custom") {
    const iso = day ? customExpiry(day, maxDays) : null;
    at = iso ? new Date(iso) : null;
  } else {
    at = new Date(Date.now() + Number(choice) * 24 * 60 * 60 * 1000);
  }
  if (!at || Number.isNaN(at.getTime())) return null;
  return at.toLocaleString(undefined, { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function ExpiryField({
  idPrefix,
  maxDays,
  defaultDays = 1,
  error,
}: {
  idPrefix: string;
  maxDays: number;
  defaultDays?: number;
  error?: string | null;
}) {
  const presets = presetsFor(maxDays, defaultDays);
  const [choice, setChoice] = useState(String(presets.includes(defaultDays) ? defaultDays : presets[0]));
  const [day, setDay] = useState("");
  const when = preview(choice, day, maxDays);
  const option = (value: string, label: string) => (
    <label
      key={value}
      className={cn(
        "flex cursor-pointer items-center justify-center rounded-md border px-3 py-1.5 text-sm font-medium shadow-sm transition-colors",
        "has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500/40",
        choice === value ? "border-brand-600 bg-brand-50 text-brand-700" : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50",
      )}
    >
      <input type="radio" name="expiry" value={value} checked={choice === value} onChange={() => setChoice(value)} className="sr-only" />
      {label}
    </label>
  );
  return (
    <fieldset aria-describedby={`${idPrefix}-expiry-help`}>
      <legend className="mb-1.5 block text-sm font-medium text-zinc-800">Expiration</legend>
      <div className="flex flex-wrap gap-2">
        {presets.map((d) => option(String(d), d === maxDays && !([1, 7, 30, 90] as number[]).includes(d) ? `${days(d)} (maximum)` : days(d)))}
        {option("custom", "Custom date")}
      </div>
      {choice === "custom" && (
        <div className="mt-3 sm:w-56">
          <label htmlFor={`${idPrefix}-expires-on`} className="sr-only">
            Expiry date
          </label>
          <Input
            id={`${idPrefix}-expires-on`}
            name="expiresOn"
            type="date"
            min={localDay(1)}
            max={localDay(maxDays)}
            value={day}
            onChange={(e) => setDay(e.target.value)}
            aria-invalid={!!error}
          />
        </div>
      )}
      <p id={`${idPrefix}-expiry-help`} className="mt-1.5 text-sm text-zinc-500">
        {when ? `Expires ${when}. ` : ""}This workspace allows at most {days(maxDays)}.
      </p>
      <FieldError message={error && `Expiration ${error}`} />
    </fieldset>
  );
}
