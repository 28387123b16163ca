// admin: filled in by the contract work (see lib/contract/define.ts).
export const adminOperations = [] as const;
