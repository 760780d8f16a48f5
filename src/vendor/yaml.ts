/*
 * The yaml library, as cfgsync uses it: every module imports yaml from here.
 * The build bundles this module with the library into one file (scripts/bundle-vendor.mjs):
 * loading the package's ~80 CommonJS modules one by one costs every command
 * about 5 ms more than one file does (issue #11, start-up).
 */
export { Composer, CST, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser, parseAllDocuments, Scalar, stringify } from "yaml";
export type { Alias, Node, Pair, ScalarTag, YAMLMap } from "yaml";
