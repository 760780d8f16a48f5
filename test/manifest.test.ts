import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "./helpers/cli.js";
// @ts-expect-error plain ESM script without types
import { normaliseManifest } from "../scripts/manifest.mjs";

const committed = readFileSync(join(ROOT, "oclif.manifest.json"), "utf8");
const normalise = normaliseManifest as (text: string) => string;

test("the committed manifest is in the build's order: rebuilding it changes no byte", () => {
  expect(normalise(committed)).toBe(committed);
});

test("whatever order oclif loads the commands in, the build writes the same bytes", () => {
  const manifest = JSON.parse(committed) as { commands: Record<string, unknown>; version: string };
  const reversed = { ...manifest, commands: Object.fromEntries(Object.entries(manifest.commands).reverse()) };
  expect(JSON.stringify(reversed, null, 2)).not.toBe(committed);
  expect(normalise(JSON.stringify(reversed, null, 2))).toBe(committed);
});

test("the manifest lists exactly the commands in src/commands", () => {
  const dir = join(ROOT, "src/commands");
  const ids = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => relative(dir, join(dir, f)).replace(/\.ts$/, "").split("/").join(":"))
    .sort();
  expect(Object.keys((JSON.parse(committed) as { commands: object }).commands)).toEqual(ids);
});
