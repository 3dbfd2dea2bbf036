// The `lightning-worker demo` command line. Kept apart from the command so the usage text and
// the parser are one list of flags (and unit-testable without starting a network).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LightningError } from '../errors.js';

export const DEMO_DEFAULT_PORT = 8080;

export const DEMO_USAGE = `usage: lightning-worker demo [options]   (npm start -- [options])
  --port N        port of the page server (default ${DEMO_DEFAULT_PORT}; 0 picks a free one)
  --host H        address of the page server (default 127.0.0.1)
  --web-dir DIR   the built demo page to serve (default dist/web, from \`vite build --mode demo\`)
  --help          this text
Starts a hub and a shop on a static regtest chain, a WebSocket proxy and the page server; prints
{"event":"demo-ready","url":…} on stdout when ready and {"event":"stopped"} after Ctrl-C.
Set LW_DEMO_LOG=debug for the nodes' logs (JSON lines on stderr).
`;

export class DemoUsageError extends LightningError {
  constructor(message: string) {
    super('DEMO_USAGE', message);
  }
}

export interface DemoArgs {
  host: string;
  port: number;
  webDir: string;
}

/** The built page next to the built command: dist/node/cli → dist/web. */
function defaultWebDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../web');
}

/** `--flag V` and `--flag=V`; throws DemoUsageError naming the bad flag. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const a: DemoArgs = { host: '127.0.0.1', port: DEMO_DEFAULT_PORT, webDir: defaultWebDir() };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new DemoUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const v = value();
        if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535) throw new DemoUsageError(`--port must be 0..65535, got ${JSON.stringify(v)}`);
        a.port = Number(v);
        break;
      }
      case '--host': {
        const v = value();
        if (v.trim() === '') throw new DemoUsageError('--host must not be empty');
        a.host = v;
        break;
      }
      case '--web-dir':
        a.webDir = resolve(value());
        break;
      default:
        throw new DemoUsageError(`unknown option ${raw}`);
    }
  }
  return a;
}
