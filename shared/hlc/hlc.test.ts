import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import { HlcClock, HlcSchema, MAX_CLOCK_DRIFT_MS, compareHlc, formatHlc, parseHlc } from './hlc.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  return undefined;
}

const T0 = 1_718_000_000_000;

function clockAt(deviceId: string, start = T0): { clock: HlcClock; set: (ms: number) => void } {
  let now = start;
  return { clock: new HlcClock(deviceId, () => now, null), set: (ms) => (now = ms) };
}

describe('encoding', () => {
  it('is fixed-width wall, counter, then device id', () => {
    expect(formatHlc({ wallMs: T0, counter: 7, deviceId: 'dev-a' })).toBe(
      '001718000000000:000007:dev-a',
    );
    expect(parseHlc('001718000000000:000007:dev-a')).toEqual({
      wallMs: T0,
      counter: 7,
      deviceId: 'dev-a',
    });
    expect(HlcSchema.safeParse('001718000000000:000007:dev-a').success).toBe(true);
  });

  it('refuses malformed timestamps', () => {
    for (const bad of [
      '',
      '1718000000000:0:dev',
      '001718000000000:000007:',
      '001718000000000:000007:a:b',
      '001718000000000:0000007:dev',
      'x01718000000000:000007:dev',
      '001718000000000:000007:dev a',
    ]) {
      expect(codeOf(() => parseHlc(bad))).toBe('INVALID_INPUT');
      expect(HlcSchema.safeParse(bad).success).toBe(false);
    }
    expect(codeOf(() => formatHlc({ wallMs: -1, counter: 0, deviceId: 'd' }))).toBe(
      'CLOCK_OVERFLOW',
    );
    expect(codeOf(() => formatHlc({ wallMs: 0, counter: 1_000_000, deviceId: 'd' }))).toBe(
      'CLOCK_OVERFLOW',
    );
    expect(codeOf(() => formatHlc({ wallMs: 0, counter: 0, deviceId: 'a:b' }))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => new HlcClock(''))).toBe('INVALID_INPUT');
  });

  it('orders as text by wall, then counter, then device', () => {
    const a = formatHlc({ wallMs: 9, counter: 999_999, deviceId: 'z' });
    const b = formatHlc({ wallMs: 10, counter: 0, deviceId: 'a' });
    const c = formatHlc({ wallMs: 10, counter: 0, deviceId: 'b' });
    const d = formatHlc({ wallMs: 10, counter: 1, deviceId: 'a' });
    expect([d, c, b, a].sort(compareHlc)).toEqual([a, b, c, d]);
    expect(compareHlc(a, a)).toBe(0);
  });
});

