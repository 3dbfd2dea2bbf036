// `node --import <this file> child.ts`: lets a plain Node child process (the crash test's writer,
// which must be SIGKILLed for real) run our TypeScript sources without a build step.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
