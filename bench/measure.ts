import { mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Histogram } from './lib/histogram.ts';
import { coresBetween, machineCoresBetween, ProcessMonitor, sampleMachine, type MachineSample } from './lib/proc.ts';
import { LoadGenerator, type LoadResult, type Timing } from './load/generator.ts';
import type { Behaviour } from './load/protocol.ts';
import { hocuspocus } from './servers/hocuspocus.ts';
import { minga, mingaBefore, mingaFixedPause, mingaUnbatched } from './servers/minga.ts';
import { MINGA_BEFORE, MINGA_FIXED_PAUSE, MINGA_UNBATCHED, type BenchServer, type TargetName } from './servers/types.ts';
import { wsRelay } from './servers/ws-relay.ts';
import { yWebsocket } from './servers/y-websocket.ts';

export const SERVERS: Record<TargetName, BenchServer> = {
  minga,
  [MINGA_UNBATCHED]: mingaUnbatched,
  [MINGA_FIXED_PAUSE]: mingaFixedPause,
  [MINGA_BEFORE]: mingaBefore,
  'y-websocket': yWebsocket,
  hocuspocus,
  'ws-relay': wsRelay
};

export interface Scenario {
  /** Short id, e.g. `one-board`, `one-board+cursors`, `workshop`. */
  id: string;
  boards: number;
  editorsPerBoard: number;
  behaviour: Behaviour;
  /** Overrides the plan's warm-up/window/drain (presence renewals need a window longer than their cycle). */
  timing?: Timing;
}

export interface RunResult {
  scenario: string;
  server: TargetName;
  editors: number;
  boards: number;
  cursors: boolean;
  /** What presence the clients send (see `Behaviour.presence`). */
  presence: 'bench' | 'app';
  load: LoadResult;
  serverCpuCores: number;
  serverRssMb: number;
  /** Server RSS once every client is connected, before the load starts. */
  serverRssConnectedMb: number;
  /**
   * CPU of everything else on the machine during the window (cores): machine busy time minus the
   * server and the generator. Other work on a shared machine shows up here and skews latency.
   */
  otherCpuCores: number;
  /** Set when the run could not complete (e.g. clients could not connect). */
  error?: string;
}

export interface MeasureOptions {
  timing: Timing;
  workers: number;
  seed: number;
  /** Node flags for the server process (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /**
   * Scheduling priority of the server process (-20..19; lower runs first). The generator shares
   * the machine: a lower value than the generator's gives the server under test first claim on a
   * core, as it would have on its own machine.
   */
  serverNice?: number;
  /** Priority of the generator's workers: below 0 so that unrelated work on a shared machine waits. */
  generatorNice?: number;
  log: (line: string) => void;
}

/** Starts a fresh server, fills one or more boards with simulated participants, measures, stops. */
export async function measure(serverName: TargetName, scenario: Scenario, options: MeasureOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), `minga-bench-${serverName}-`));
  const server = await SERVERS[serverName].start({ dir, nodeFlags: options.nodeFlags });
  if (options.serverNice !== undefined) setPriority(server.pid, options.serverNice);
  const monitor = new ProcessMonitor(server.pid);
  const editors = scenario.boards * scenario.editorsPerBoard;
  const base = {
    scenario: scenario.id,
    server: serverName,
    editors,
    boards: scenario.boards,
    cursors: scenario.behaviour.cursorHz > 0,
    presence: scenario.behaviour.presence ?? 'bench'
  };
  let generator: LoadGenerator | null = null;
  try {
    const population = await server.populate({ boards: scenario.boards, editorsPerBoard: scenario.editorsPerBoard, seed: options.seed });
    generator = await LoadGenerator.launch(population, {
      workers: options.workers,
      nice: options.generatorNice,
      behaviour: scenario.behaviour,
      seed: options.seed
    });
    const serverRssConnectedMb = monitor.mark()?.rssMb ?? 0;
    let atMeasure: ReturnType<ProcessMonitor['mark']> = null;
    let atStop: ReturnType<ProcessMonitor['mark']> = null;
    let machine0: MachineSample | null = null;
    let machine1: MachineSample | null = null;
    let self0 = process.cpuUsage();
    let self = process.cpuUsage();
    const timing = scenario.timing ?? options.timing;
    const load = await generator.run(timing, {
      atMeasure: () => {
        monitor.resetPeak();
        atMeasure = monitor.mark();
        machine0 = sampleMachine();
        self0 = process.cpuUsage();
      },
      atStop: () => {
        atStop = monitor.mark();
        machine1 = sampleMachine();
        self = process.cpuUsage(self0);
      }
    });
    const serverCpuCores = atMeasure && atStop ? coresBetween(atMeasure, atStop) : 0;
    const machine = machine0 && machine1 ? machineCoresBetween(machine0, machine1) : 0;
    const orchestrator = (self.user + self.system) / 1000 / timing.measureMs;
    const otherCpuCores = Math.max(0, machine - serverCpuCores - load.generatorCpuCores - orchestrator);
    return { ...base, load, serverCpuCores, serverRssMb: monitor.peakRssMb, serverRssConnectedMb, otherCpuCores };
  } catch (err) {
    options.log(`  ${serverName} ${scenario.id} ×${editors}: ${(err as Error).message.split('\n')[0]}`);
    return { ...base, load: failedLoad(), serverCpuCores: 0, serverRssMb: monitor.peakRssMb, serverRssConnectedMb: 0, otherCpuCores: 0, error: (err as Error).message };
  } finally {
    monitor.stop();
    await generator?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function failedLoad(): LoadResult {
  return {
    latency: new Histogram(),
    voteAck: new Histogram(),
    delivered: 0,
    markedWrites: 0,
    receiptsPerSec: 0,
    updatesPerSec: 0,
    bytesInPerClientPerSec: 0,
    bytesOutPerClientPerSec: 0,
    slowestReceiver: null,
    generatorCpuCores: 0,
    generatorLoopP99Ms: 0,
    generatorLoopMaxMs: 0,
    refused: 0,
    refusalSamples: [],
    closes: 0,
    closeSamples: [],
    voteErrors: {},
    connectMs: 0
  };
}
