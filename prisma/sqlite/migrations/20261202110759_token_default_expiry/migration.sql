-- AlterTable
ALTER TABLE "Token" ADD COLUMN "renewedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "activationOrg" TEXT,
    "activationUseCase" TEXT,
    "rejectionReason" TEXT,
    "requestedAt" DATETIME,
    "reviewedAt" DATETIME,
    "reviewedById" TEXT,
    "createdById" TEXT,
    "personal" BOOLEAN NOT NULL DEFAULT false,
    "ssoDomain" TEXT,
    "ssoDefaultRole" TEXT NOT NULL DEFAULT 'member',
    "ssoRequired" BOOLEAN NOT NULL DEFAULT false,
    "requireMfa" BOOLEAN NOT NULL DEFAULT false,
    "maxTokenLifetimeDays" INTEGER NOT NULL DEFAULT 90,
    "defaultTokenExpiryDays" INTEGER NOT NULL DEFAULT 1,
    "auditRetentionDays" INTEGER,
    "allowedEnvNames" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Workspace_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Workspace_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Workspace" ("activationOrg", "activationUseCase", "allowedEnvNames", "auditRetentionDays", "createdAt", "createdById", "id", "maxTokenLifetimeDays", "name", "personal", "rejectionReason", "requestedAt", "requireMfa", "reviewedAt", "reviewedById", "ssoDefaultRole", "ssoDomain", "ssoRequired", "status", "updatedAt") SELECT "activationOrg", "activationUseCase", "allowedEnvNames", "auditRetentionDays", "createdAt", "createdById", "id", "maxTokenLifetimeDays", "name", "personal", "rejectionReason", "requestedAt", "requireMfa", "reviewedAt", "reviewedById", "ssoDefaultRole", "ssoDomain", "ssoRequired", "status", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_ssoDomain_key" ON "Workspace"("ssoDomain");
CREATE INDEX "Workspace_status_idx" ON "Workspace"("status");
CREATE INDEX "Workspace_createdById_idx" ON "Workspace"("createdById");
CREATE INDEX "Workspace_reviewedById_idx" ON "Workspace"("reviewedById");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
