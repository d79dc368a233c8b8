// Start-up + first-call cost of the emulator, against an anchor measured in the same run.
// Run: pnpm bench (after pnpm build). Each sample is a fresh Node process (cold module loading).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./cold-start.mjs', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 7);

function sample(mode) {
  return JSON.parse(execFileSync(process.execPath, [script, mode], { encoding: 'utf8' }).trim());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const emulator = [];
const anchor = [];
for (let i = 0; i < runs; i++) {
  // Interleaved so that machine noise hits both alike.
  emulator.push(sample('emulator'));
  anchor.push(sample('anchor'));
}

const pick = (samples, key) => median(samples.map((s) => s[key]));
const ms = (value) => `${value.toFixed(1)} ms`;
const rows = [
  ['import @netra/secret-manager-emulator', ms(pick(emulator, 'importPackage'))],
  ['startEmulator (load protos, bind, seed)', ms(pick(emulator, 'startEmulator'))],
  ['import official client + construct', ms(pick(emulator, 'importClientAndConstruct'))],
  ['first AccessSecretVersion', ms(pick(emulator, 'firstCall'))],
  ['TOTAL start-up + first call', ms(pick(emulator, 'total'))],
  ['anchor: bare grpc-js server + first raw call', ms(pick(anchor, 'total'))],
  ['ratio total / anchor', `${(pick(emulator, 'total') / pick(anchor, 'total')).toFixed(1)}×`],
  ['second startEmulator in a warm process', ms(pick(emulator, 'warmStart'))],
  ['steady AccessSecretVersion (official client)', ms(pick(emulator, 'steadyCall'))],
  ['anchor: steady raw grpc-js echo call', ms(pick(anchor, 'steadyCall'))],
  ['ratio steady / anchor', `${(pick(emulator, 'steadyCall') / pick(anchor, 'steadyCall')).toFixed(1)}×`],
];
console.log(`Node ${process.version}, ${runs} cold processes each, medians\n`);
for (const [label, value] of rows) console.log(`${label.padEnd(48)} ${value}`);
