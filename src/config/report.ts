import { formatDiagnosticLine, type Diagnostic, type Severity } from "../domain/diagnostic.js";
import { workflowData, workflowProperty } from "../domain/inert.js";

export type ReportFormat = "text" | "json" | "github";

export interface ValidationReport {
  valid: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

export function validationReport(diagnostics: readonly Diagnostic[]): ValidationReport {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { valid: errors === 0, errors, warnings: diagnostics.length - errors, diagnostics: [...diagnostics] };
}

/** `paint` colours the severity word on a terminal (the caller decides; see render/style.ts). */
export function renderReport(report: ValidationReport, format: ReportFormat, configDir: string, paint?: (s: Severity) => string): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "github":
      return report.diagnostics.map(githubCommand).join("") + summary(report, configDir) + "\n";
    case "text":
      return report.diagnostics.map((d) => formatDiagnosticLine(d, paint) + "\n").join("") + summary(report, configDir) + "\n";
  }
}


function summary(r: ValidationReport, configDir: string): string {
  const counts = `${r.errors} error${r.errors === 1 ? "" : "s"}, ${r.warnings} warning${r.warnings === 1 ? "" : "s"}`;
  return r.valid ? `${configDir} is valid (${counts})` : `${configDir} is invalid: ${counts}`;
}

/** A GitHub Actions workflow command, escaped per GitHub's rules (data: %, CR, LF; properties also : and ,). */
export function githubCommand(d: Diagnostic): string {
  const props: string[] = [];
  if (d.file) props.push(`file=${workflowProperty(d.file)}`);
  if (d.line) props.push(`line=${d.line}`);
  if (d.col) props.push(`col=${d.col}`);
  props.push(`title=${workflowProperty(d.code)}`);
  return `::${d.severity} ${props.join(",")}::${workflowData(d.message)}\n`;
}

export { workflowData as escapeData, workflowProperty as escapeProperty } from "../domain/inert.js";
