import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { cruise, type ICruiseResult, type IForbiddenRuleType } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

/*
 * The layer rule of src/, read from README.md's "Code layout" table (the one
 * place it is written): each row's folders may import the folders its "may
 * import" column names, and their own. dependency-cruiser walks the import
 * graph (type-only imports included) and reports every import against it and
 * every cycle.
 */

export interface Layer {
  /** Folders under src/ this row covers (`watch`, `sync`). */
  folders: string[];
  /** Folders it may import, besides its own. */
  mayImport: string[];
  /** Folders it may import types from only. */
  mayImportTypes: string[];
}

const NOT_SRC = new Set(["zod", "ajv", "yaml"]);

/** The table's rows, in order; `entry` folders (commands, cli) may import everything and nothing imports them. */
export function readLayers(readme: string): Layer[] {
  const section = readme.split(/^## Code layout$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error("README.md has no \"## Code layout\" section");
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `src/"))
    .map((line) => line.split("|").map((cell) => cell.trim()));
  const layers: Layer[] = [];
  for (const cells of rows) {
    const folders = [...cells[1]!.matchAll(/`src\/([a-z-]+)\/`/g)].map((m) => m[1]!);
    const rule = cells[3] ?? "";
    const above = layers.flatMap((l) => l.folders);
    const mayImport: string[] = [];
    const mayImportTypes: string[] = [];
    if (/^everything/.test(rule)) {
      layers.push({ folders, mayImport: ["*"], mayImportTypes });
      continue;
    }
    for (const part of rule.replace(/\(not each other\)/, "").split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
      if (/all of the above|every row above it/.test(part)) mayImport.push(...above);
      const named = /^`?([a-z-]+)`?(\s+\(types\))?/.exec(part.replace(/\s+and every row above it/, ""));
      if (!named || NOT_SRC.has(named[1]!) || /all of the above/.test(part)) continue;
      if (!above.includes(named[1]!)) throw new Error(`README "Code layout": ${folders.join(", ")} may import ${named[1]}, which is not a row above it`);
      (named[2] ? mayImportTypes : mayImport).push(named[1]!);
    }
    layers.push({ folders, mayImport: [...new Set(mayImport)], mayImportTypes });
  }
  return layers;
}

const anyOf = (folders: string[]) => `^src/(${folders.join("|")})/`;

/** dependency-cruiser rules: no cycle, nothing outside the table's permissions. */
export function layerRules(layers: Layer[]): IForbiddenRuleType[] {
  const all = layers.flatMap((l) => l.folders);
  const rules: IForbiddenRuleType[] = [
    { name: "no-cycle", severity: "error", from: {}, to: { circular: true } },
    // Prisma's generated clients are the schema's, not a layer: no product code imports them.
    { name: "no-generated-client", severity: "error", from: { path: "^src/" }, to: { path: "^src/generated/" } },
  ];
  for (const layer of layers) {
    if (layer.mayImport.includes("*")) continue;
    const allowed = new Set([...layer.folders, ...layer.mayImport]);
    const denied = all.filter((f) => !allowed.has(f) && !layer.mayImportTypes.includes(f));
    const from = { path: anyOf(layer.folders) };
    if (denied.length) rules.push({ name: `layer:${layer.folders.join("+")}`, severity: "error", from, to: { path: anyOf(denied) } });
    if (layer.mayImportTypes.length) {
      rules.push({
        name: `layer:${layer.folders.join("+")}:types-only`,
        severity: "error",
        from,
        to: { path: anyOf(layer.mayImportTypes), dependencyTypesNot: ["type-only"] },
      });
    }
    // The row's folders listed together ("watch, sync") do not import each other.
    for (const folder of layer.folders) {
      const others = layer.folders.filter((f) => f !== folder && !layer.mayImport.includes(f));
      if (others.length) rules.push({ name: `layer:${folder}:siblings`, severity: "error", from: { path: `^src/${folder}/` }, to: { path: anyOf(others) } });
    }
  }
  // The package entry (src/index.ts) is an edge like the commands.
  rules.push({ name: "entry-imported", severity: "error", from: {}, to: { path: "^src/index\\.ts$" } });
  return rules;
}

/**
 * The packages src/vendor/ re-exports (the build bundles each with its
 * module), read from its imports: any other module that imports one loads
 * the package a second time, unbundled (types aside).
 */
export function vendorRules(root: string): IForbiddenRuleType[] {
  const dir = join(root, "src", "vendor");
  const packages = existsSync(dir)
    ? [...new Set(readdirSync(dir).filter((f) => f.endsWith(".ts")).flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/from "((?:@[^/"]+\/)?[^/".][^/"]*)/g)].map((m) => m[1]!)))]
    : [];
  if (!packages.length) return [];
  const escaped = packages.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return [
    {
      name: "vendored-package",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/vendor/" },
      // Resolved into node_modules (wherever it is), or not resolved at all (the bare name).
      to: { path: `(^|/)node_modules/(${escaped.join("|")})/|^(${escaped.join("|")})(/|$)`, dependencyTypesNot: ["type-only"] },
    },
  ];
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
  cycle?: string[];
}

/** Cruises `root`/src with the layer rules of `root`/README.md (or the given layers). */
export async function checkLayers(root: string, layers = readLayers(readFileSync(join(root, "README.md"), "utf8"))): Promise<Violation[]> {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const tsConfig = extractTSConfig(join(root, "tsconfig.json"));
    const result = await cruise(
      ["src"],
      {
        tsPreCompilationDeps: true,
        tsConfig: { fileName: join(root, "tsconfig.json") },
        exclude: { path: "^src/generated/" },
        doNotFollow: { path: "node_modules" },
        ruleSet: { forbidden: [...layerRules(layers), ...vendorRules(root)] },
        validate: true,
      },
      {},
      { tsConfig },
    );
    const output = result.output as ICruiseResult;
    const unresolved = output.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith(".")).map((d) => `${m.source} -> ${d.module}`),
    );
    if (unresolved.length) throw new Error(`imports the cruiser could not resolve:\n${unresolved.join("\n")}`);
    return output.summary.violations.map((v) => ({
      rule: v.rule.name,
      from: relative(root, join(root, v.from)),
      to: relative(root, join(root, v.to)),
      ...(v.cycle ? { cycle: v.cycle.map((c) => c.name) } : {}),
    }));
  } finally {
    process.chdir(cwd);
  }
}
