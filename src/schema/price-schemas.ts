import { z } from "zod";
import { int32, money, printableName } from "./field-schemas.js";
import { PRICE_UNITS, SCALAR_PRICES, SEED_PRICE_FIELDS, type ListPriceField, type ScalarPrice, type ScalarPriceField } from "./prices.js";

/* The price dimensions of schema/prices.ts as zod schemas, for the model and policy documents. */

/** An image size: WxH in pixels. */
export const imageSize = z.string().regex(/^\d{2,5}x\d{2,5}$/, "WxH such as 1024x1024").describe("an image size WxH such as 1024x1024");

const describedPrice = (p: ScalarPrice) => money.optional().describe(p.describe);

/** The scalar price fields issue #10 adds, for the model schema. */
export const scalarPriceFields = Object.fromEntries(
  SCALAR_PRICES.filter((p) => !SEED_PRICE_FIELDS.includes(p.field)).map((p) => [p.field, describedPrice(p)]),
) as { [K in Exclude<ScalarPriceField, "input_token_rate" | "output_token_rate" | "cost_per_image">]: ReturnType<typeof describedPrice> };

export const contextTier = z
  .strictObject({
    above_input_tokens: int32({ min: 1 }).describe("The tier applies when a request has more input tokens than this"),
    input_token_rate: money.optional().describe("USD per 1M input tokens in this tier"),
    output_token_rate: money.optional().describe("USD per 1M output tokens in this tier"),
    cache_read_token_rate: money.optional().describe("USD per 1M cached input tokens read in this tier"),
    cache_write_token_rate: money.optional().describe("USD per 1M input tokens written to the cache in this tier"),
  })
  .describe("Long-context price tier: rates above a number of input tokens");

export const imagePrice = z
  .strictObject({
    size: imageSize,
    quality: printableName(40).describe("Quality level as the provider names it: standard, hd, low, medium, high"),
    cost_per_image: money.describe("USD per image of this size and quality"),
  })
  .describe("Price of one image of a size and quality");

/** The list prices of schema/prices.ts (LIST_PRICES). */
export const listPriceFields = {
  context_tiers: z.array(contextTier).max(20).optional().describe("Long-context tiers, by ascending above_input_tokens"),
  image_prices: z.array(imagePrice).max(200).optional().describe("Image price by size x quality (the margin uses the dearest)"),
} satisfies Record<ListPriceField, z.ZodType>;

/** policies.yaml: the largest believable price per unit, so a unit slip (per token typed as per 1M) fails validate. */
export const priceCeilings = z
  .partialRecord(
    z.enum(PRICE_UNITS),
    z.strictObject({
      max: money.describe("Largest allowed price in this unit (USD)"),
      except: z.array(printableName(200)).optional().describe("Model ids allowed above the ceiling"),
    }),
  )
  .describe("A ceiling per billing unit: no price above it unless the model is listed");
