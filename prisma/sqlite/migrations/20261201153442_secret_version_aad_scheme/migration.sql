-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SecretVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "secretId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "ciphertext" BLOB NOT NULL,
    "iv" BLOB NOT NULL,
    "dataKeyVersion" INTEGER NOT NULL,
    "aadScheme" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SecretVersion_secretId_fkey" FOREIGN KEY ("secretId") REFERENCES "Secret" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_SecretVersion" ("ciphertext", "createdAt", "dataKeyVersion", "id", "iv", "secretId", "version") SELECT "ciphertext", "createdAt", "dataKeyVersion", "id", "iv", "secretId", "version" FROM "SecretVersion";
DROP TABLE "SecretVersion";
ALTER TABLE "new_SecretVersion" RENAME TO "SecretVersion";
CREATE UNIQUE INDEX "SecretVersion_secretId_version_key" ON "SecretVersion"("secretId", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
