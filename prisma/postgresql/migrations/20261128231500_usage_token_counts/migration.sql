-- AlterTable
ALTER TABLE "credit_usage_log" ADD COLUMN     "input_tokens" INTEGER,
ADD COLUMN     "output_tokens" INTEGER;

