// Parses a crash-point spec "NAME[:N][,NAME[:N]…]" (e.g. "after_send:commitment_signed:2"):
// fire on the N-th time (default 1) a step with that name is reached. Tests use it to stop a
// node at an exact point of the commitment dance; production never sets it.
export function crashPointMatcher(spec: string, onHit: (name: string) => void): (name: string) => void {
  const targets = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(.*?)(?::(\d+))?$/.exec(s)!;
      return { name: m[1]!, nth: Number(m[2] ?? 1) };
    });
  const seen = new Map<string, number>();
  return (name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (targets.some((t) => t.name === name && t.nth === n)) onHit(name);
  };
}
