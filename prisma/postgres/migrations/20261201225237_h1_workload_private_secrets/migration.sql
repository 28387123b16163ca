-- AlterTable
ALTER TABLE "Token" ADD COLUMN     "boundById" TEXT;

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "allowedEnvNames" TEXT NOT NULL DEFAULT '';

-- Existing workload tokens: their binder is taken to be their creator (who minted them for their workload).
UPDATE "Token" SET "boundById" = "createdById" WHERE "workloadId" IS NOT NULL;
