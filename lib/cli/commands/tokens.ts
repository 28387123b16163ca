// Scaffold: a helper fills this file with the tokens commands (issue 14).
import type { Registrar } from "../main";

export const registerTokens: Registrar = () => {};
