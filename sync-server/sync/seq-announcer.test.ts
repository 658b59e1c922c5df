import { describe, expect, it } from 'vitest';

import { InProcessSeqAnnouncer } from './seq-announcer.js';

describe('InProcessSeqAnnouncer', () => {
  it('tells the listeners of that workspace only, until they unsubscribe', () => {
    const announcer = new InProcessSeqAnnouncer();
    const heardA: number[] = [];
    const heardB: number[] = [];
    const stopA = announcer.subscribe('workspace-a', (seq) => heardA.push(seq));
    announcer.subscribe('workspace-b', (seq) => heardB.push(seq));
    announcer.publish('workspace-a', 7);
    stopA();
    announcer.publish('workspace-a', 8);
    announcer.publish('workspace-b', 3);
    expect(heardA).toEqual([7]);
    expect(heardB).toEqual([3]);
  });

  it('a listener that unsubscribes while being told does not make its neighbour miss it', () => {
    const announcer = new InProcessSeqAnnouncer();
    const heard: string[] = [];
    const stop = announcer.subscribe('w', () => {
      heard.push('first');
      stop();
    });
    announcer.subscribe('w', () => heard.push('second'));
    announcer.publish('w', 1);
    announcer.publish('w', 2);
    expect(heard).toEqual(['first', 'second', 'second']);
  });
});
