import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { lanAddress } from './public-origin.ts';

/** Entry point of `npm start`: one process serves the API, both sockets and the web app. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuración no válida / invalid configuration: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp(config);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host === '127.0.0.1' ? 'localhost' : config.host;
  const lines = [`Minga está lista: abre http://${shown}:${port}`];
  const lan = config.host === '0.0.0.0' ? lanAddress() : null;
  if (lan) lines.push(`  en la red del taller: http://${lan}:${port}`);
  // Printed plainly (not only in the JSON log) so a newcomer sees where to go.
  process.stdout.write(lines.join('\n') + '\n');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      }
    );
  };
  // `kill -USR2 <pid>`: an online backup now, into BACKUP_DIR (docs/operations.md).
  process.on('SIGUSR2', () => void app.backupNow().catch(() => {}));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
