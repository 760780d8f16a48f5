-- AlterTable
ALTER TABLE "cfgsync_revision" ADD COLUMN "desired_state" TEXT;
ALTER TABLE "cfgsync_revision" ADD COLUMN "restored_from" INTEGER;

-- CreateTable
CREATE TABLE "cfgsync_hold" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "revision_id" INTEGER NOT NULL,
    "restored_from" INTEGER NOT NULL,
    "git_commit" TEXT,
    "actor" TEXT NOT NULL,
    "held_at" DATETIME NOT NULL
);

