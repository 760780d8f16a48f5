-- CreateTable
CREATE TABLE "cfgsync_meta" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "cfgsync_meta_pkey" PRIMARY KEY ("key")
);

