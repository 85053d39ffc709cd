/** One thing wrong with the deployment files, where it is and what it is. */
export interface Finding {
  /** A path of the repository, with `:line` where the line is known. */
  file: string;
  message: string;
}

/** How the command line prints a finding: one line, or more where the message carries a process's output. */
export const formatFinding = (f: Finding): string => `${f.file}: ${f.message}`;

/** The last line the command line prints. */
export function summary(findings: readonly Finding[], staticOnly: boolean): string {
  return findings.length ? `checkDeploy: ${findings.length} finding(s)` : `checkDeploy: all good${staticOnly ? ' (files only)' : ''}`;
}
