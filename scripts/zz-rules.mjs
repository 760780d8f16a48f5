import { loadConfig } from "../dist/config/load.js";
import * as rulesMod from "../dist/config/rules/index.js";
const dir = process.argv[2];
let s = performance.now();
const loaded = await loadConfig(dir, { cwd: process.cwd() });
console.log("loadConfig", (performance.now() - s).toFixed(0), "ms", loaded.diagnostics.length);
// time each rule on the desired state
const ctx = loaded.ruleContext ?? undefined;
console.log(Object.keys(loaded));
