// Browser signals that a dead socket should be replaced now rather than after the backoff:
// `online`, `visibilitychange` to visible and `pageshow` (mobile browsers kill the sockets of
// suspended pages). In a Worker only `online` exists; the page forwards the others.
export interface WakeEventTarget {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}
export interface WakeDocument extends WakeEventTarget {
  readonly visibilityState: string;
}

export interface WakeSources {
  /** Receives `online` and `pageshow` (window, or the worker's global scope). */
  global?: WakeEventTarget;
  /** Receives `visibilitychange`. */
  document?: WakeDocument;
}

function defaultSources(): WakeSources {
  const g = globalThis as unknown as Partial<WakeEventTarget> & { document?: WakeDocument };
  const out: WakeSources = {};
  if (typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function') out.global = g as WakeEventTarget;
  if (g.document && typeof g.document.addEventListener === 'function') out.document = g.document;
  return out;
}

/** Calls `onWake` on each signal; returns the function that stops listening. */
export function watchWakeEvents(onWake: () => void, sources: WakeSources = defaultSources()): () => void {
  const { global, document } = sources;
  const onVisibility = () => {
    if (document?.visibilityState === 'visible') onWake();
  };
  global?.addEventListener('online', onWake);
  global?.addEventListener('pageshow', onWake);
  document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    global?.removeEventListener('online', onWake);
    global?.removeEventListener('pageshow', onWake);
    document?.removeEventListener('visibilitychange', onVisibility);
  };
}
