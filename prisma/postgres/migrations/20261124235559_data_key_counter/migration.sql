-- AlterTable
ALTER TABLE "WorkspaceKey" ADD COLUMN     "encryptions" INTEGER NOT NULL DEFAULT 0;

-- Existing data keys start from the values still sealed under them (a lower bound: replaced
-- versions were deleted), rather than from zero.
UPDATE "WorkspaceKey" SET "encryptions" = (
    SELECT COUNT(*) FROM "SecretVersion" v JOIN "Secret" s ON s."id" = v."secretId"
    WHERE s."workspaceId" = "WorkspaceKey"."workspaceId" AND v."dataKeyVersion" = "WorkspaceKey"."version"
);
