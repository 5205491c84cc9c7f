// Writes json-schema/<Name>.json for every published schema. Run: pnpm schemas
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchemas } from '../src/json-schemas.js';

const folder = join(import.meta.dirname, '..', 'json-schema');
mkdirSync(folder, { recursive: true });
for (const file of readdirSync(folder)) if (file.endsWith('.json')) rmSync(join(folder, file));
const rendered = renderJsonSchemas();
for (const [name, text] of Object.entries(rendered)) writeFileSync(join(folder, `${name}.json`), text);
process.stdout.write(`wrote ${Object.keys(rendered).length} JSON Schema files to ${folder}\n`);
