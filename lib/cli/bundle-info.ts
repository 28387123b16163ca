// Where the CLI bundle lives and how it names its version: shared by the build (lib/cli/build.ts)
// and the download route (lib/http/cli-download.ts). No imports, so either side can load it cheaply.

/** The bundle, relative to the project folder (gitignored: built by `npm install`, `npm start` and the tests). */
export const CLI_BUNDLE_PATH = "clients/cli/tessera.mjs";

/** The bundle's second line (after the shebang): it names the version, which the server reads back. */
export function versionComment(version: string): string {
  return `// tessera CLI ${version}: one file, no dependencies, Node.js 20.19 or newer.`;
}

/** The version named by a bundle's first lines, or null when they do not name one. */
export function bundleVersion(head: string): string | null {
  return /^\/\/ tessera CLI ([0-9A-Za-z.+-]+):/m.exec(head.slice(0, 512))?.[1] ?? null;
}
