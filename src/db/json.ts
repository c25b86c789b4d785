// Reading JSON that Postgres built (json_build_object, json_agg): the driver parses a row's own timestamp
// columns into Dates, but inside JSON they arrive as ISO strings. Row mappers in db/queries/ revive them
// here, so no use-case ever sees a timestamp as a string.

/** An ISO timestamp from a JSON object, as a Date (null stays null; a column the driver parsed passes through). */
export function jsonTimestamp(value: string | Date | null): Date | null {
  return value === null ? null : new Date(value);
}
