// Scaffold: a helper fills this file with the secrets commands (issue 14).
import type { Registrar } from "../main";

export const registerSecrets: Registrar = () => {};
