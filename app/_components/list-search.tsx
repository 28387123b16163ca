"use client";

// Search and filters for a list page: a search box and optional selects above the list, whose
// state lives in the URL (?q=…&kind=…: shareable, and the back button brings it back).
//
// The filtering runs in the browser, over the rows the page already rendered: every list page
// loads its whole list (at most a few thousand rows), so this answers as the user types, without a
// request per keystroke, and the pages only wrap their list and tag each row
// (`data-search`: the text to match; one attribute per filter, e.g. `data-kind`). The row itself,
// its actions and dialogs stay server-rendered and untouched. Rows that do not match get `hidden`.
import { Search, X } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { Button, Input, Select } from "./ui";

export type ListFilter = {
  /** The query parameter, e.g. "kind". */
  param: string;
  /** The row attribute compared with the chosen value, e.g. "data-kind". */
  attr: string;
  label: string;
  options: readonly { value: string; label: string }[];
};

/** Replaces (typing) or pushes (a filter choice) the URL; Next's router follows native history calls. */
function setQuery(pathname: string, current: URLSearchParams, changes: Record<string, string | null>, push: boolean) {
  const next = new URLSearchParams(current.toString());
  for (const [k, v] of Object.entries(changes)) {
    if (v) next.set(k, v);
    else next.delete(k);
  }
  const qs = next.toString();
  const url = `${pathname}${qs ? `?${qs}` : ""}`;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

export function ListSearch({
  noun,
  rows,
  filters = [],
  children,
}: {
  /** What the list holds, plural ("secrets"): in the label, the count and the empty state. */
  noun: string;
  /** A CSS selector for the rows, inside the wrapped list. */
  rows: string;
  filters?: readonly ListFilter[];
  children: React.ReactNode;
}) {
  const params = useSearchParams();
  const pathname = usePathname();
  const id = useId();
  const list = useRef<HTMLDivElement>(null);
  const read = (from: { get: (k: string) => string | null }) => ({ q: from.get("q") ?? "", ...Object.fromEntries(filters.map((f) => [f.param, from.get(f.param) ?? ""])) }) as Record<string, string>;
  // The state, from the URL at first; kept here (the URL follows it), and read again from the URL
  // when the back and forward buttons move through history.
  const [state, setState] = useState(() => read(params));
  useEffect(() => {
    const onPop = () => setState(read(new URLSearchParams(window.location.search)));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const update = (changes: Record<string, string | null>, push: boolean) => {
    setState((s) => ({ ...s, ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v ?? ""])) }));
    setQuery(pathname, new URLSearchParams(window.location.search), changes, push);
  };
  const text = state.q ?? "";
  const chosen = state;
  const [count, setCount] = useState<{ shown: number; total: number } | null>(null);

  const needle = text.trim().toLowerCase();
  const key = JSON.stringify([needle, chosen]);
  const apply = useCallback(() => {
    const all = Array.from(list.current?.querySelectorAll<HTMLElement>(rows) ?? []);
    let shown = 0;
    for (const row of all) {
      const hay = (row.dataset.search ?? row.textContent ?? "").toLowerCase();
      const ok = (!needle || hay.includes(needle)) && filters.every((f) => !chosen[f.param] || row.getAttribute(f.attr) === chosen[f.param]);
      row.hidden = !ok;
      if (ok) shown++;
    }
    setCount((c) => (c && c.shown === shown && c.total === all.length ? c : { shown, total: all.length }));
    // `key` stands for needle and the chosen filters.
  }, [key, rows]); // eslint-disable-line react-hooks/exhaustive-deps
  // After every render: the server may have sent new rows (router.refresh), which start visible.
  useLayoutEffect(() => apply());

  const active = needle !== "" || filters.some((f) => chosen[f.param]);
  const clear = () => update(Object.fromEntries([["q", null], ...filters.map((f) => [f.param, null])]), true);
  const what = needle ? `“${text.trim()}”` : "these filters";
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-2" role="search" aria-label={`Search ${noun}`}>
        <div className="relative min-w-0 flex-1 basis-56">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-zinc-400" aria-hidden />
          <label htmlFor={`${id}-q`} className="sr-only">
            Search {noun}
          </label>
          <Input
            id={`${id}-q`}
            type="search"
            value={text}
            placeholder={`Search ${noun}`}
            autoComplete="off"
            className="pl-8"
            onChange={(e) => update({ q: e.target.value || null }, false)}
          />
        </div>
        {filters.map((f) => (
          <div key={f.param} className="flex items-center gap-2">
            <label htmlFor={`${id}-${f.param}`} className="text-sm text-zinc-600">
              {f.label}
            </label>
            <Select id={`${id}-${f.param}`} value={chosen[f.param]} className="w-auto" onChange={(e) => update({ [f.param]: e.target.value || null }, true)}>
              <option value="">All</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </div>
        ))}
        <p className="text-xs text-zinc-500" aria-live="polite" data-testid="list-count">
          {count && active ? `${count.shown} of ${count.total} ${noun}` : ""}
        </p>
      </div>
      <div ref={list} hidden={!!count && active && count.shown === 0}>
        {children}
      </div>
      {count && active && count.shown === 0 && (
        <div className="flex flex-col items-center justify-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center" data-testid="list-no-results">
          <p className="text-sm font-semibold text-zinc-900">No results for {what}</p>
          <p className="mt-1 text-sm text-zinc-500">No {noun} match. Try another search, or clear it.</p>
          <Button variant="secondary" className="mt-4" onClick={clear}>
            <X className="size-4" aria-hidden /> Clear search
          </Button>
        </div>
      )}
    </div>
  );
}
