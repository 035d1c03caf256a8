import * as Y from 'yjs';
import { SyncClient } from '../load/client.ts';
import type { Protocol } from './types.ts';

/**
 * Writes a board's seed update through the server, then checks with a second connection that a
 * fresh client receives it. Fails loudly if the server refused it.
 */
export async function seedBoard(protocol: Protocol, url: string, docName: string, update: Uint8Array, expectClusters: number): Promise<void> {
  const denials: string[] = [];
  const writer = new SyncClient(protocol, url, docName, { onDenied: (reason) => denials.push(reason) });
  await writer.synced;
  writer.sendUpdate(update);
  const deadline = Date.now() + 10_000;
  try {
    for (;;) {
      let clusters = 0;
      const reader = new SyncClient(protocol, url, docName, {
        onSyncStep2: (state) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, state);
          clusters = doc.getMap('clusters').size;
          doc.destroy();
        }
      });
      await reader.synced;
      reader.close();
      if (clusters >= expectClusters) return;
      if (denials.length > 0) throw new Error(`seed refused: ${denials.join('; ')}`);
      if (Date.now() > deadline) throw new Error(`seed not visible after 10 s (${clusters}/${expectClusters} clusters)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    writer.close();
  }
}
