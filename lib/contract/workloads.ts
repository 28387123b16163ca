// workloads: filled in by the contract work (see lib/contract/define.ts).
export const workloadOperations = [] as const;
