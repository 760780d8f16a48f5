import Ajv2020Module, { _ } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import standaloneModule from "ajv/dist/standalone/index.js";

/*
 * ajv (draft 2020-12) and its formats, as cfgsync uses them: every module
 * imports ajv from here. The build bundles this module with the libraries into
 * one file (scripts/bundle-vendor.mjs): loading ajv's ~90 CommonJS modules one by one
 * costs every command that checks settings schemas about 10 ms more than one
 * file does (issue #11, start-up). The build-time standalone compiler and its
 * code tag come from the same copy, so generated code and compiler agree.
 */

// The packages are CommonJS with a `default` export; NodeNext sees the module object.
const unwrap = (m: unknown): unknown => (m as { default?: unknown }).default ?? m;
export const Ajv2020 = unwrap(Ajv2020Module) as typeof Ajv2020Module.default;
export const addFormats = unwrap(addFormatsModule) as typeof addFormatsModule.default;
export const standaloneCode = unwrap(standaloneModule) as typeof standaloneModule.default;
export { _ };
export type { ErrorObject, Options, ValidateFunction } from "ajv/dist/2020.js";
