import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../../server/src/project-root.ts';
import { EngineMissingError, findBinaryDir, freePort, stopProcess, type EngineProcess } from './binaries.ts';

const INSTALL_HINT = 'apt-get install -y nginx-light';

export interface NginxServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The access log so far (the test checks that no token is in it). */
  accessLog(): string;
  stop(): Promise<void>;
}

/** Resolves once something accepts connections on `port` (nginx prints nothing when ready). */
async function listening(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nginx was not listening on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs Debian's nginx with the project's own example, deploy/nginx.conf (what docs/deploy.md tells
 * people to use), in front of Minga processes listening on `upstreams` (loopback ports): the
 * example's `server minga1:3001 …` lines become these ports, it listens on a free loopback port,
 * and everything it writes goes to a temp folder. Without nginx it throws an `EngineMissingError`
 * naming the package.
 */
export async function startNginx(upstreams: readonly number[]): Promise<NginxServer> {
  const binDir = findBinaryDir(['nginx'], ['/usr/sbin', '/usr/local/sbin']);
  if (!binDir) throw new EngineMissingError(`nginx is not in /usr/sbin nor on PATH; install it: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'minga-nginx-'));
  const port = await freePort();
  const servers = upstreams.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n    ');
  const site = readFileSync(projectPath('deploy/nginx.conf'), 'utf8')
    .replace(/server minga\d+:\d+[^;]*;(\s*server minga\d+:\d+[^;]*;)*/g, servers)
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/access_log \S+/, `access_log ${join(dir, 'access.log')}`);
  if (/server minga\d+:/.test(site)) throw new Error('deploy/nginx.conf changed shape: its upstream servers were not replaced');
  writeFileSync(join(dir, 'site.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join('\n  ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  ${temp}
  include ${join(dir, 'site.conf')};
}
`
  );
  const proc = spawn(join(binDir, 'nginx'), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const engine: EngineProcess = { proc, output: () => out, exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))) };
  try {
    await Promise.race([listening(port), engine.exited.then((code) => Promise.reject(new Error(`nginx exited with ${code}:\n${out}`)))]);
  } catch (err) {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const onExit = () => proc.kill('SIGKILL');
  process.once('exit', onExit);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: () => {
      try {
        return readFileSync(join(dir, 'access.log'), 'utf8');
      } catch {
        return '';
      }
    },
    async stop() {
      process.removeListener('exit', onExit);
      await stopProcess(engine, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
