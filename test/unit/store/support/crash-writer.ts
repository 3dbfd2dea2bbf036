// Child process of the crash test: commits in a loop until it is SIGKILLed, printing the number
// of each commit once commit() has resolved (i.e. once the commit is acknowledged as durable).
// Each commit i: puts log row i, puts mirror-i, deletes mirror-(i-5), and sets meta.counter = i
// with a random-size blob (appends vary in size and can tear; overwriting the blob makes the
// journal outgrow the live data, so compactions run often and kills land inside them too).
// Resumes after the counter.
import { openFileStore } from '../../../../src/store/file.js';
import { CRASH_SCHEMA } from './crash-schema.js';

const [dir, minBytes] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: crash-writer.ts <dir> [compaction minBytes]');
const store = await openFileStore({ name: dir, schema: CRASH_SCHEMA, compaction: { minBytes: Number(minBytes ?? 1 << 20), ratio: 1.5 } });
const counter = await store.get('meta', 'counter');
let i = typeof counter?.n === 'number' ? counter.n + 1 : 0;
for (;;) {
  // Mostly small commits, and now and then a 4 MiB one: a kill during its write() can cut it short.
  const size = i % 8 === 0 ? 4 << 20 : Math.floor(Math.random() * 20_000);
  const blob = new Uint8Array(size).fill(i & 255);
  const ops: Parameters<typeof store.commit>[0] = [
    { table: 'log', put: { id: i, amount: BigInt(i) * 1000n, pad: new Uint8Array(64).fill(i & 255) } },
    { table: 'log', put: { id: `mirror-${i}`, of: i } },
    { table: 'meta', put: { id: 'counter', n: i, blob } },
  ];
  if (i >= 5) ops.push({ table: 'log', delete: `mirror-${i - 5}` });
  await store.commit(ops);
  process.stdout.write(`${i}\n`);
  i++;
}
