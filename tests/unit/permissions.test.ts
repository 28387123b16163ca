import { describe, expect, it } from "vitest";
import { PERMISSION_NAMES, PERMISSIONS, ROLE_PERMISSIONS, ROLES, roleCan, scopesAllow } from "@/lib/auth/permissions";

describe("permission table", () => {
  it("gives the owner everything and nests the other roles", () => {
    expect(ROLE_PERMISSIONS.owner).toEqual(PERMISSION_NAMES);
    for (const [higher, lower] of [["owner", "admin"], ["admin", "member"], ["member", "viewer"]] as const) {
      for (const p of ROLE_PERMISSIONS[lower]) expect(roleCan(higher, p), `${higher} ${p}`).toBe(true);
    }
  });

  it("keeps viewers read-only (but free to leave) and workspace deletion for owners", () => {
    for (const p of ROLE_PERMISSIONS.viewer) if (p !== "member.leave") expect(PERMISSIONS[p].kind, p).toBe("read");
    for (const role of ROLES) expect(roleCan(role, "member.leave")).toBe(true);
    for (const role of ROLES) expect(roleCan(role, "workspace.delete")).toBe(role === "owner");
  });

  it("narrows tokens by scope", () => {
    expect(scopesAllow(["read"], "workspace.read")).toBe(true);
    expect(scopesAllow(["read"], "workspace.update")).toBe(false);
    expect(scopesAllow(["full"], "workspace.update")).toBe(true);
    expect(scopesAllow([], "workspace.read")).toBe(false);
  });

  it("names every permission resource.action", () => {
    for (const p of PERMISSION_NAMES) expect(p).toMatch(/^[a-z]+(\.[a-z]+)+$/);
  });
});
