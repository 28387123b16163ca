// Scaffold: a helper fills this file with the workspaces commands (issue 14).
import type { Registrar } from "../main";

export const registerWorkspaces: Registrar = () => {};
