-- CreateTable
CREATE TABLE "DeviceAuthorization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deviceCodeHash" TEXT NOT NULL,
    "userCodeHash" TEXT NOT NULL,
    "hashKeyId" TEXT NOT NULL,
    "machineName" TEXT NOT NULL,
    "requestedWorkspaceId" TEXT,
    "requestIp" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "decidedAuthMethod" TEXT,
    "workspaceId" TEXT,
    "tokenExpiresInDays" INTEGER,
    "tokenId" TEXT,
    "lastPolledAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DeviceAuthorization_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DeviceAuthorization_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DeviceAuthorization_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "DeviceAuthorization_deviceCodeHash_key" ON "DeviceAuthorization"("deviceCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "DeviceAuthorization_userCodeHash_key" ON "DeviceAuthorization"("userCodeHash");

-- CreateIndex
CREATE INDEX "DeviceAuthorization_decidedById_idx" ON "DeviceAuthorization"("decidedById");

-- CreateIndex
CREATE INDEX "DeviceAuthorization_workspaceId_idx" ON "DeviceAuthorization"("workspaceId");

-- CreateIndex
CREATE INDEX "DeviceAuthorization_tokenId_idx" ON "DeviceAuthorization"("tokenId");

-- CreateIndex
CREATE INDEX "DeviceAuthorization_expiresAt_idx" ON "DeviceAuthorization"("expiresAt");
