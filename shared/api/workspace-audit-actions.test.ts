import { describe, expect, it } from 'vitest';
import { workspaceAuditActionWords } from './workspace-audit-actions.js';

describe('workspaceAuditActionWords', () => {
  it('names a known route in words', () => {
    expect(workspaceAuditActionWords('PUT /v1/workspaces/:id/policy')).toBe(
      'Changed the security policy',
    );
  });

  it('has no words for a route it does not know, nor for what every object inherits', () => {
    for (const action of [
      'GET (no route)',
      'PUT /v1/workspaces/:id/colour',
      'toString',
      '__proto__',
    ]) {
      expect(workspaceAuditActionWords(action), action).toBeNull();
    }
  });
});
