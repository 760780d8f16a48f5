-- AlterTable
ALTER TABLE "credit_usage_log" ADD COLUMN "input_tokens" INTEGER;
ALTER TABLE "credit_usage_log" ADD COLUMN "output_tokens" INTEGER;

