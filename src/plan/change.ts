import type { JsonValue, ResourceKind } from "../domain/resources.js";

/** The closed set of actions (SPEC §5). */
export type Action = "create" | "update" | "delete" | "drift" | "unmanaged";
export const ACTIONS: readonly Action[] = ["create", "update", "delete", "drift", "unmanaged"];

/**
 * One field of a change. A sensitive field never carries a value, only whether
 * it changed (by digest), so no renderer can print a secret by mistake.
 */
export type FieldChange = (
  | { name: string; before: JsonValue | undefined; after: JsonValue | undefined; drifted?: boolean; sensitive?: never }
  | { name: string; sensitive: true; changed: boolean; drifted?: boolean }
) & {
  /** Where the value comes from when an environment overrides it (config/environments/<name>.yaml:line). */
  origin?: { file: string; line: number };
};

export interface Change {
  address: string;
  kind: ResourceKind;
  action: Action;
  fields: FieldChange[];
  source?: { file: string; line: number };
}
