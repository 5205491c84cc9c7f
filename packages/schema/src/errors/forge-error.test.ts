import { describe, expect, it } from 'vitest';
import type * as ForgeErrorModule from './forge-error.js';
import { ForgeError, toForgeError } from './forge-error.js';
import { SchemaValidationError } from './schema-validation-error.js';

describe('ForgeError', () => {
  it('should say what, where and what to do', () => {
    const error = new ForgeError({ message: 'not a pi session header', code: 'not-a-session', location: { file: '/s/a.jsonl', line: 1 }, hint: 'pass a pi-family .jsonl file' });
    expect(error.message).toBe('/s/a.jsonl:1: not a pi session header (pass a pi-family .jsonl file)');
    expect(error.code).toBe('not-a-session');
    expect(error.location).toEqual({ file: '/s/a.jsonl', line: 1 });
  });

  it('should be recognised across two copies of the module, where instanceof fails', async () => {
    // A query string makes Vite load a second, independent copy of the module (as a duplicated dependency would).
    const secondCopy: string = './forge-error.js?second-copy';
    const copy = (await import(secondCopy)) as typeof ForgeErrorModule;
    const foreign = new copy.ForgeError({ message: 'from another copy' });
    expect(foreign instanceof ForgeError).toBe(false);
    expect(ForgeError.isInstance(foreign)).toBe(true);
    expect(ForgeError.isInstance(new Error('plain'))).toBe(false);
    expect(ForgeError.isInstance(null)).toBe(false);
  });

  it('should tell subclasses apart with their own markers', () => {
    const validation = new SchemaValidationError({ schemaName: 'Usage', issues: [] });
    expect(ForgeError.isInstance(validation)).toBe(true);
    expect(SchemaValidationError.isInstance(validation)).toBe(true);
    expect(SchemaValidationError.isInstance(new ForgeError({ message: 'x' }))).toBe(false);
  });
});

describe('toForgeError', () => {
  it('should wrap anything thrown and keep the cause, and pass ForgeErrors through', () => {
    const original = new TypeError('boom');
    const wrapped = toForgeError(original);
    expect(ForgeError.isInstance(wrapped)).toBe(true);
    expect(wrapped.cause).toBe(original);
    expect(wrapped.message).toBe('boom');
    expect(toForgeError('text').message).toBe('text');
    const forgeError = new ForgeError({ message: 'x' });
    expect(toForgeError(forgeError)).toBe(forgeError);
  });
});
