// The first Tab stop of every page (root layout): jumps past the navigation to <main id="main">,
// which every page has (the dashboard shell, the sign-in pages' layout, the 404 and error pages).
// Off-screen (not display:none: screen readers list it) until it has focus.
export function SkipLink() {
  return (
    <a
      href="#main"
      className="fixed top-3 left-3 z-[100] -translate-y-[200%] rounded-md bg-white px-4 py-2 text-sm font-medium text-brand-700 shadow-lg ring-2 ring-brand-600 outline-none focus:translate-y-0"
    >
      Skip to main content
    </a>
  );
}
