import { populateBaseline } from './baseline-population.ts';
import { LISTENING } from './main-check.ts';
import { startNodeProcess } from './process.ts';
import type { Protocol, RunningServer, ServerName, StartOptions } from './types.ts';

/**
 * Starts a baseline's own program (`file`, which announces its port) and wraps it as a server
 * under test; `urlOf` says where a board's document lives on it.
 */
export async function startBaseline(
  spec: { file: string; name: Exclude<ServerName, 'minga'>; protocol: Protocol; env?: Record<string, string>; urlOf: (wsUrl: string, boardId: string) => string },
  options: StartOptions
): Promise<RunningServer> {
  const proc = await startNodeProcess(spec.file, { env: { ...options.env, ...spec.env }, nodeFlags: options.nodeFlags, ready: LISTENING });
  const wsUrl = `ws://127.0.0.1:${proc.port}`;
  return {
    name: spec.name,
    pid: proc.pid,
    httpUrl: `http://127.0.0.1:${proc.port}`,
    wsUrl,
    output: proc.output,
    stop: proc.stop,
    kill9: proc.kill9,
    populate: (layout) => populateBaseline(spec.name, spec.protocol, (boardId) => spec.urlOf(wsUrl, boardId), layout)
  };
}
