// snarkjs 0.7.6's Groth16 prover in process (no start-up in the timing): proves the witness
// `argv[3]` with the key `argv[2]` `argv[4]` times after one warm-up, on snarkjs' worker
// threads (one per core) or, with `argv[5]` = `single`, on one thread; prints the median and
// every time, in milliseconds, as JSON.
import { groth16 } from 'snarkjs';

const [zkey, wtns, runs = '11', threads = 'all'] = process.argv.slice(2);
const options = { singleThread: threads === 'single' };
await groth16.prove(zkey, wtns, undefined, options);
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const start = process.hrtime.bigint();
  await groth16.prove(zkey, wtns, undefined, options);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ threads, median_ms: sorted[Math.floor(sorted.length / 2)], times_ms: times }));
process.exit(0);
