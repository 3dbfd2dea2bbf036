// Renders a failure explanation: the headline sentence, the labelled facts, and Core Lightning's
// raw error data behind a disclosure for whoever wants the JSON.
import { explainFailure, type FailureContext } from '../failure.js';
import { h } from '../dom.js';
import type { RpcErrorView } from '../rpc-views.js';

export function failureView(err: RpcErrorView, ctx: FailureContext): HTMLElement {
  const x = explainFailure(err, ctx);
  const dl = h('dl', { class: 'facts' });
  // The headline is already the failcode sentence: do not read it twice.
  for (const f of x.facts.filter((f) => !(f.label === 'What happened' && f.text === x.headline))) dl.append(h('dt', {}, f.label), h('dd', {}, f.label === 'Message' ? h('code', {}, f.text) : f.text));
  return h(
    'div',
    { class: 'failure', 'data-code': String(x.code) },
    h('p', { class: 'headline' }, x.headline),
    dl,
    x.raw === undefined ? null : h('details', {}, h('summary', {}, 'Raw error data (Core Lightning JSON)'), h('pre', {}, h('code', {}, x.raw))),
  );
}
