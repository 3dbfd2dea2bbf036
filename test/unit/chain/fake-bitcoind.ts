// A small bitcoind behind a real HTTP JSON-RPC server, for the chain source tests (there is no
// bitcoind on this machine). It keeps a block list, a mempool, a UTXO set and one wallet, and
// answers the RPCs BitcoindChain uses the way bitcoind 27 does, including its defaults: no
// -txindex (getrawtransaction sees only the mempool, or one block given its hash), wallet RPCs
// addressed by /wallet/NAME, error codes and HTTP statuses as bitcoind sends them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes.js';
import { sat } from '../../../src/types.js';
import { parseTxHex } from '../../../src/channel/bitcoin/parse.js';
import { serializeTx, txidHex, txidFromHex, type Tx, type TxOut } from '../../../src/channel/bitcoin/tx.js';
import { decodeSegwitAddress } from '../../../src/channel/bitcoin/address.js';

type Coin = { value: bigint; spk: string; height: number | null; coinbase: boolean };
type Block = { hash: string; height: number; txids: string[] };
type Call = { method: string; params: unknown[]; path: string };

class RpcFailure {
  constructor(
    readonly code: number,
    readonly message: string,
    readonly status = 500,
  ) {}
}

const key = (txid: string, n: number) => `${txid}:${n}`;
const btc = (v: bigint) => Number(v) / 1e8;
const WALLET_SPK = { p2wpkh: '0014' + '77'.repeat(20), p2pkh: '76a914' + '66'.repeat(20) + '88ac' } as const;

export class FakeBitcoind {
  txindex = false;
  /** null: no fee estimate yet (a fresh regtest node). BTC per kvB otherwise. */
  estimate: number | null = 0.0002;
  /** Wallet names loaded; wallet RPCs on "/" go to the only one. */
  wallets = new Set(['default']);
  /** An encrypted wallet without walletpassphrase: signing refuses (-13). */
  walletLocked = false;
  /** Restarting: every call answers -28 "Loading block index..." as bitcoind does while it starts. */
  warmup = false;
  readonly calls: Call[] = [];
  readonly blocks: Block[] = [];
  readonly mempool = new Map<string, string>();
  /** Confirmed txs: txid → [hex, block hash]. */
  readonly confirmed = new Map<string, [string, string]>();
  readonly utxos = new Map<string, Coin>();
  readonly spentInMempool = new Set<string>();
  readonly walletTxids = new Set<string>();
  readonly walletCoins = new Set<string>();
  readonly locked = new Set<string>();
  private readonly drafts = new Map<string, TxOut[]>();
  /** Methods whose answers wait (see hold). */
  private readonly holds = new Map<string, Promise<void>>();
  private server: Server | undefined;

  constructor(private readonly credentials = 'user:pass') {
    this.mine(1);
  }

