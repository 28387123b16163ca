// The first Tab stop of every page (root layout): jumps past the navigation to <main id="main">,
// which every page has (the dashboard shell, the sign-in pages' layout, the 404 and error pages).
export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only z-[100] rounded-md bg-white px-4 py-2 text-sm font-medium text-brand-700 shadow-lg ring-2 ring-brand-600 focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
    >
      Skip to main content
    </a>
  );
}
