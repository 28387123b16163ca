// Scaffold: a helper fills this file with the members commands (issue 14).
import type { Registrar } from "../main";

export const registerMembers: Registrar = () => {};
