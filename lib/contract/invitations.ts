// invitations: filled in by the contract work (see lib/contract/define.ts).
export const invitationOperations = [] as const;
