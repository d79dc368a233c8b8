// `pnpm bench`: @netra/ids against its anchors and peers, in one process, on the built dist/.
// Prints a Markdown table (the README pastes it) with each row's ratio to its anchor:
// generation against crypto.randomUUID(), parsing against a literal port of the old parse_run_id.
import { bench, group, run } from 'mitata';
import { nanoid } from 'nanoid';
import { TypeID, typeid } from 'typeid-js';
import { decodeTime, monotonicFactory } from 'ulid';
import { validate as uuidValidate, v7 as uuidv7 } from 'uuid';
import { extractThreadId, generateRunId, isRunId, parseRunId } from '../dist/index.js';
import { generateRunIdOld, parseRunIdOld, validateRunIdOld } from './old-backend-port.mjs';

const ANCHORS = { generate: 'crypto.randomUUID()', parse: 'old parse_run_id (JS port)' };
const TARGETS = { 'generateRunId (same thread)': 1.5, parseRunId: 4, isRunId: 4 };

// 16 thread IDs of the shapes the backend uses, visited in turn so that no cache sees one value only.
const threadIds = [
  ...Array.from({ length: 8 }, () => uuidv7()),
  ...Array.from({ length: 8 }, (_, i) => `thread_${i}_${nanoid(10).replace(/[^\w-]/g, 'x')}`),
];
// Run IDs as a service receives them: flat strings out of JSON, not the concatenations generateRunId returns.
const runIds = JSON.parse(JSON.stringify(threadIds.map((t) => generateRunId(t))));
// The floor under parseRunId: every current-format result carries a new Date of its timestamp.
const timestamps = runIds.map((id) => parseRunId(id).createdAt.getTime());
const legacyRunIds = JSON.parse(JSON.stringify(threadIds.map((t) => generateRunIdOld(t))));
const ulids = Array.from({ length: 16 }, monotonicFactory());
const uuids = Array.from({ length: 16 }, () => uuidv7());
const typeids = Array.from({ length: 16 }, () => typeid('run').toString());
const ulid = monotonicFactory();
let i = 0;
const next = () => (i = (i + 1) & 15);

const groups = {
  generate: {
    [ANCHORS.generate]: () => crypto.randomUUID(),
    'Date.now() alone': () => Date.now(),
    'generateRunId (same thread)': () => generateRunId(threadIds[0]),
    'generateRunId (16 threads in turn)': () => generateRunId(threadIds[next()]),
    'old generate_run_id (JS port)': () => generateRunIdOld(threadIds[next()]),
    'uuid v7()': () => uuidv7(),
    'ulid monotonicFactory()()': () => ulid(),
    'nanoid()': () => nanoid(),
    "typeid-js typeid('run').toString()": () => typeid('run').toString(),
  },
  parse: {
    [ANCHORS.parse]: () => parseRunIdOld(runIds[next()]),
    'old validate_run_id (JS port)': () => validateRunIdOld(runIds[next()]),
    parseRunId: () => parseRunId(runIds[next()]),
    'parseRunId (legacy IDs)': () => parseRunId(legacyRunIds[next()]),
    'new Date(ms) alone': () => new Date(timestamps[next()]),
    isRunId: () => isRunId(runIds[next()]),
    extractThreadId: () => extractThreadId(runIds[next()]),
    'uuid validate() (v7)': () => uuidValidate(uuids[next()]),
    'ulid decodeTime()': () => decodeTime(ulids[next()]),
    'typeid-js TypeID.fromString()': () => TypeID.fromString(typeids[next()]),
  },
};
for (const [name, benchmarks] of Object.entries(groups)) {
  group(name, () => {
    for (const [alias, fn] of Object.entries(benchmarks)) bench(alias, fn);
  });
}

const { benchmarks, context } = await run({ format: 'quiet' });
// Medians of mitata's samples: a busy machine (other processes on the cores) skews means much more.
const p50 = new Map(benchmarks.map((b) => [b.alias, b.runs[0].stats.p50]));
const avg = new Map(benchmarks.map((b) => [b.alias, b.runs[0].stats.avg]));
const rows = Object.entries(groups).flatMap(([name, members]) =>
  Object.keys(members).map((alias) => ({
    group: name,
    name: alias,
    p50: p50.get(alias),
    avg: avg.get(alias),
  })),
);
const anchorOf = (row) => p50.get(ANCHORS[row.group]);

const lines = [
  `Node ${process.version}, ${context.cpu.name ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}; time per call (mitata: median of samples, and mean). × = anchor median / row median (higher is faster).`,
  '',
  '| group | benchmark | ns/call (median) | ns/call (mean) | × anchor | target |',
  '|---|---|--:|--:|--:|--:|',
];
const misses = [];
for (const row of rows) {
  const ratio = anchorOf(row) / row.p50;
  const target = TARGETS[row.name];
  if (target && ratio < target) misses.push(`${row.name}: ${ratio.toFixed(2)}× (target ≥ ${target}×)`);
  lines.push(
    `| ${row.group} | ${row.name} | ${row.p50.toFixed(1)} | ${row.avg.toFixed(1)} | ${ratio.toFixed(2)}× | ${target ? `≥ ${target}×` : ''} |`,
  );
}
console.log(lines.join('\n'));
console.log(misses.length ? `\nBelow target: ${misses.join('; ')}` : '\nAll targets met.');
