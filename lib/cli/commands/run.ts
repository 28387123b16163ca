// Scaffold: a helper fills this file with the run commands (issue 14).
import type { Registrar } from "../main";

export const registerRun: Registrar = () => {};