describe('HlcClock', () => {
  it('tick follows physical time and counts within a millisecond', () => {
    const { clock, set } = clockAt('dev-a');
    expect(clock.tick()).toBe('001718000000000:000000:dev-a');
    expect(clock.tick()).toBe('001718000000000:000001:dev-a');
    set(T0 + 5);
    expect(clock.tick()).toBe('001718000000005:000000:dev-a');
  });

  it('never goes backwards when the system clock does', () => {
    const { clock, set } = clockAt('dev-a');
    clock.tick();
    set(T0 - 60_000);
    expect(clock.tick()).toBe('001718000000000:000001:dev-a');
  });

  it('restores from the last persisted timestamp', () => {
    const clock = new HlcClock('dev-a', () => T0 - 1000, '001718000000000:000004:dev-a');
    expect(clock.tick()).toBe('001718000000000:000005:dev-a');
  });

  it('receive merges per the HLC rules', () => {
    const { clock, set } = clockAt('dev-a');
    clock.tick(); // 000
    // remote ahead of us: take its wall, counter + 1
    expect(clock.receive('001718000001000:000003:dev-b')).toBe('001718000001000:000004:dev-a');
    // same wall on both sides: max counter + 1
    expect(clock.receive('001718000001000:000009:dev-c')).toBe('001718000001000:000010:dev-a');
    // remote behind: keep ours, counter + 1
    expect(clock.receive('001717000000000:000050:dev-b')).toBe('001718000001000:000011:dev-a');
    // physical time passes everything: counter resets
    set(T0 + 2000);
    expect(clock.receive('001718000001500:000002:dev-b')).toBe('001718000002000:000000:dev-a');
  });

  it('refuses a remote clock more than 60 s ahead, naming its device, and keeps its state', () => {
    expect(MAX_CLOCK_DRIFT_MS).toBe(60_000);
    const { clock } = clockAt('dev-a');
    const before = clock.tick();
    const tooFar = formatHlc({
      wallMs: T0 + MAX_CLOCK_DRIFT_MS + 1,
      counter: 0,
      deviceId: 'dev-b',
    });
    expect(codeOf(() => clock.receive(tooFar))).toBe('CLOCK_DRIFT');
    expect(() => clock.receive(tooFar)).toThrow(
      /device "dev-b" is 60 s ahead of this device's clock/,
    );
    expect(compareHlc(clock.tick(), before)).toBe(1);
    expect(clock.tick().startsWith('001718000000000:')).toBe(true);
    const limit = formatHlc({ wallMs: T0 + MAX_CLOCK_DRIFT_MS, counter: 0, deviceId: 'dev-b' });
    expect(clock.receive(limit)).toBe(
      formatHlc({ wallMs: T0 + MAX_CLOCK_DRIFT_MS, counter: 1, deviceId: 'dev-a' }),
    );
  });

  it("measures the drift against this device's clock corrected by the server's offset", () => {
    const { clock } = clockAt('dev-a');
    const ahead = formatHlc({ wallMs: T0 + 90_000, counter: 0, deviceId: 'dev-b' });
    expect(codeOf(() => clock.receive(ahead))).toBe('CLOCK_DRIFT');
    expect(codeOf(() => clock.receive(ahead, -40_000))).toBe('CLOCK_DRIFT');
    expect(clock.receive(ahead, 40_000)).toBe(
      formatHlc({ wallMs: T0 + 90_000, counter: 1, deviceId: 'dev-a' }),
    );
  });

  it('rolls a full counter into the next millisecond instead of failing', () => {
    const clock = new HlcClock('dev-a', () => T0, '001718000000000:999999:dev-a');
    const rolled = clock.tick();
    expect(rolled).toBe('001718000000001:000000:dev-a');
    expect(compareHlc(rolled, '001718000000000:999999:dev-a')).toBe(1);
    expect(clock.tick()).toBe('001718000000001:000001:dev-a');
    const other = new HlcClock('dev-b', () => T0);
    const received = other.receive('001718000000000:999999:dev-a');
    expect(received).toBe('001718000000001:000000:dev-b');
    expect(compareHlc(received, '001718000000000:999999:dev-a')).toBe(1);
    // the physical clock catching up takes over again
    const later = new HlcClock('dev-c', () => T0 + 5, '001718000000000:999999:dev-c');
    expect(later.tick()).toBe('001718000000005:000000:dev-c');
  });

  it('refuses a broken physical clock', () => {
    expect(codeOf(() => new HlcClock('d', () => Number.NaN).tick())).toBe('CLOCK_OVERFLOW');
    expect(codeOf(() => new HlcClock('d', () => -5).tick())).toBe('CLOCK_OVERFLOW');
  });

  it('is monotonic and totally ordered under random ticks and receives', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), device: fc.nat(3) }),
      fc.record({ kind: fc.constant('send' as const), from: fc.nat(3), to: fc.nat(3) }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: -50, max: 2000 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20_000, max: 20_000 }), { minLength: 4, maxLength: 4 }),
        fc.array(op, { maxLength: 300 }),
        (skews, ops) => {
          let time = T0;
          const clocks = skews.map((skew, i) => new HlcClock(`dev-${i}`, () => time + skew));
          const clockOf = (i: number): HlcClock => clocks[i] as HlcClock;
          const last: (string | null)[] = clocks.map(() => null);
          const issued = new Set<string>();
          const record = (device: number, stamp: string, after?: string): void => {
            const previous = last[device];
            if (previous !== null && previous !== undefined)
              expect(compareHlc(stamp, previous)).toBe(1);
            if (after !== undefined) expect(compareHlc(stamp, after)).toBe(1);
            expect(parseHlc(stamp).wallMs).toBeGreaterThanOrEqual(time + (skews[device] ?? 0));
            expect(issued.has(stamp)).toBe(false);
            issued.add(stamp);
            last[device] = stamp;
          };
          for (const step of ops) {
            if (step.kind === 'advance') time += step.ms;
            else if (step.kind === 'tick') record(step.device, clockOf(step.device).tick());
            else {
              const message = clockOf(step.from).tick();
              record(step.from, message);
              record(step.to, clockOf(step.to).receive(message), message);
            }
          }
          const all = [...issued];
          const tuple = (s: string): [number, number, string] => {
            const p = parseHlc(s);
            return [p.wallMs, p.counter, p.deviceId];
          };
          const byTuple = [...all].sort((x, y) => {
            const [a, b] = [tuple(x), tuple(y)];
            return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
          });
          expect([...all].sort(compareHlc)).toEqual(byTuple);
        },
      ),
      { numRuns: 300 },
    );
  });
});
