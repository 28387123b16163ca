import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next/**", "lib/generated/**", "data/**", ".tessera-test/**", "next-env.d.ts", "clients/cli/tessera.mjs"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Command-line entry points print to the terminal by design.
    files: ["prisma/tools/**", "lib/launcher/**", "tests/**", "bench/**", ".ci/**"],
    rules: { "no-console": "off" },
  },
];

export default config;
