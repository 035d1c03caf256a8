import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSchemaJson } from '../../server/src/schemas/board-report-json.ts';

describe('docs/board-export.schema.json', () => {
  it('is the schema the server builds its JSON export from (run `npm run docs:schema` after changing it)', () => {
    expect(readFileSync(join(import.meta.dirname, '../../docs/board-export.schema.json'), 'utf8')).toBe(exportSchemaJson());
  });
});
