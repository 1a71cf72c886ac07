// The measuring loop every client of bench/conn-rate.bench.ts shares: 1 s of
// warm-up, "GO", `once()` again and again for SECONDS, "STOP", then the
// result, which the client prints as JSON once it has cleaned up.
// The .mjs clients import the compiled copy (.bench-out/build/bench/peers/
// conn-measure.js), which `npm run bench` builds before any benchmark runs.

/** What a client prints: cpuUs is this process's CPU time per connection; medianUs the median time one connection took (a burst of load elsewhere moves it less than the rate). */
export interface ConnResult {
  connections: number;
  seconds: number;
  rate: number;
  cpuUs: number;
  medianUs: number;
}

/** Runs `once` (one connection, one request, one reply) back to back for `seconds` after a warm-up, timing each. */
export async function measureConnections(once: () => Promise<unknown>, seconds: number): Promise<ConnResult> {
  const warmEnd = performance.now() + 1000;
  while (performance.now() < warmEnd) await once();
  console.log("GO");
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  const times: number[] = [];
  for (let t = start; t < end; ) {
    await once();
    const now = performance.now();
    times.push(now - t);
    t = now;
  }
  const connections = times.length;
  const elapsed = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  console.log("STOP");
  return {
    connections,
    seconds: elapsed,
    rate: connections / elapsed,
    cpuUs: (used.user + used.system) / connections,
    medianUs: times.sort((a, b) => a - b)[connections >> 1]! * 1000,
  };
}
