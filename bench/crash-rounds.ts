import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CRASH_BEHAVIOUR, durability } from './durability.ts';
import { codeVersion, machineInfo } from './lib/run-info.ts';
import { durabilityLine } from './report.ts';

/**
 * `npm run bench:crash [-- --rounds 100]`: kill -9 rounds against Minga while 50 writers post, edit
 * and move ideas; one round in five killed during a compaction and one during a backup. After each
 * kill: 0 seen updates lost, `PRAGMA integrity_check` ok, the whole log replays with 0 errors.
 */
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100' },
    editors: { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    seed: { type: 'string', default: '20220' },
    out: { type: 'string', default: join(import.meta.dirname, 'results/crash-rounds.json') }
  }
});

const log = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();
const startedAt = new Date().toISOString();
const code = codeVersion();
log(`Minga ${code.commit}${code.serverDirty ? ' (server/ has uncommitted changes)' : ''}: ${args.rounds} crash rounds, ${args.editors} writers`);
const result = await durability('minga', {
  rounds: Number(args.rounds),
  editors: Number(args.editors),
  workers: Number(args.workers),
  seed: Number(args.seed),
  log,
  faults: true,
  behaviour: CRASH_BEHAVIOUR
});
const durationSec = Math.round((performance.now() - started) / 1000);
log('');
log(durabilityLine(result));
log(`took ${durationSec} s`);
const out = resolve(args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ plan: 'crash-rounds', startedAt, durationSec, machine: machineInfo(), code, durability: result }, null, 2) + '\n');
log(`results: ${out}`);
process.exit(result.lostUpdates + result.lostStructs + result.replayErrors + result.integrityFailures === 0 ? 0 : 1);
