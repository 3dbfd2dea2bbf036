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
  worker: { format: 'es' },
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
