import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { printFailure } from './output.js';
import { memoryIo } from './testing/memory-io.js';

describe('runCli exit codes and messages', () => {
  it('prints help with exit 0 and an unknown command with exit 2', async () => {
    const help = memoryIo();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out).toContain('account add');
    const unknown = memoryIo();
    expect(await runCli(['--vault', '/tmp/x', 'frobnicate'], unknown)).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
  });

  it('needs a vault directory', async () => {
    const io = memoryIo();
    expect(await runCli(['--json', 'status'], io)).toBe(2);
    expect(JSON.parse(io.err)).toEqual({
      error: { code: 'USAGE', message: expect.stringContaining('--vault') as unknown },
    });
  });

  it('turns an unexpected failure into INTERNAL without repeating its text', () => {
    // A driver error may quote a statement's parameters: its message must not reach the user.
    const error = new Error("SQLITE_ERROR near x'00112233445566778899'");
    for (const json of [true, false]) {
      const io = memoryIo();
      expect(printFailure(io, json, error)).toBe(1);
      expect(io.out).toBe('');
      expect(io.err).toContain('INTERNAL');
      expect(io.err).not.toContain('00112233');
    }
  });
});
