import { describe, expect, it } from 'vitest';
import { CallGate } from './call-gate.js';

/** A call whose end the test decides. */
function pending(log: string[], name: string): { work: () => Promise<void>; end: () => void } {
  let end = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    end = resolve;
  });
  return {
    work: async () => {
      log.push(`${name} start`);
      await done;
      log.push(`${name} end`);
    },
    end: () => end(),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CallGate', () => {
  it('other calls run side by side', async () => {
    const gate = new CallGate();
    const log: string[] = [];
    const a = pending(log, 'a');
    const b = pending(log, 'b');
    const both = Promise.all([gate.shared(a.work), gate.shared(b.work)]);
    await settle();
    expect(log).toEqual(['a start', 'b start']);
    a.end();
    b.end();
    await both;
  });

  it('an exclusive call starts once the calls running have ended, and calls arriving meanwhile wait for it to end', async () => {
    const gate = new CallGate();
    const log: string[] = [];
    const before = pending(log, 'before');
    const importing = pending(log, 'import');
    const after = pending(log, 'after');
    const first = gate.shared(before.work);
    const exclusive = gate.exclusively(importing.work);
    await settle();
    const later = gate.shared(after.work);
    await settle();
    expect(log).toEqual(['before start']);
    before.end();
    await first;
    await settle();
    expect(log).toEqual(['before start', 'before end', 'import start']);
    importing.end();
    await exclusive;
    await settle();
    expect(log.at(-1)).toBe('after start');
    after.end();
    await later;
  });

  it('two exclusive calls run one after the other, and a failed one frees the gate', async () => {
    const gate = new CallGate();
    const log: string[] = [];
    const failing = gate.exclusively(async () => {
      log.push('first start');
      await settle();
      throw new Error('refused');
    });
    const second = gate.exclusively(async () => {
      log.push('second start');
      return 'ok';
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await second).toBe('ok');
    expect(await gate.shared(async () => 'free')).toBe('free');
    expect(log).toEqual(['first start', 'second start']);
  });
});
