// Every call the page makes to the Worker passes through here, so that a dead node or Worker
// never leaves a promise pending forever: once `fail` runs, calls in progress and all later ones
// reject with that error. Comlink itself never rejects a call whose Worker went away.
export class CallGate {
  private failure: Error | undefined;
  private readonly pending = new Set<(e: Error) => void>();

  /** Calls still waiting for the Worker. */
  get size(): number {
    return this.pending.size;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      let p: Promise<T>;
      try {
        p = call();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(resolve, reject).finally(() => this.pending.delete(reject));
    });
  }

  /** The first failure wins; returns false if the gate had already failed. */
  fail(error: Error): boolean {
    if (this.failure !== undefined) return false;
    this.failure = error;
    for (const reject of [...this.pending]) reject(error);
    this.pending.clear();
    return true;
  }
}
