import { BoardReport } from './board-report.ts';

/** The export's schema as a JSON Schema document (draft 2020-12), as docs/board-export.schema.json holds it. */
export const exportSchemaJson = () => `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...BoardReport }, null, 2)}\n`;
