import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { invalidExamples, validExamples } from './__fixtures__/examples.js';
import { createParsers } from './create-parsers.js';
import { SchemaValidationError } from './errors/schema-validation-error.js';
import { publishedSchemas, renderJsonSchemas } from './json-schemas.js';

const names = Object.keys(publishedSchemas) as (keyof typeof publishedSchemas)[];
const jsonSchemaFolder = join(import.meta.dirname, '..', 'json-schema');

describe('published schemas', () => {
  it('should have a valid and an invalid example for every schema', () => {
    expect(Object.keys(validExamples).sort()).toEqual([...names].sort());
    expect(Object.keys(invalidExamples).sort()).toEqual([...names].sort());
  });

  describe.each(names)('%s', (name) => {
    const { parse, safeParse } = createParsers(name, publishedSchemas[name]);

    it('should accept the valid example and round-trip it through JSON unchanged', () => {
      const parsed = parse(validExamples[name]);
      expect(parsed).toEqual(validExamples[name]);
      expect(parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
    });

    it('should reject the invalid example with a SchemaValidationError naming the path', () => {
      const { value, path } = invalidExamples[name]!;
      const result = safeParse(value, { file: 'rows.jsonl', line: 4 });
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(SchemaValidationError.isInstance(result.error)).toBe(true);
      expect(result.error.issues.map((issue) => issue.path.join('.'))).toContain(path);
      expect(result.error.message).toMatch(new RegExp(`^rows\\.jsonl:4: invalid ${name}: `));
      expect(() => parse(value)).toThrow(SchemaValidationError);
    });

    it('should agree with its committed JSON Schema file on both examples', () => {
      const jsonSchema = JSON.parse(readFileSync(join(jsonSchemaFolder, `${name}.json`), 'utf8')) as object;
      const validate = new Ajv2020({ strict: false }).compile(jsonSchema);
      expect(validate(validExamples[name]), JSON.stringify(validate.errors)).toBe(true);
      // The ShareGPT alternation rule is a refinement JSON Schema cannot express; it is documented instead.
      if (name !== 'ShareGptRecord') expect(validate(invalidExamples[name]!.value)).toBe(false);
    });
  });

  it('should have committed JSON Schema files that match the schemas (run `pnpm schemas` when this fails)', () => {
    const rendered = renderJsonSchemas();
    const committed = readdirSync(jsonSchemaFolder).filter((file) => file.endsWith('.json'));
    expect(committed.sort()).toEqual(Object.keys(rendered).map((name) => `${name}.json`).sort());
    for (const [name, text] of Object.entries(rendered)) {
      expect(readFileSync(join(jsonSchemaFolder, `${name}.json`), 'utf8'), `json-schema/${name}.json is stale: run pnpm schemas`).toBe(text);
    }
  });
});
