import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// One config: `vite build` makes the page client library (with its module Worker and the WASM
// module as assets) and the demo page; `vite` (dev) serves the demo page and the browser test
// harness under /test/browser/pages/.
export default defineConfig(({ mode }) => ({
  // The demo page builds from web/ (so its index.html lands at the top of dist/web); everything
  // else (library build, dev server for the test harness) works from the repository root.
  root: mode === 'demo' ? resolve(import.meta.dirname, 'web') : resolve(import.meta.dirname),
  server: { fs: { allow: [resolve(import.meta.dirname)] } },
  // Relative asset URLs: the library's Worker and WASM load from wherever the bundle is served.
  base: './',
  worker: { format: 'es' },
  // Pre-bundled up front so the dev server does not reload the page when a Worker first needs them.
  optimizeDeps: { include: ['comlink', 'idb', '@noble/hashes/sha2.js', '@noble/hashes/hmac.js', '@noble/hashes/legacy.js', '@noble/ciphers/chacha.js', '@scure/base'] },
  build:
    mode === 'demo'
      ? { outDir: resolve(import.meta.dirname, 'dist/web'), emptyOutDir: true, rollupOptions: { input: resolve(import.meta.dirname, 'web/index.html') } }
      : {
          outDir: 'dist/lib',
          emptyOutDir: true,
          sourcemap: true,
          lib: {
            entry: resolve(import.meta.dirname, 'src/worker/client.ts'),
            formats: ['es'],
            fileName: () => 'lightning-worker.js',
          },
        },
}));
