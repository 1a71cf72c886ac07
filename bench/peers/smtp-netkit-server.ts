// netkit's SMTPServer accepting every message and counting it (as the
// python3 and npm servers here do). Prints "PORT <n>"; on SIGTERM prints
// "MESSAGES <n>" and "CONNECTIONS <n>" and exits.
//   node smtp-netkit-server.js

import { SMTPServer } from "../../src/smtpd/index.js";
import type { Address } from "../../src/socket/address.js";

let messages = 0;
let connections = 0;

class Counting extends SMTPServer {
  override processMessage(_peer: Address | null, _from: string, _to: string[]): void {
    messages++;
  }

  override async getRequest() {
    const request = await super.getRequest();
    connections++;
    return request;
  }
}

const server = new Counting(["127.0.0.1", 0], null);
await server.ready;
console.log(`PORT ${server.serverAddress[1]}`);
process.on("SIGTERM", () => {
  console.log(`MESSAGES ${messages}`);
  console.log(`CONNECTIONS ${connections}`);
  process.exit(0);
});
await server.serveForever();
