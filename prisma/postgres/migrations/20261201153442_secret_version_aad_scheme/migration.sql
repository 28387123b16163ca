-- AlterTable
ALTER TABLE "SecretVersion" ADD COLUMN     "aadScheme" INTEGER NOT NULL DEFAULT 1;
