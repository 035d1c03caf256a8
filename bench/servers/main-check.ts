import { fileURLToPath } from 'node:url';

/** True when this module is the process's entry point (`node --import tsx <file>`). */
export const isMain = (moduleUrl: string) => process.argv[1] === fileURLToPath(moduleUrl);

/** The line every baseline prints once it listens; the orchestrator parses the port from it. */
export const LISTENING = /^listening on (\d+)$/m;
export const announce = (port: number) => process.stdout.write(`listening on ${port}\n`);
