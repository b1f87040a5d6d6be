/**
 * Preload (`node -r bench/dist/profiling/allocation.sampler.js`) that samples where a process
 * allocates, the objects young garbage collections free included, and writes V8's sampling heap
 * profile to ALLOCATION_PROFILE when the process gets SIGTERM. Node's own --heap-prof keeps only
 * the objects still alive when it stops: a record's garbage would not show.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const output = process.env.ALLOCATION_PROFILE;
if (!output) throw new Error('ALLOCATION_PROFILE: the file the allocation profile is written to');
const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: Number(process.env.ALLOCATION_SAMPLING_BYTES ?? 16_384),
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
process.once('SIGTERM', () => {
  session.post('HeapProfiler.stopSampling', (err, result) => {
    if (err) console.error(`allocation profile: ${err.message}`);
    else writeFileSync(output, JSON.stringify(result.profile));
  });
});
