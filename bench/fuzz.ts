import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzz } from './lib/fuzz-run.ts';
import { PUBLISHED_CRASH_INPUTS } from './lib/hostile-messages.ts';
import { mingaEnv } from './servers/minga.ts';
import { mingaEntry, startNodeProcess } from './servers/process.ts';

/**
 * `node --import tsx bench/fuzz.ts [--cases 100000] [--seed 1] [--sockets 4] [--out FILE]`
 *
 * Fuzzes the content plane of a real Minga process (bench/lib/fuzz-run.ts) and prints what held:
 * cases by kind, closes, unexpected closes (each a finding, with the bytes that preceded it),
 * health and an honest client's round trip during the run, memory, the refusals the server gave
 * and any error it logged. `npm test` runs a seeded 4,000 (tests/integration/fuzz.test.ts).
 */

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    sockets: { type: 'string', default: '4' },
    out: { type: 'string' }
  }
});

const MAX_MESSAGE_BYTES = 65_536;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const dir = mkdtempSync(join(tmpdir(), 'minga-bench-fuzz-'));
const server = await startNodeProcess(mingaEntry(), {
  env: mingaEnv(dir, { MESSAGES_PER_SECOND: '100000', MESSAGE_BURST: '1000000', MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) }),
  ready: /abre http:\/\/localhost:(\d+)/
});
// Counted as the lines arrive: the process keeps only the tail of its output.
const refusals: Record<string, number> = {};
const errors: string[] = [];
let pending = '';
const read = (chunk: Buffer) => {
  const lines = (pending + chunk.toString()).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (/"level":(50|60)/.test(line)) errors.push(line.slice(0, 500));
    const refused = /"code":"([A-Z_]+)"[^\n]*"msg":"update refused"/.exec(line);
    if (refused) refusals[refused[1]!] = (refusals[refused[1]!] ?? 0) + 1;
  }
};
server.proc.stdout!.on('data', read);
server.proc.stderr!.on('data', read);

try {
  const httpUrl = `http://127.0.0.1:${server.port}`;
  const workshop = await post<{ code: string; facilitatorToken: string; boards: { id: string }[] }>(httpUrl, '/api/workshops', {
    title: 'Taller bajo fuzzing',
    challengeIds: ['desafio-6']
  });
  const who = async (name: string) => {
    const p = await post<{ token: string; participantId: string }>(httpUrl, `/api/workshops/${workshop.code}/join`, { name, sector: 'comunidad', comuna: 'Ovalle' });
    return { token: p.token, author: { id: p.participantId, name, sector: 'comunidad' } };
  };
  const sockets = Number(args.sockets);
  const cases = Number(args.cases);
  log(`fuzzing ${cases} cases (seed ${args.seed}, ${sockets} hostile sockets), ${PUBLISHED_CRASH_INPUTS.length} published crash inputs among them`);
  const report = await fuzz(
    {
      httpUrl,
      wsUrl: `ws://127.0.0.1:${server.port}`,
      boardId: workshop.boards[0]!.id,
      pid: server.pid,
      attackers: await Promise.all(Array.from({ length: sockets }, (_, i) => who(`Mallory ${i}`))),
      writer: await who('Ana'),
      readerToken: (await who('Beto')).token,
      checkerToken: workshop.facilitatorToken,
      maxMessageBytes: MAX_MESSAGE_BYTES
    },
    { cases, seed: Number(args.seed), log }
  );
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  log(`cases: ${report.cases} in ${report.seconds.toFixed(0)} s over ${report.connections} connections`);
  log(`by kind: ${JSON.stringify(report.byKind)}`);
  log(`closes: ${JSON.stringify(report.closes)}; unexpected: ${report.unexpectedCloses.length}`);
  for (const u of report.unexpectedCloses.slice(0, 10)) log(`  ${u.code} ${u.reason} after ${u.last.map((c) => `${c.kind}:${c.hex}`).join(' ')}`);
  log(`refusals sent: ${JSON.stringify(refusals)}`);
  log(`server alive: ${report.serverAlive}; errors logged: ${errors.length}`);
  for (const e of errors.slice(0, 10)) log(`  ${e}`);
  log(`health: p50 ${ms(report.health.p50)}, p99 ${ms(report.health.p99)}, max ${ms(report.health.max)}, failures ${report.health.failures} of ${report.health.samples + report.health.failures}`);
  log(
    `honest round trip: p50 ${ms(report.roundTrip.p50)}, p99 ${ms(report.roundTrip.p99)}, max ${ms(report.roundTrip.max)}; ` +
      `${report.roundTrip.delivered}/${report.roundTrip.posted} delivered, ${report.lostIdeas} lost; converged: ${report.converged}`
  );
  log(`server RSS: ${report.rss.startMb.toFixed(0)} MB at start, ${report.rss.peakMb.toFixed(0)} MB peak, ${report.rss.endMb.toFixed(0)} MB at the end`);
  if (args.out) writeFileSync(args.out, JSON.stringify({ ...report, refusals, errors }, null, 2) + '\n');
  const ok = report.serverAlive && report.unexpectedCloses.length === 0 && report.lostIdeas === 0 && report.converged && errors.length === 0;
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
