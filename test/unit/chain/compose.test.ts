// Composing a node with a chain source: whatever form the source comes in (flag, spec, or an
// object built by the embedder), it must be for the node's network, and the static source (with
// its synthetic funding) only on regtest.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLightningNode, LightningNode, type LightningNodeClient } from '../../../src/node.js';
import { BitcoindChain, ChainError, EsploraChain, StaticChain, chainSourceFor, checkChainForNetwork } from '../../../src/chain/index.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import { NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { webSocketDialer } from '../../../src/net/dial-browser.js';

const open: LightningNodeClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('checkChainForNetwork', () => {
  it('requires the same network, and the static source only on regtest', () => {
    expect(() => checkChainForNetwork(new StaticChain(), 'regtest')).not.toThrow();
    expect(() => checkChainForNetwork(new StaticChain(), 'bitcoin')).toThrow(/static chain source is for regtest but the node runs on bitcoin/);
    expect(() => checkChainForNetwork(new StaticChain({ network: 'bitcoin' }), 'bitcoin')).toThrow(/only allowed on regtest/);
    expect(() => checkChainForNetwork(new EsploraChain({ url: 'http://x', network: 'signet' }), 'testnet')).toThrow(ChainError);
    expect(() => checkChainForNetwork(new BitcoindChain({ url: 'http://u:p@x:1', network: 'bitcoin' }), 'bitcoin')).not.toThrow();
  });

  it('a source accepted for one network is still refused for another', () => {
    const signet = new StaticChain({ network: 'signet' });
    const regtest = new StaticChain();
    checkChainForNetwork(regtest, 'regtest');
    expect(() => checkChainForNetwork(regtest, 'signet')).toThrow(/is for regtest but the node runs on signet/);
    expect(() => checkChainForNetwork(signet, 'signet')).toThrow(/only allowed on regtest/);
    expect(() => checkChainForNetwork(signet, 'signet')).toThrow(/only allowed on regtest/);
  });
});

describe('chainSourceFor', () => {
  it('takes a flag, a spec or a source object, and checks each the same way', () => {
    expect(chainSourceFor('static:5', 'regtest').kind).toBe('static');
    expect(chainSourceFor({ esplora: 'http://127.0.0.1:1' }, 'signet')).toMatchObject({ kind: 'esplora', network: 'signet' });
    const own = new EsploraChain({ url: 'http://127.0.0.1:1', network: 'testnet' });
    expect(chainSourceFor(own, 'testnet')).toBe(own);
    expect(() => chainSourceFor('static', 'bitcoin')).toThrow(/only allowed on regtest/);
    expect(() => chainSourceFor({ static: true }, 'signet')).toThrow(/only allowed on regtest/);
    expect(() => chainSourceFor(own, 'bitcoin')).toThrow(/esplora chain source is for testnet but the node runs on bitcoin/);
    expect(() => chainSourceFor('electrum:x', 'regtest')).toThrow(/bad --chain value/);
  });
});

describe('createLightningNode with a chain source object', () => {
  it('refuses a static chain on mainnet, however it is built, before opening the data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lw-chain-'));
    dirs.push(dir);
    await expect(createLightningNode({ network: 'bitcoin', chain: new StaticChain(), dataDir: dir })).rejects.toThrow(
      /static chain source is for regtest but the node runs on bitcoin/,
    );
    await expect(createLightningNode({ network: 'bitcoin', chain: new StaticChain({ network: 'bitcoin' }) })).rejects.toThrow(/only allowed on regtest/);
    await expect(createLightningNode({ network: 'testnet', chain: new EsploraChain({ url: 'http://127.0.0.1:1', network: 'regtest' }) })).rejects.toMatchObject({
      code: 'BAD_SPEC',
    });
    await expect(createLightningNode({ network: 'signet', chain: 'static:100' })).rejects.toThrow(/only allowed on regtest/);
    // Nothing was left open: the same directory starts a regtest node.
    const ok = await createLightningNode({ network: 'regtest', chain: new StaticChain(), dataDir: dir });
    open.push(ok);
    expect(ok.node.chain.kind).toBe('static');
  });

  it('is checked again where the node itself is composed (LightningNode.start)', async () => {
    const store = await openMemoryStore({ name: 'compose', schema: NODE_SCHEMA });
    const base = { store, seed: new Uint8Array(32).fill(7), dialer: webSocketDialer() };
    await expect(LightningNode.start({ ...base, network: 'bitcoin', chain: new StaticChain() })).rejects.toBeInstanceOf(ChainError);
    await expect(LightningNode.start({ ...base, network: 'testnet', chain: new StaticChain({ network: 'testnet' }) })).rejects.toThrow(/only allowed on regtest/);
    const node = await LightningNode.start({ ...base, network: 'regtest', chain: new StaticChain() });
    await node.close();
  });
});
