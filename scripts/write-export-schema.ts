// Writes docs/board-export.schema.json from the TypeBox schema of the JSON export (npm run docs:schema).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSchemaJson } from '../server/src/schemas/board-report-json.ts';

const path = join(import.meta.dirname, '../docs/board-export.schema.json');
writeFileSync(path, exportSchemaJson());
process.stdout.write(`wrote ${path}\n`);
