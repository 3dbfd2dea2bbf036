// Runs under `deno run`: `createLightningNode` from the compiled package (dist/node/node.js, its
// URL is the first argument) with its defaults for a runtime that is not Node — memory store,
// fresh seed, static chain, WebSocket dialer, WASM fetched from the package — driven by the test
// over stdin/stdout, one JSON object per line:
//   in:  {"id":N,"method":"start","params":{"alias":…,"zeroconfFrom":[…]}}   creates the node
//        {"id":N,"method":"<any RPC>","params":{…}}                           ln.call(method, params)
//        {"id":N,"method":"close"}                                            closes and exits
//   out: {"id":N,"result":…} | {"id":N,"error":{"code":…,"message":…,"data":…}}
// u64 values (bigint) travel as decimal strings.
type NodeModule = typeof import('../../../src/node.js');
type LightningNodeClient = Awaited<ReturnType<NodeModule['createLightningNode']>>;

// The part of Deno's namespace used here; the real one is a global at run time.
declare const Deno: {
  readonly args: string[];
  readonly stdin: { readonly readable: ReadableStream<Uint8Array> };
  readonly version: { readonly deno: string };
  exit(code: number): never;
};

interface Request {
  id: number;
  method: string;
  params?: Record<string, unknown>;
}

const mod = (await import(Deno.args[0]!)) as NodeModule;
let ln: LightningNodeClient | undefined;

function out(value: unknown): void {
  console.log(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

function errorObject(e: unknown): { code: number; message: string; data?: unknown } {
  if (e instanceof mod.RpcError) return { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) };
  return { code: -1, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

async function handle(req: Request): Promise<unknown> {
  if (req.method === 'start') {
    const p = req.params ?? {};
    ln = await mod.createLightningNode({
      network: 'regtest',
      ...(typeof p.alias === 'string' ? { alias: p.alias } : {}),
      ...(Array.isArray(p.zeroconfFrom) ? { zeroconfFrom: p.zeroconfFrom as string[] } : {}),
    });
    return { id: ln.id, deno: Deno.version.deno };
  }
  if (!ln) throw new Error('send "start" first');
  if (req.method === 'close') {
    await ln.close();
    return {};
  }
  return ln.call(req.method, (req.params ?? {}) as Parameters<LightningNodeClient['call']>[1]);
}

let buffered = '';
const decoder = new TextDecoder();
const stdin = Deno.stdin.readable.getReader();
for (let r = await stdin.read(); !r.done; r = await stdin.read()) {
  buffered += decoder.decode(r.value, { stream: true });
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const line = buffered.slice(0, nl).trim();
    buffered = buffered.slice(nl + 1);
    if (line === '') continue;
    const req = JSON.parse(line) as Request;
    // Calls run concurrently (waitsendpay may wait while others go on), answered by id.
    void handle(req).then(
      (result) => {
        out({ id: req.id, result });
        if (req.method === 'close') Deno.exit(0);
      },
      (e: unknown) => out({ id: req.id, error: errorObject(e) }),
    );
  }
}
