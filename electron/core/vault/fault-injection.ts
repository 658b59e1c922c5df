/**
 * TEST-ONLY crash points. When the environment variable COFFER_FAULT_INJECT names a
 * point (e.g. `rekey:after-pending`), the process kills itself with SIGKILL on reaching
 * it — no cleanup, no finally blocks, exactly like a power cut — so tests can prove that
 * a crash there is recoverable. Unset in normal use, where this is a no-op.
 */
export const FAULT_INJECT_ENV = 'COFFER_FAULT_INJECT';

export type FaultPoint =
  | 'rekey:after-pending'
  | 'rekey:after-wrap'
  | 'rekey:after-rekey'
  | 'rekey:after-promote'
  | 'recovery-key:after-pending'
  | 'recovery-key:after-manifest'
  | 'recovery-key:after-promote'
  | 'recovery-key:after-show'
  | 'recovery-key:after-retire'
  | 'snapshot-load:before-commit'
  | 'snapshot-load:after-commit';

export function faultPoint(point: FaultPoint): void {
  if (process.env[FAULT_INJECT_ENV] === point) process.kill(process.pid, 'SIGKILL');
}
