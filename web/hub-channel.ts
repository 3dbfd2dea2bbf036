// The demo hub's word on the channel it opens to us: GET /api/hub/channel?peer=<our id> →
// { state: 'none' | 'opening' | 'opened' | 'failed', error?, hint? }. Asked while we wait for
// that channel, so a failed open is shown instead of an endless wait.
import { isObject, str } from './rpc-views.js';

export type HubChannelStatus =
  | { state: 'none' | 'opening' }
  | { state: 'opened' }
  | { state: 'failed'; error: string; hint?: string };

export class HubChannelError extends Error {}

export function parseHubChannelStatus(v: unknown): HubChannelStatus {
  if (!isObject(v)) throw new HubChannelError('the hub status is not a JSON object');
  const state = str(v.state);
  if (state === 'none' || state === 'opening' || state === 'opened') return { state };
  if (state === 'failed') {
    const hint = str(v.hint);
    const s: HubChannelStatus = { state, error: str(v.error) ?? 'no reason given' };
    if (hint !== undefined) s.hint = hint;
    return s;
  }
  throw new HubChannelError(`unknown hub channel state ${JSON.stringify(v.state)}`);
}

export async function fetchHubChannelStatus(peer: string, fetchFn: typeof fetch = fetch): Promise<HubChannelStatus> {
  const res = await fetchFn(`/api/hub/channel?peer=${encodeURIComponent(peer)}`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new HubChannelError(`the demo server answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new HubChannelError('the demo server answered something other than JSON');
  }
  return parseHubChannelStatus(body);
}

/** The sentence the channels section shows for a failed open. */
export function hubFailureText(s: { error: string; hint?: string }): string {
  return `The hub could not open a channel to you: ${s.error.replace(/\.+$/, '')}.${s.hint === undefined ? '' : ` ${s.hint}`}`;
}
