import { type ToolDefinition } from '@forge/schema';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema type name of one JSON value. */
function jsonTypeOf(value: unknown): string {
  if (value == null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object') return typeof value;
  return 'string';
}

/** Accumulates what was seen of one JSON position across many calls. */
class SchemaAccumulator {
  private readonly types = new Set<string>();
  private readonly properties = new Map<string, SchemaAccumulator>();
  private readonly propertyCounts = new Map<string, number>();
  private objectCount = 0;
  private items: SchemaAccumulator | undefined;

  add(value: unknown): void {
    const type = jsonTypeOf(value);
    this.types.add(type);
    if (type === 'object') {
      this.objectCount += 1;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        let accumulator = this.properties.get(key);
        if (accumulator == null) {
          accumulator = new SchemaAccumulator();
          this.properties.set(key, accumulator);
        }
        accumulator.add(child);
        this.propertyCounts.set(key, (this.propertyCounts.get(key) ?? 0) + 1);
      }
    } else if (type === 'array') {
      this.items ??= new SchemaAccumulator();
      for (const item of value as unknown[]) this.items.add(item);
    }
  }

  toSchema(): JsonSchema {
    const types = [...this.types];
    // An integer seen next to a fractional number is just a number.
    if (types.includes('integer') && types.includes('number')) types.splice(types.indexOf('integer'), 1);
    types.sort();
    const schema: JsonSchema = {};
    if (types.length === 1) schema.type = types[0];
    else if (types.length > 1) schema.type = types;
    if (this.types.has('object')) {
      const keys = [...this.properties.keys()].sort();
      schema.properties = Object.fromEntries(keys.map((key) => [key, this.properties.get(key)!.toSchema()]));
      const required = keys.filter((key) => this.propertyCounts.get(key) === this.objectCount);
      if (required.length > 0) schema.required = required;
    }
    if (this.items != null && this.types.has('array')) {
      const itemSchema = this.items.toSchema();
      if (Object.keys(itemSchema).length > 0) schema.items = itemSchema;
    }
    return schema;
  }
}

/** Argument schemas per tool name, accumulated call by call: what inference keeps of a session's calls. */
export class ToolCallSchemas {
  readonly #byName = new Map<string, SchemaAccumulator>();

  add(call: { name: string; arguments: unknown }): void {
    let accumulator = this.#byName.get(call.name);
    if (accumulator == null) {
      accumulator = new SchemaAccumulator();
      this.#byName.set(call.name, accumulator);
    }
    accumulator.add(call.arguments);
  }

  /** The tool names called, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort(compareStrings);
  }

  /** The definitions inferred for `names` (default every tool called), sorted by name. */
  infer(names: readonly string[] = this.names()): ToolDefinition[] {
    return [...names].sort(compareStrings).map((name) => {
      const inferred = this.#byName.get(name)?.toSchema() ?? {};
      // Tool parameters are an object by definition; calls with non-object arguments still get one.
      const parameters: JsonSchema = inferred.type === 'object' ? inferred : { type: 'object', properties: {} };
      return { type: 'function', function: { name, parameters } };
    });
  }

  /**
   * The tools list of a row: every definition the session recorded; for tools that were called
   * without one, the caller's catalog entry, else a definition inferred from the calls. Sorted by name.
   * `origins`, when given, is incremented by where each definition came from.
   */
  resolve(sessionTools: readonly ToolDefinition[] = [], catalog: readonly ToolDefinition[] = [], origins?: ToolDefinitionOrigins): ToolDefinition[] {
    const resolved = new Map(sessionTools.map((definition) => [definition.function.name, definition]));
    const recorded = resolved.size;
    const catalogByName = new Map(catalog.map((definition) => [definition.function.name, definition]));
    const toInfer: string[] = [];
    for (const name of this.#byName.keys()) {
      if (resolved.has(name)) continue;
      const fromCatalog = catalogByName.get(name);
      if (fromCatalog != null) resolved.set(name, fromCatalog);
      else toInfer.push(name);
    }
    const fromCatalog = resolved.size - recorded;
    const inferred = this.infer(toInfer);
    for (const definition of inferred) resolved.set(definition.function.name, definition);
    if (origins != null) {
      origins.recorded += recorded;
      origins.catalog += fromCatalog;
      origins.inferred += inferred.length;
    }
    return [...resolved.values()].sort((left, right) => compareStrings(left.function.name, right.function.name));
  }
}

/**
 * Tool definitions inferred from the calls seen: one per tool name, its `parameters` a JSON Schema
 * built from every argument object seen (keys present in every call are `required`). Sorted by name
 * so the output is deterministic.
 */
export function inferToolDefinitions(calls: Iterable<{ name: string; arguments: unknown }>): ToolDefinition[] {
  const schemas = new ToolCallSchemas();
  for (const call of calls) schemas.add(call);
  return schemas.infer();
}

/** Where a row's tool definitions came from (an inferred one has no description, its parameters guessed from the calls). */
export interface ToolDefinitionOrigins {
  recorded: number;
  catalog: number;
  inferred: number;
}

/** {@link ToolCallSchemas.resolve} over a list of calls. */
export function resolveToolDefinitions(
  calls: ReadonlyArray<{ name: string; arguments: unknown }>,
  sessionTools: readonly ToolDefinition[] = [],
  catalog: readonly ToolDefinition[] = [],
  origins?: ToolDefinitionOrigins,
): ToolDefinition[] {
  const schemas = new ToolCallSchemas();
  for (const call of calls) schemas.add(call);
  return schemas.resolve(sessionTools, catalog, origins);
}

/** Code-unit order, independent of locale. */
export function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