  get tip(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => this.answer(req, body, res));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `http://${this.credentials}@127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /**
   * Calls of `method` wait until the returned function is called (a slow wallet); `arrived`
   * resolves when the first such call came in.
   */
  hold(method: string): { release: () => void; arrived: Promise<void> } {
    let release!: () => void;
    let arrived!: () => void;
    const arrivedP = new Promise<void>((r) => (arrived = r));
    this.holds.set(
      method,
      new Promise<void>((r) => (release = r)).then(() => void this.holds.delete(method)),
    );
    this.arrivals.set(method, arrived);
    return { release, arrived: arrivedP };
  }

  private readonly arrivals = new Map<string, () => void>();

  /** Mines the mempool into the next block, then `blocks - 1` empty ones. */
  mine(blocks = 1): void {
    for (let b = 0; b < blocks; b++) {
      const height = this.blocks.length;
      const coinbase = this.tx([{ value: sat(50_0000_0000n), scriptPubKey: fromHex('51') }], height);
      const txids = [txidHex(coinbase), ...this.mempool.keys()];
      const block = { hash: toHex(randomBytes(32)), height, txids };
      this.blocks.push(block);
      this.addOutputs(txidHex(coinbase), coinbase, height, true);
      for (const [txid, hex] of this.mempool) {
        this.confirmed.set(txid, [hex, block.hash]);
        for (let n = 0; ; n++) {
          const c = this.utxos.get(key(txid, n));
          if (!c) break;
          c.height = height;
        }
      }
      for (const k of this.spentInMempool) this.utxos.delete(k);
      this.spentInMempool.clear();
      this.mempool.clear();
    }
  }

  /** A confirmed coin of `valueSat` for the wallet, in a new block. */
  giveWallet(valueSat: bigint, type: keyof typeof WALLET_SPK = 'p2wpkh'): void {
    const tx = this.tx([{ value: sat(valueSat), scriptPubKey: fromHex(WALLET_SPK[type]) }], this.blocks.length);
    const txid = txidHex(tx);
    this.mempool.set(txid, toHex(serializeTx(tx)));
    this.addOutputs(txid, tx, null, false);
    this.walletTxids.add(txid);
    this.walletCoins.add(key(txid, 0));
    this.mine(1);
  }

  /** Someone else's transaction paying `outputs`, in the mempool. */
  foreignTx(outputs: TxOut[]): string {
    const tx = this.tx(outputs, this.blocks.length + 1000);
    const txid = txidHex(tx);
    this.mempool.set(txid, toHex(serializeTx(tx)));
    this.addOutputs(txid, tx, null, false);
    return txid;
  }

  /** A transaction from nowhere (its one input spends nothing we track), unique by `salt`. */
  private tx(outputs: readonly TxOut[], salt: number): Tx {
    const input = { prevout: { txid: randomBytes(32), vout: salt }, scriptSig: Uint8Array.of(1, salt & 0xff), sequence: 0xffffffff, witness: [] };
    return { version: 2, inputs: [input], outputs, locktime: 0 };
  }

  private addOutputs(txid: string, tx: Tx, height: number | null, coinbase: boolean): void {
    tx.outputs.forEach((o, n) => this.utxos.set(key(txid, n), { value: o.value, spk: toHex(o.scriptPubKey), height, coinbase }));
  }

  private answer(req: IncomingMessage, body: string, res: ServerResponse): void {
    const expected = `Basic ${Buffer.from(this.credentials).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end();
      return;
    }
    let id: unknown = null;
    try {
      const r = JSON.parse(body) as { id: unknown; method: string; params?: unknown[] };
      id = r.id;
      const params = r.params ?? [];
      this.calls.push({ method: r.method, params, path: req.url ?? '/' });
      const held = this.holds.get(r.method);
      if (held) {
        this.arrivals.get(r.method)?.();
        void held.then(() => this.reply(res, id, r.method, params, req.url ?? '/'));
        return;
      }
      this.reply(res, id, r.method, params, req.url ?? '/');
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ result: null, error: { code: -32700, message: 'Parse error' }, id }));
    }
  }

  private reply(res: ServerResponse, id: unknown, method: string, params: unknown[], path: string): void {
    try {
      if (this.warmup) throw new RpcFailure(-28, 'Loading block index…');
      const result = this.dispatch(method, params, path);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result, error: null, id }));
    } catch (e) {
      if (!(e instanceof RpcFailure)) throw e;
      res.writeHead(e.status, { 'content-type': 'application/json' }).end(JSON.stringify({ result: null, error: { code: e.code, message: e.message }, id }));
    }
  }

  private requireWallet(path: string): void {
    const m = /^\/wallet\/([^/]+)$/.exec(path);
    if (m) {
      if (!this.wallets.has(decodeURIComponent(m[1]!))) throw new RpcFailure(-18, 'Requested wallet does not exist or is not loaded');
      return;
    }
    if (this.wallets.size === 0) throw new RpcFailure(-18, 'No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet.');
    if (this.wallets.size > 1) throw new RpcFailure(-19, 'Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).');
  }

  private block(hash: unknown): Block {
    const b = this.blocks.find((x) => x.hash === hash);
    if (!b) throw new RpcFailure(-5, 'Block not found');
    return b;
  }

  private verbose(txid: string, hex: string): Record<string, unknown> {
    const tx = parseTxHex(hex);
    const vout = tx.outputs.map((o, n) => ({ value: btc(o.value), n, scriptPubKey: { hex: toHex(o.scriptPubKey) } }));
    const out: Record<string, unknown> = { txid, hex, vout };
    const c = this.confirmed.get(txid);
    if (c) Object.assign(out, { blockhash: c[1], confirmations: this.tip.height - this.block(c[1]).height + 1 });
    return out;
  }

  private dispatch(method: string, p: unknown[], path: string): unknown {
    switch (method) {
      case 'getblockcount':
        return this.tip.height;
      case 'getblockhash': {
        const b = this.blocks[p[0] as number];
        if (!b) throw new RpcFailure(-8, 'Block height out of range');
        return b.hash;
      }
      case 'getblockheader': {
        const b = this.block(p[0]);
        return { hash: b.hash, height: b.height, confirmations: this.tip.height - b.height + 1 };
      }
      case 'getblock': {
        const b = this.block(p[0]);
        return { hash: b.hash, height: b.height, confirmations: this.tip.height - b.height + 1, tx: b.txids };
      }
      case 'getrawtransaction':
        return this.getrawtransaction(p[0] as string, p[1] === true || p[1] === 1, p[2] as string | undefined);
      case 'gettransaction': {
        this.requireWallet(path);
        const txid = p[0] as string;
        if (!this.walletTxids.has(txid)) throw new RpcFailure(-5, 'Invalid or non-wallet transaction id');
        const hex = this.mempool.get(txid) ?? this.confirmed.get(txid)![0];
        const c = this.confirmed.get(txid);
        if (!c) return { txid, confirmations: 0, hex };
        const b = this.block(c[1]);
        return { txid, confirmations: this.tip.height - b.height + 1, blockhash: b.hash, blockheight: b.height, blockindex: b.txids.indexOf(txid), hex };
      }
      case 'gettxout': {
        const k = key(p[0] as string, p[1] as number);
        const c = this.utxos.get(k);
        const includeMempool = p[2] !== false;
        if (!c || (includeMempool && this.spentInMempool.has(k)) || (!includeMempool && c.height === null)) return null;
        return {
          bestblock: this.tip.hash,
          confirmations: c.height === null ? 0 : this.tip.height - c.height + 1,
          value: btc(c.value),
          scriptPubKey: { hex: c.spk },
          coinbase: c.coinbase,
        };
      }
      case 'estimatesmartfee':
        return this.estimate === null ? { errors: ['Insufficient data or no feerate found'], blocks: 0 } : { feerate: this.estimate, blocks: p[0] };
      case 'sendrawtransaction':
        return this.sendrawtransaction(p[0] as string);
      case 'createrawtransaction':
        return this.createrawtransaction(p[0] as unknown[], p[1] as Record<string, string>[]);
      case 'fundrawtransaction':
        this.requireWallet(path);
        return this.fundrawtransaction(p[0] as string, p[1] as { fee_rate: number; changePosition?: number; lockUnspents?: boolean });
      case 'signrawtransactionwithwallet':
        this.requireWallet(path);
        if (this.walletLocked) throw new RpcFailure(-13, 'Error: Please enter the wallet passphrase with walletpassphrase first.');
        return this.sign(p[0] as string);
      case 'lockunspent': {
        this.requireWallet(path);
        const outs = p[1] as { txid: string; vout: number }[];
        // As bitcoind: every outpoint is checked before any changes, so one bad one refuses all.
        for (const o of outs) {
          const k = key(o.txid, o.vout);
          if (!this.utxos.has(k) && !this.confirmed.has(o.txid) && !this.mempool.has(o.txid)) throw new RpcFailure(-8, 'Invalid parameter, unknown transaction');
          if (!this.utxos.has(k)) throw new RpcFailure(-8, 'Invalid parameter, expected unspent output');
          if (p[0] === true && !this.locked.has(k)) throw new RpcFailure(-8, 'Invalid parameter, expected locked output');
          if (p[0] === false && this.locked.has(k)) throw new RpcFailure(-8, 'Invalid parameter, output already locked');
        }
        for (const o of outs) {
          if (p[0] === true) this.locked.delete(key(o.txid, o.vout));
          else this.locked.add(key(o.txid, o.vout));
        }
        return true;
      }
      case 'listlockunspent':
        this.requireWallet(path);
        return [...this.locked].map((k) => {
          const [txid, vout] = k.split(':') as [string, string];
          return { txid, vout: Number(vout) };
        });
      default:
        throw new RpcFailure(-32601, 'Method not found', 404);
    }
  }

  private getrawtransaction(txid: string, verbose: boolean, blockhash: string | undefined): unknown {
    let hex: string | undefined;
    if (blockhash !== undefined) {
      const b = this.blocks.find((x) => x.hash === blockhash);
      if (!b) throw new RpcFailure(-5, 'Block hash not found');
      if (!b.txids.includes(txid)) throw new RpcFailure(-5, 'No such transaction found in the provided block. Use gettransaction for wallet transactions.');
      hex = this.confirmed.get(txid)?.[0];
    } else {
      hex = this.mempool.get(txid) ?? (this.txindex ? this.confirmed.get(txid)?.[0] : undefined);
    }
    if (hex === undefined) {
      throw new RpcFailure(-5, 'No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.');
    }
    return verbose ? this.verbose(txid, hex) : hex;
  }

  private sendrawtransaction(hex: string): string {
    let tx: Tx;
    try {
      tx = parseTxHex(hex);
    } catch {
      throw new RpcFailure(-22, 'TX decode failed. Make sure the tx has at least one input.');
    }
    const txid = txidHex(tx);
    if (this.mempool.has(txid)) return txid;
    // bitcoind 27: a confirmed tx with an output still unspent is "already in utxo set"; one whose
    // outputs are all spent goes on to the mempool checks and fails on its (spent) inputs.
    if (this.confirmed.has(txid) && tx.outputs.some((_, n) => this.utxos.has(key(txid, n)))) {
      throw new RpcFailure(-27, 'Transaction outputs already in utxo set');
    }
    for (const i of tx.inputs) {
      const k = key(toHex(i.prevout.txid.slice().reverse()), i.prevout.vout);
      if (!this.utxos.has(k)) throw new RpcFailure(-25, 'bad-txns-inputs-missingorspent');
      // No replacement (RBF) in this fake: another spend in the mempool wins.
      if (this.spentInMempool.has(k)) throw new RpcFailure(-26, 'txn-mempool-conflict');
    }
    for (const i of tx.inputs) {
      const k = key(toHex(i.prevout.txid.slice().reverse()), i.prevout.vout);
      this.spentInMempool.add(k);
      if (this.walletCoins.has(k)) this.walletTxids.add(txid);
      this.locked.delete(k);
    }
    this.mempool.set(txid, hex);
    this.addOutputs(txid, tx, null, false);
    tx.outputs.forEach((o, n) => {
      if (toHex(o.scriptPubKey) === WALLET_SPK.p2wpkh) this.walletCoins.add(key(txid, n));
    });
    return txid;
  }

  private createrawtransaction(inputs: unknown[], outputs: Record<string, string>[]): string {
    if (inputs.length !== 0) throw new RpcFailure(-8, 'this fake only creates transactions without inputs');
    const outs: TxOut[] = outputs.map((o) => {
      const [address, amount] = Object.entries(o)[0]!;
      let spk: Uint8Array;
      try {
        spk = decodeSegwitAddress(address).scriptPubKey;
      } catch {
        throw new RpcFailure(-5, `Invalid Bitcoin address: ${address}`);
      }
      const m = /^(\d+)\.(\d{8})$/.exec(amount);
      if (!m) throw new RpcFailure(-3, 'Invalid amount');
      return { value: sat(BigInt(m[1]!) * 100_000_000n + BigInt(m[2]!)), scriptPubKey: spk };
    });
    const hex = toHex(serializeTx({ version: 2, inputs: [], outputs: outs, locktime: 0 }));
    this.drafts.set(hex, outs);
    return hex;
  }

  private fundrawtransaction(hex: string, opts: { fee_rate: number; changePosition?: number; lockUnspents?: boolean }): unknown {
    const outs = this.drafts.get(hex);
    if (!outs) throw new RpcFailure(-22, 'TX decode failed');
    const target = outs.reduce((s, o) => s + o.value, 0n);
    const coins = [...this.walletCoins]
      .filter((k) => this.utxos.has(k) && !this.spentInMempool.has(k) && !this.locked.has(k))
      .sort((a, b) => Number(this.utxos.get(b)!.value - this.utxos.get(a)!.value));
    const picked: string[] = [];
    let sum = 0n;
    let fee = 0n;
    for (const k of coins) {
      picked.push(k);
      sum += this.utxos.get(k)!.value;
      fee = BigInt(Math.ceil(opts.fee_rate * (11 + 68 * picked.length + 43 * (outs.length + 1))));
      if (sum >= target + fee) break;
    }
    if (picked.length === 0 || sum < target + fee) throw new RpcFailure(-4, 'Insufficient funds');
    const change = sum - target - fee;
    const outputs = [...outs];
    let changepos = -1;
    if (change > 294n) {
      changepos = Math.min(opts.changePosition ?? outputs.length, outputs.length);
      outputs.splice(changepos, 0, { value: sat(change), scriptPubKey: fromHex(WALLET_SPK.p2wpkh) });
    }
    const inputs = picked.map((k) => {
      const [txid, n] = k.split(':') as [string, string];
      return { prevout: { txid: txidFromHex(txid), vout: Number(n) }, scriptSig: new Uint8Array(0), sequence: 0xfffffffd, witness: [] };
    });
    if (opts.lockUnspents) for (const k of picked) this.locked.add(k);
    return { hex: toHex(serializeTx({ version: 2, inputs, outputs, locktime: 0 })), fee: btc(fee), changepos };
  }

  private sign(hex: string): unknown {
    const tx = parseTxHex(hex);
    const errors: { txid: string; vout: number; error: string }[] = [];
    const inputs = tx.inputs.map((i) => {
      const txid = toHex(i.prevout.txid.slice().reverse());
      const c = this.utxos.get(key(txid, i.prevout.vout));
      if (!c || !this.walletCoins.has(key(txid, i.prevout.vout))) {
        errors.push({ txid, vout: i.prevout.vout, error: 'Input not found or already spent' });
        return i;
      }
      const sig = concatBytes(Uint8Array.of(0x30), randomBytes(70), Uint8Array.of(0x01));
      const pub = concatBytes(Uint8Array.of(0x02), randomBytes(32));
      if (c.spk === WALLET_SPK.p2pkh) return { ...i, scriptSig: concatBytes(Uint8Array.of(sig.length), sig, Uint8Array.of(pub.length), pub) };
      return { ...i, witness: [sig, pub] };
    });
    const signed = toHex(serializeTx({ ...tx, inputs }));
    return errors.length ? { hex: signed, complete: false, errors } : { hex: signed, complete: true };
  }
}

/** The methods called so far, in order. */
export function methods(fake: FakeBitcoind): string[] {
  return fake.calls.map((c) => c.method);
}
