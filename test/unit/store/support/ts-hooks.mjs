// Module hooks for register-ts.mjs: `./x.js` imports fall back to `./x.ts` (our NodeNext import
// style), and .ts files are transpiled (types stripped) with Vite's Oxc transform.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformWithOxc } from 'vite';

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
    if (relative && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
    throw e;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const out = await transformWithOxc(await readFile(fileName, 'utf8'), fileName, { lang: 'ts' });
  return { format: 'module', source: out.code, shortCircuit: true };
}
