import { execSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** Which Minga was measured: the commit, and whether server/ had uncommitted changes. */
export function codeVersion(): { commit: string; serverDirty: boolean } {
  const git = (cmd: string) => execSync(`git ${cmd}`, { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse --short HEAD'), serverDirty: git('status --porcelain -- server db seed').length > 0 };
  } catch {
    return { commit: 'unknown', serverDirty: false };
  }
}

export const machineInfo = () => ({ cpus: availableParallelism(), node: process.version });
