import { describe, expect, it } from 'vitest';
import { fetchHubChannelStatus, HubChannelError, hubFailureText, parseHubChannelStatus } from '../../../web/hub-channel.js';

const PEER = `02${'cd'.repeat(32)}`;

describe("the demo hub's channel status", () => {
  it('reads each state; a failure keeps its reason and hint', () => {
    expect(parseHubChannelStatus({ peer: PEER, state: 'none' })).toEqual({ state: 'none' });
    expect(parseHubChannelStatus({ state: 'opening' })).toEqual({ state: 'opening' });
    expect(parseHubChannelStatus({ state: 'opened', channel_id: 'ab'.repeat(32) })).toEqual({ state: 'opened' });
    expect(parseHubChannelStatus({ state: 'failed', error: 'peer refused', hint: 'Reload.' })).toEqual({ state: 'failed', error: 'peer refused', hint: 'Reload.' });
    expect(parseHubChannelStatus({ state: 'failed' })).toEqual({ state: 'failed', error: 'no reason given' });
    expect(() => parseHubChannelStatus({ state: 'weird' })).toThrow(HubChannelError);
    expect(() => parseHubChannelStatus('failed')).toThrow('the hub status is not a JSON object');
  });

  it('asks the demo server for our own node id', async () => {
    let asked = '';
    const fetchFn: typeof fetch = (url) => {
      asked = String(url);
      return Promise.resolve(new Response(JSON.stringify({ peer: PEER, state: 'failed', error: 'option_zeroconf channel from an untrusted peer.' }), { status: 200 }));
    };
    const s = await fetchHubChannelStatus(PEER, fetchFn);
    expect(asked).toBe(`/api/hub/channel?peer=${PEER}`);
    expect(s).toEqual({ state: 'failed', error: 'option_zeroconf channel from an untrusted peer.' });
    if (s.state !== 'failed') throw new Error('unreachable');
    expect(hubFailureText(s)).toBe('The hub could not open a channel to you: option_zeroconf channel from an untrusted peer.');
    expect(hubFailureText({ ...s, hint: 'Reload the page.' })).toBe('The hub could not open a channel to you: option_zeroconf channel from an untrusted peer. Reload the page.');
  });

  it('reports HTTP errors and non-JSON answers as typed errors', async () => {
    await expect(fetchHubChannelStatus(PEER, () => Promise.resolve(new Response('starting', { status: 503 })))).rejects.toThrow('the demo server answered HTTP 503');
    await expect(fetchHubChannelStatus(PEER, () => Promise.resolve(new Response('<html>', { status: 200 })))).rejects.toThrow(HubChannelError);
  });
});
