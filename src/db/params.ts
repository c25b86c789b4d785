// Typed parameters for postgres.js. Its `json()` takes the library's own JSONValue and `array()` its
// SerializableParameter list: our interfaces (sessions, reports, payloads) have no index signature and our
// columns hold nulls, so neither type-checks though both serialise exactly as meant. The one cast is here,
// so use-cases pass their own types unchanged.
import type postgres from 'postgres';

type Helpers = Pick<postgres.Sql, 'json' | 'array'>;

/** `value` as a json / jsonb parameter. */
export function jsonParam(sql: Helpers, value: unknown): postgres.Parameter {
  return sql.json(value as postgres.JSONValue);
}

/** A list, nulls allowed, as one array parameter (cast it in SQL: `${arrayParam(sql, xs)}::int[]`). */
export function arrayParam(
  sql: Helpers,
  values: readonly (string | number | boolean | null)[],
): postgres.ArrayParameter {
  return sql.array(values as postgres.SerializableParameter[]);
}
