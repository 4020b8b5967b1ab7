import { ApiError } from './api-error';

type FieldType = 'string' | 'boolean' | 'uint' | 'any';

interface FieldSpec {
  readonly type: FieldType;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export type ArgSpec = Readonly<Record<string, FieldSpec>>;

/**
 * Validates a request body against a route's argument struct the way Dropbox does: unknown fields,
 * wrong types and out-of-range numbers are 400s naming the field. Defaults are left to the caller.
 */
export function validateArgs(route: string, body: unknown, spec: ArgSpec): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.badInput(route, 'request body: expected an object');
  }
  const args = body as Record<string, unknown>;
  for (const key of Object.keys(args)) {
    if (!(key in spec)) throw ApiError.badInput(route, `request body: unknown field '${key}'`);
  }
  for (const [key, field] of Object.entries(spec)) {
    const value = args[key];
    if (value === undefined || value === null) {
      if (field.required) throw ApiError.badInput(route, `request body: missing required field '${key}'`);
      continue;
    }
    checkType(route, key, value, field);
  }
  return args;
}

function checkType(route: string, key: string, value: unknown, field: FieldSpec): void {
  const fail = (reason: string): never => {
    throw ApiError.badInput(route, `request body: ${key}: ${reason}`);
  };
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') fail(`expected string, got ${describe(value)}`);
      if (field.min !== undefined && (value as string).length < field.min) fail(`'${String(value)}' is too short`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`expected boolean, got ${describe(value)}`);
      return;
    case 'uint':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(`expected integer, got ${describe(value)}`);
      if (field.min !== undefined && (value as number) < field.min) fail(`${String(value)} is not greater than or equal to ${field.min}`);
      if (field.max !== undefined && (value as number) > field.max) fail(`${String(value)} is not less than or equal to ${field.max}`);
      return;
    case 'any':
      return;
  }
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'list' : typeof value;
}
