-- AlterTable
ALTER TABLE "Token" ADD COLUMN     "renewedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "defaultTokenExpiryDays" INTEGER NOT NULL DEFAULT 1;
