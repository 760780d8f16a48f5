/** The record of one apply (SPEC §3): who, which commit, what, with secrets redacted. */
export interface RevisionRecord {
  id: number;
  created_at: string;
  git_commit: string | null;
  actor: string;
  plan_digest: string;
  config_digest: string;
  state_digest: string;
  summary: unknown;
  changes: unknown;
  /** A restore: the revision whose desired state it returned to (null or absent: an apply of config/). */
  restored_from?: number | null;
}
