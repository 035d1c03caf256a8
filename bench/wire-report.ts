import { runJson, type BenchResults } from './report.ts';
import { MINGA_FIXED_PAUSE, type TargetName } from './servers/types.ts';
import { WIRE_SERVERS } from './scenarios.ts';

/** The `--only wire` figures (issue 10): per scenario and size, p50/p99 and KB/s per client of each wire server. */

export interface WireRow {
  scenario: string;
  editors: number;
  servers: Partial<Record<TargetName, { p50: number; p99: number; delivered: number; kbPerClientPerSec: number; noisy: boolean }>>;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function wireSummary(results: BenchResults, noisyCores: number): WireRow[] {
  const rows = new Map<string, WireRow>();
  for (const r of results.runs.map(runJson)) {
    if (!WIRE_SERVERS.includes(r.target) || r.error || r.boards !== 1) continue;
    const key = `${r.scenario} ${r.editors}`;
    const row = rows.get(key) ?? { scenario: r.scenario, editors: r.editors, servers: {} };
    const seen = row.servers[r.target];
    // A size measured again (a noisy window) keeps its quieter run, as run.ts does.
    if (!seen || (seen.noisy && r.otherCpu <= noisyCores)) {
      row.servers[r.target] = { p50: r.p50, p99: r.p99, delivered: r.delivered, kbPerClientPerSec: round(r.bytesPerClientPerSec / 1024), noisy: r.otherCpu > noisyCores };
    }
    rows.set(key, row);
  }
  return [...rows.values()];
}

export function formatWire(rows: WireRow[]): string {
  const cell = (row: WireRow, s: TargetName) => {
    const f = row.servers[s];
    if (!f) return '–';
    const delivered = f.delivered < 1 ? ` (${round(f.delivered * 100, 0)} %)` : '';
    return `${f.p50}/${f.p99}${delivered}${f.noisy ? ' noisy' : ''}`;
  };
  const kb = (row: WireRow, s: TargetName) => row.servers[s]?.kbPerClientPerSec ?? '–';
  const ratio = (row: WireRow, pick: 'p50' | 'p99') => {
    const m = row.servers.minga;
    const y = row.servers['y-websocket'];
    return m && y && y[pick] > 0 ? `${round(m[pick] / y[pick], 2)}×` : '–';
  };
  const header = ['scenario', 'editors', ...WIRE_SERVERS.map((s) => `${s} p50/p99 ms`), 'p50 ÷ y-ws', 'p99 ÷ y-ws', ...WIRE_SERVERS.map((s) => `${s} KB/s/client`)];
  const body = rows.map((row) => [row.scenario, String(row.editors), ...WIRE_SERVERS.map((s) => cell(row, s)), ratio(row, 'p50'), ratio(row, 'p99'), ...WIRE_SERVERS.map((s) => String(kb(row, s)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `The wire (issue 10): Minga, ${MINGA_FIXED_PAUSE} (its wire before: fixed broadcast pause, every presence renewal relayed) and the classic y-websocket server.`,
    'p50/p99 end to end in ms (an undelivered receipt counts as a lower bound; in brackets: receipts delivered); KB/s received per client.',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line)
  ].join('\n');
}
