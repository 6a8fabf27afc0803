// What a column holds, as the catalog describes it (GET /queries: each column's JSON shape, format and
// lookups): the page keeps no table of PostgreSQL's types of its own.

/** The columns of a result (name and type, from its meta event) with what the catalog says of each. */
export function described(catalogColumns, columns) {
  const byName = new Map(catalogColumns.map(column => [column.name, column]));
  return columns.map(column => ({ ...byName.get(column.name), ...column }));
}

/** Numbers align right and can be drawn. */
export function isNumeric(column) {
  return column?.shape === 'integer' || column?.shape === 'number';
}

/** Dates and timestamps make a time axis. */
export function isTime(column) {
  return column?.format === 'date' || column?.format === 'date-time';
}
