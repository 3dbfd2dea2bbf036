import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/runtime/events.js';
import type { NodeEvent } from '../../../src/runtime/types.js';

const warn = (message: string): NodeEvent => ({ type: 'warning', message });

describe('EventHub', () => {
  it('hands events raised before anyone listened to the first subscriber, once', async () => {
    const hub = new EventHub(() => undefined);
    hub.emit(warn('a'));
    hub.emit(warn('b'));
    const first: string[] = [];
    const second: string[] = [];
    hub.subscribe((e) => first.push(e.type === 'warning' ? e.message : e.type));
    await Promise.resolve();
    hub.subscribe((e) => second.push(e.type === 'warning' ? e.message : e.type));
    hub.emit(warn('c'));
    await Promise.resolve();
    expect(first).toEqual(['a', 'b', 'c']);
    expect(second).toEqual(['c']);
  });
  it('keeps a bounded backlog and isolates a throwing subscriber', async () => {
    const errors: unknown[] = [];
    const hub = new EventHub((e) => errors.push(e));
    for (let i = 0; i < 300; i++) hub.emit(warn(String(i)));
    const got: string[] = [];
    hub.subscribe(() => {
      throw new Error('bug');
    });
    hub.subscribe((e) => got.push(e.type === 'warning' ? e.message : ''));
    await Promise.resolve();
    hub.emit(warn('live'));
    expect(errors.length).toBe(257);
    expect(got).toEqual(['live']);
  });
});
