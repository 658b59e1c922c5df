// Types for dependency-audit.js, so the TypeScript tests can import it.
export interface AuditResult {
  /** 0 passed (or not checked, and not required), 1 advisories found, 3 not checked but required. */
  status: number;
  lines: string[];
}

export function runAudit(env: NodeJS.ProcessEnv): Promise<AuditResult>;
