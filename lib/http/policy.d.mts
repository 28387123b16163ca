// Types of policy.mjs (plain JavaScript, so that the HTTP server can import it with node alone).
export declare const MAX_BODY_BYTES: number;
export declare const SERVED_METHODS: string[];
export declare function contentSecurityPolicy(opts?: { dev?: boolean; nonce?: string }): string;
export declare function securityHeaders(opts?: { dev?: boolean }): Record<string, string>;
