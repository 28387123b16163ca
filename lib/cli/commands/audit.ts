// Scaffold: a helper fills this file with the audit commands (issue 14).
import type { Registrar } from "../main";

export const registerAudit: Registrar = () => {};
