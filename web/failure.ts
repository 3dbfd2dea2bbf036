// A payment failure as a person reads it: what went wrong (the failcodename as a sentence),
// where (erring_index: you, your first hop, a hop along the way, the destination), which node and
// channel (and which way), what the RPC code means, and the decoded failure data. The code and
// message stay verbatim: they are Core Lightning's contract, and what one searches the web for.
import { BADONION } from '../src/payments/failcodes.js';
import { failcodeSentence, codeMeaning } from './failure-text.js';
import { describeRawMessage } from './failure-fields.js';
import { nodeLabel, type NodeNames } from './format.js';
import { isObject, str, u32, type RpcErrorView } from './rpc-views.js';

/** What the page knows about the attempt: the route it sent (ids and channels), who we are. */
export interface FailureContext {
  route?: readonly { id?: string; channel?: string }[];
  selfId?: string;
  names?: NodeNames;
}

export interface FailureFact {
  label: string;
  text: string;
}

export interface FailureExplanation {
  /** Core Lightning's code and message, verbatim. */
  code: number;
  message: string;
  /** The one-line headline: the failcode sentence, or the code's meaning. */
  headline: string;
  /** Labelled facts in reading order (what, where, node, channel, code, details). */
  facts: FailureFact[];
  /** `data` as pretty JSON (bigint written as digits), for the raw-data disclosure. */
  raw?: string;
}

/**
 * JSON with bigint as plain integers, as Core Lightning writes u64 fields. Bigints are first
 * written as strings wrapped in NUL characters (JSON.stringify escapes them as \u0000) and
 * then unquoted; only a string that is exactly NUL, digits, NUL could be mistaken for one.
 */
export function prettyJson(v: unknown): string {
  const marked = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `\u0000${x}\u0000` : x), 2) ?? 'null';
  return marked.replace(/"\\u0000(\d+)\\u0000"/g, '$1');
}

function positionText(index: number, routeLength: number | undefined, isDestination: boolean): string {
  if (index === 0) return 'Your own node, before the payment left it (erring_index 0).';
  if (isDestination) return index === 1 ? 'The destination, which is also your first hop (erring_index 1).' : `The destination (erring_index ${index}).`;
  if (index === 1) return 'Your first hop (erring_index 1).';
  return routeLength === undefined ? `The node at position ${index} of the route (erring_index ${index}).` : `Hop ${index} of ${routeLength} (erring_index ${index}).`;
}

function channelText(scid: string, direction: number | undefined, ctx: FailureContext, names: NodeNames): string {
  const dir = direction === undefined ? '' : `, direction ${direction}`;
  const route = ctx.route ?? [];
  const i = route.findIndex((h) => h.channel === scid || h.channel?.replace(/\/[01]$/, '') === scid);
  if (i < 0) {
    const side = direction === undefined ? '' : ` (sent by the ${direction === 0 ? 'lower' : 'higher'} of its two node ids)`;
    return `${scid}${dir}${side}.`;
  }
  const from = i === 0 ? 'you' : route[i - 1]?.id === undefined ? 'the previous hop' : nodeLabel(route[i - 1]!.id!, names);
  const to = route[i]?.id === undefined ? 'the next hop' : nodeLabel(route[i]!.id!, names);
  return `${scid}${dir}: the channel from ${from} to ${to}.`;
}

export function explainFailure(err: RpcErrorView, ctx: FailureContext = {}): FailureExplanation {
  const names: NodeNames = ctx.names ?? new Map();
  const data = isObject(err.data) ? err.data : undefined;
  const out: FailureExplanation = { code: err.code, message: err.message, headline: codeMeaning(err.code), facts: [] };
  if (err.data !== undefined) out.raw = prettyJson(err.data);
  const facts = out.facts;
  const index = data === undefined ? undefined : u32(data.erring_index);
  const failcode = data === undefined ? undefined : u32(data.failcode);

  if (failcode !== undefined) {
    out.headline = failcodeSentence(failcode, str(data?.failcodename));
    facts.push({ label: 'What happened', text: out.headline });
  } else if (data !== undefined && str(data.onionreply) !== undefined) {
    facts.push({ label: 'What happened', text: 'A node sent back an error that could not be decrypted, so nobody knows which node failed.' });
  }

  if (index !== undefined && data !== undefined) {
    const erringNode = str(data.erring_node)?.toLowerCase();
    const destination = str(data.destination)?.toLowerCase() ?? ctx.route?.[ctx.route.length - 1]?.id?.toLowerCase();
    const routeLength = ctx.route?.length;
    // For BADONION codes from a forwarding node, Core Lightning blames the NEXT node (the one that
    // could not read its onion) while erring_index stays at the reporter; so erring_node alone
    // cannot tell "the destination" apart, and the route (when known) decides.
    const badOnion = failcode !== undefined && (failcode & BADONION) !== 0;
    const isDestination = index > 0 && (routeLength !== undefined ? index === routeLength : !badOnion && erringNode !== undefined && erringNode === destination);
    facts.push({ label: 'Where', text: positionText(index, routeLength, isDestination) });
    if (erringNode !== undefined) {
      let who = ctx.selfId !== undefined && erringNode === ctx.selfId.toLowerCase() ? `you (${nodeLabel(erringNode, names)})` : nodeLabel(erringNode, names);
      const reporter = index > 0 ? ctx.route?.[index - 1]?.id?.toLowerCase() : undefined;
      if (badOnion && reporter !== undefined && reporter !== erringNode) who += `: the next node, which could not read its onion (${nodeLabel(reporter, names)} reported it)`;
      facts.push({ label: 'Node', text: who });
    }
    const channel = str(data.erring_channel);
    if (channel !== undefined) facts.push({ label: 'Channel', text: channelText(channel, u32(data.erring_direction), ctx, names) });
  }

  const fc = failcode === undefined ? '' : ` · failcode ${failcode}${str(data?.failcodename) === undefined ? '' : ` (${str(data?.failcodename)})`}`;
  facts.push({ label: 'Error code', text: `${err.code}: ${codeMeaning(err.code)}${fc}` });
  facts.push({ label: 'Message', text: err.message });
  const raw = data === undefined ? undefined : str(data.raw_message);
  if (raw !== undefined) for (const line of describeRawMessage(raw)) facts.push({ label: 'Detail', text: line });
  return out;
}
