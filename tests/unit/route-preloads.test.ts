import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routePreloads } from '../../server/src/web/route-preloads.ts';
import { WEB_ROOT } from '../helpers/browser.ts';

describe('routePreloads', () => {
  it("finds the board route's node, its chunks and styles in the real build, every one a file of it", () => {
    const files = routePreloads(WEB_ROOT, '/tablero/[id]');
    expect(files).not.toBeNull();
    expect(files!.scripts.filter((p) => /^\/_app\/immutable\/nodes\/\d+\..+\.js$/.test(p))).toHaveLength(1);
    expect(files!.scripts.length).toBeGreaterThan(3);
    expect(files!.styles.length).toBeGreaterThan(0);
    for (const p of [...files!.scripts, ...files!.styles]) expect(existsSync(join(WEB_ROOT, p)), p).toBe(true);
    // The same node the build's router loads for that route.
    const node = files!.scripts.find((p) => p.includes('/nodes/'))!.split('/').pop()!;
    const app = readFileSync(join(WEB_ROOT, '_app/immutable/entry', readFileSync(join(WEB_ROOT, 'index.html'), 'utf8').match(/entry\/(app\.[^"]+\.js)/)![1]!), 'utf8');
    expect(app).toContain(`"/tablero/[id]":[${node.split('.')[0]}]`);
  });

  it('gives null for a route the build does not have or a folder that is no build', () => {
    expect(routePreloads(WEB_ROOT, '/no-such-route')).toBeNull();
    expect(routePreloads(join(WEB_ROOT, '_app'), '/tablero/[id]')).toBeNull();
  });
});
