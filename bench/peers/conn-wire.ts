// conn-wire.json (what every peer of bench/conn-rate.bench.ts sends and
// answers) for the netkit peers, which run compiled from
// .bench-out/build/bench/peers: found by walking up to bench/peers.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Wire {
  lineRequest: string;
  lineReply: string;
  httpRequest: string;
  httpBody: string;
  xmlrpcCall: string;
  xmlrpcResponse: string;
}

function find(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "bench/peers/conn-wire.json");
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`No bench/peers/conn-wire.json above ${from}`);
  }
}

export const wire: Wire = JSON.parse(readFileSync(find(import.meta.dirname), "utf8"));
