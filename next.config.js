// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and driver packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@prisma/adapter-pg",
    "pino",
    "@prisma/schema-engine-wasm",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
