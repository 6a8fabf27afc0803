// Reads one Arrow IPC stream from stdin with apache-arrow (a reader Quarry did not write) and prints
// it as JSON: the schema's metadata, each field's name, type and metadata, and every row's values.
// Values are written so that none loses a digit: integers and decimals as exact decimal strings,
// dates as yyyy-mm-dd, timestamps as microseconds since the epoch (a string), floats as numbers
// (NaN and the infinities as their names),
// text as itself, null as null. A stream the reader cannot read ends this with a non-zero status.
import { readFileSync } from 'node:fs';
import { RecordBatchStreamReader, Type } from 'apache-arrow';

const bytes = readFileSync(0);
const reader = RecordBatchStreamReader.from(bytes);
reader.open();
const schema = reader.schema;
const fields = schema.fields.map((field) => ({
  name: field.name,
  type: String(field.type),
  metadata: Object.fromEntries(field.metadata),
}));
const rows = [];
let batches = 0;
for (const batch of reader) {
  batches++;
  const columns = schema.fields.map((field, j) => batch.getChildAt(j));
  for (let i = 0; i < batch.numRows; i++) {
    rows.push(columns.map((column, j) => value(schema.fields[j].type, column, i)));
  }
}
process.stdout.write(JSON.stringify({ metadata: Object.fromEntries(schema.metadata), fields, batches, rows }));

function value(type, column, i) {
  if (!column.isValid(i)) {
    return null;
  }
  switch (type.typeId) {
    case Type.Int:
      return String(column.get(i));
    case Type.Decimal:
      return decimal(column.data[0], i, type.scale);
    case Type.Date:
      return new Date(Number(column.data[0].values[column.data[0].offset + i]) * 86400000).toISOString().slice(0, 10);
    case Type.Timestamp:
      return String(column.data[0].values[column.data[0].offset + i]);
    case Type.Float: {
      const number = column.get(i);
      return Number.isFinite(number) ? number : String(number); // JSON has no NaN nor infinities
    }
    default:
      return column.get(i);
  }
}

/** The 128-bit two's complement integer at i (four little-endian 32-bit words), written with scale digits after the point. */
function decimal(data, i, scale) {
  const words = data.values; // Uint32Array, four words per value
  let unscaled = 0n;
  for (let w = 3; w >= 0; w--) {
    unscaled = (unscaled << 32n) | BigInt(words[(data.offset + i) * 4 + w]);
  }
  if (unscaled >= 1n << 127n) {
    unscaled -= 1n << 128n;
  }
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  if (scale > 0) {
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (negative ? '-' : '') + digits;
}
