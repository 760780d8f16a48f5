-- AlterTable
ALTER TABLE "cfgsync_revision" ADD COLUMN     "desired_state" TEXT,
ADD COLUMN     "restored_from" INTEGER;

-- CreateTable
CREATE TABLE "cfgsync_hold" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "revision_id" INTEGER NOT NULL,
    "restored_from" INTEGER NOT NULL,
    "git_commit" TEXT,
    "actor" TEXT NOT NULL,
    "held_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cfgsync_hold_pkey" PRIMARY KEY ("id")
);

