// Scaffold: a helper fills this file with the workloads commands (issue 14).
import type { Registrar } from "../main";

export const registerWorkloads: Registrar = () => {};
