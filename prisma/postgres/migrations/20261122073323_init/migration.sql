-- AlterTable
ALTER TABLE "Token" DROP COLUMN "keyVersion",
ADD COLUMN     "hashKeyId" TEXT NOT NULL;
