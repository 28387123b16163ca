// Types of route-methods.mjs (plain JavaScript, run by node alone).
export declare function routeMethods(distDir: string): {
  loaded: (pathname: string) => string | null | undefined;
  load: (pathname: string) => Promise<string | null>;
};
export declare function serverActionIds(distDir: string): Set<string>;
