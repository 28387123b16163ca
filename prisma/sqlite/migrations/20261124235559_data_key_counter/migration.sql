-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WorkspaceKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "wrappedKey" BLOB NOT NULL,
    "masterKeyId" TEXT NOT NULL,
    "encryptions" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WorkspaceKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WorkspaceKey" ("createdAt", "id", "masterKeyId", "updatedAt", "version", "workspaceId", "wrappedKey") SELECT "createdAt", "id", "masterKeyId", "updatedAt", "version", "workspaceId", "wrappedKey" FROM "WorkspaceKey";
DROP TABLE "WorkspaceKey";
ALTER TABLE "new_WorkspaceKey" RENAME TO "WorkspaceKey";
CREATE INDEX "WorkspaceKey_masterKeyId_idx" ON "WorkspaceKey"("masterKeyId");
CREATE UNIQUE INDEX "WorkspaceKey_workspaceId_version_key" ON "WorkspaceKey"("workspaceId", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Existing data keys start from the values still sealed under them (a lower bound: replaced
-- versions were deleted), rather than from zero.
UPDATE "WorkspaceKey" SET "encryptions" = (
    SELECT COUNT(*) FROM "SecretVersion" v JOIN "Secret" s ON s."id" = v."secretId"
    WHERE s."workspaceId" = "WorkspaceKey"."workspaceId" AND v."dataKeyVersion" = "WorkspaceKey"."version"
);
