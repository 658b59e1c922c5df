import type { SqliteMigration } from './migration.js';
import { migration as core } from './001-core.js';
import { migration as accounts } from './002-accounts.js';
import { migration as mfa } from './003-mfa.js';
import { migration as audit } from './004-audit.js';
import { migration as counters } from './005-counters.js';
import { migration as auditPseudonyms } from './006-audit-pseudonyms.js';
import { migration as workspaces } from './007-workspaces.js';
import { migration as changeLog } from './008-change-log.js';
import { migration as keyDirectory } from './009-key-directory.js';
import { migration as invoiceNumbers } from './010-invoice-numbers.js';
import { migration as deviceApprovals } from './011-device-approvals.js';
import { migration as userKeyStatements } from './012-user-key-statements.js';
import { migration as snapshots } from './013-snapshots.js';
import { migration as auditRepeats } from './014-audit-repeats.js';

/**
 * Every migration in order. Each owner adds ONE import and ONE entry:
 * 002-accounts (users, sessions), 003-mfa, 004-audit, 005-counters, 006-audit-pseudonyms. A file exports
 * `export const migration: SqliteMigration = { version: N, name, up(db) { … } }` and has a
 * test beside it (`NNN-name.test.ts`, see 001-core.test.ts) that migrates to N-1, adds rows,
 * migrates to N and checks the result.
 */
export const MIGRATIONS: readonly SqliteMigration[] = [
  core,
  accounts,
  mfa,
  audit,
  counters,
  auditPseudonyms,
  workspaces,
  changeLog,
  keyDirectory,
  invoiceNumbers,
  deviceApprovals,
  userKeyStatements,
  snapshots,
  auditRepeats,
];
