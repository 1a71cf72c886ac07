// The npm `smtp-server` package accepting every message and counting it
// (no TLS, no AUTH: the same plain session every server here gets). Prints
// "PORT <n>"; on SIGTERM prints "MESSAGES <n>" and "CONNECTIONS <n>" and exits.
//   node smtp-npm-server.mjs
import { SMTPServer } from "smtp-server";

let messages = 0;
let connections = 0;
const server = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  onConnect(_session, callback) {
    connections++;
    callback();
  },
  onData(stream, _session, callback) {
    stream.on("data", () => {});
    stream.on("end", () => {
      messages++;
      callback();
    });
  },
});
server.listen(0, "127.0.0.1", () => {
  console.log(`PORT ${server.server.address().port}`);
});
process.on("SIGTERM", () => {
  console.log(`MESSAGES ${messages}`);
  console.log(`CONNECTIONS ${connections}`);
  process.exit(0);
});
