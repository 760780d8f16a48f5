import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ROOT } from "./helpers/cli.js";
import { checkLayers, readLayers, type Violation } from "./helpers/layers.js";

const layers = readLayers(readFileSync(join(ROOT, "README.md"), "utf8"));
const describeViolation = (v: Violation) => `${v.rule}: ${v.from} -> ${v.to}${v.cycle ? ` (${v.cycle.join(" -> ")})` : ""}`;

describe("the import graph of src/", () => {
  test("README's layer table reads as the rule", () => {
    const store = layers.find((l) => l.folders.includes("store"))!;
    expect(store.mayImport).toEqual(["schema", "domain"]);
    expect(store.mayImportTypes).toEqual(["plan"]);
    expect(layers.find((l) => l.folders.includes("commands"))!.mayImport).toEqual(["*"]);
    expect(layers.find((l) => l.folders.includes("watch"))!.folders).toEqual(["watch", "sync"]);
  });

  test("has no cycle and no import against README's Code layout", async () => {
    expect((await checkLayers(ROOT, layers)).map(describeViolation)).toEqual([]);
  }, 60_000);
});

describe("the check fails on", () => {
  // A project of a few files under the real README's rule: each case adds the import it must catch.
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-layers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
  cpSync(join(ROOT, "README.md"), join(dir, "README.md"));

  function project(name: string, files: Record<string, string>): string {
    const root = join(dir, name);
    mkdirSync(root);
    cpSync(join(dir, "tsconfig.json"), join(root, "tsconfig.json"));
    cpSync(join(dir, "README.md"), join(root, "README.md"));
    const base: Record<string, string> = {
      "src/domain/money.ts": "export const cents = 100;\n",
      "src/plan/types.ts": "export interface Plan { id: number }\nexport const EMPTY = 0;\n",
      "src/render/text.ts": 'import type { Plan } from "../plan/types.js";\nexport const render = (p: Plan) => String(p.id);\n',
      "src/store/apply.ts": 'import type { Plan } from "../plan/types.js";\nexport const apply = (p: Plan) => p.id;\n',
      "src/commands/plan.ts": 'import { render } from "../render/text.js";\nexport default render;\n',
    };
    for (const [path, text] of Object.entries({ ...base, ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }
  const rulesBroken = async (files: Record<string, string>, name: string, prepare?: (name: string) => void) => {
    const root = project(name, files);
    prepare?.(name);
    return [...new Set((await checkLayers(root)).map((v) => v.rule))];
  };

  test("nothing: the fixture itself is clean", async () => {
    expect(await rulesBroken({}, "clean")).toEqual([]);
  }, 60_000);

  test("an upward import (domain -> render)", async () => {
    expect(await rulesBroken({ "src/domain/money.ts": 'import { render } from "../render/text.js";\nexport const cents = render;\n' }, "upward")).toEqual([
      "layer:domain",
    ]);
  }, 60_000);

  test("an upward type-only import (domain -> plan)", async () => {
    expect(await rulesBroken({ "src/domain/money.ts": 'import type { Plan } from "../plan/types.js";\nexport const cents = (p: Plan) => p;\n' }, "type-up")).toEqual([
      "layer:domain",
    ]);
  }, 60_000);

  test("a value import where only types are allowed (store -> plan)", async () => {
    expect(await rulesBroken({ "src/store/apply.ts": 'import { EMPTY } from "../plan/types.js";\nexport const apply = () => EMPTY;\n' }, "store-value")).toEqual([
      "layer:store:types-only",
    ]);
  }, 60_000);

  test("importing a command", async () => {
    expect(await rulesBroken({ "src/render/text.ts": 'import cmd from "../commands/plan.js";\nexport const render = cmd;\n' }, "command")).toContain("layer:render");
  }, 60_000);

  test("a package src/vendor/ bundles, imported past it (types may be)", async () => {
    const vendor = { "src/vendor/yaml.ts": 'export { stringify } from "yaml";\nexport type { Node } from "yaml";\n' };
    // An import the cruiser cannot resolve has no type-only mark: the fixtures see the real packages.
    const withPackages = (name: string) => symlinkSync(join(ROOT, "node_modules"), join(dir, name, "node_modules"));
    expect(await rulesBroken({ ...vendor, "src/domain/money.ts": 'import { stringify } from "yaml";\nexport const cents = stringify;\n' }, "vendored", withPackages)).toEqual([
      "vendored-package",
    ]);
    const typesOnly = { ...vendor, "src/domain/money.ts": 'import type { Node } from "yaml";\nexport const cents = (n: Node) => n;\n' };
    expect(await rulesBroken(typesOnly, "vendored-types", withPackages)).toEqual([]);
    // Unresolved (no node_modules), a direct import is caught all the same.
    expect(await rulesBroken({ ...vendor, "src/domain/money.ts": 'import { stringify } from "yaml";\nexport const cents = stringify;\n' }, "vendored-bare")).toEqual([
      "vendored-package",
    ]);
  }, 60_000);

  test("a cycle inside one folder", async () => {
    expect(
      await rulesBroken(
        {
          "src/plan/a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\n',
          "src/plan/b.ts": 'import type { A } from "./a.js";\nexport interface B { a?: A }\n',
        },
        "cycle",
      ),
    ).toEqual(["no-cycle"]);
  }, 60_000);
});
