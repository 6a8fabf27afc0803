// Counts the rows of an Arrow IPC stream read from stdin with apache-arrow, batch by batch (the
// stream benchmark's row check for Quarry's Arrow streams); fails on a stream it cannot read.
import { RecordBatchReader } from 'apache-arrow';

const reader = await RecordBatchReader.from(process.stdin);
let rows = 0;
for await (const batch of reader) {
  rows += batch.numRows;
}
console.log(rows);
