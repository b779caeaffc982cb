/**
 * What a pathway author sees when a file is wrong: where, which rule, what is wrong and how to
 * fix it. Every loader and check in this folder reports through this one shape so the CLI, the
 * server's start-up and the tests all print the same line.
 */
export interface PathwayError {
  file: string;
  line: number;
  rule: string;
  message: string;
  fix: string;
  /** Warnings are printed but do not fail a check. */
  severity: 'error' | 'warning';
}

export function pathwayError(
  file: string,
  line: number,
  rule: string,
  message: string,
  fix: string,
  severity: PathwayError['severity'] = 'error',
): PathwayError {
  return { file, line, rule, message, fix, severity };
}

/** `path/to/file.yaml:12: rule: message (fix)`, the form editors and CI logs link to. */
export function formatPathwayError(e: PathwayError): string {
  const tag = e.severity === 'warning' ? `warning ${e.rule}` : e.rule;
  return `${e.file}:${e.line}: ${tag}: ${e.message} (${e.fix})`;
}

export function hasErrors(errors: readonly PathwayError[]): boolean {
  return errors.some((e) => e.severity === 'error');
}
