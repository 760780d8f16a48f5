-- CreateTable
CREATE TABLE "cfgsync_meta" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

