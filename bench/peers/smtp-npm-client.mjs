// nodemailer sending the message in FILE (as a raw message, so nothing is
// built per send) again and again over one pooled connection, for SECONDS
// after 1 s of warm-up; each sendMail() resolves after the server's 250 for
// DATA. Prints {messages, seconds, rps}.
//   node smtp-npm-client.mjs PORT FILE [seconds=4]
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
// Built by `npm run bench` before it runs anything (see message-measure.ts).
import { measureMessages } from "../../.bench-out/build/bench/peers/message-measure.js";

const [port, path, seconds = "4"] = process.argv.slice(2);
const raw = readFileSync(path);
// pool with one connection: nodemailer's way to keep one SMTP session for many messages.
const transport = nodemailer.createTransport({
  host: "127.0.0.1",
  port: Number(port),
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: 1,
  maxMessages: Number.POSITIVE_INFINITY,
});
const envelope = { from: "sender@example.test", to: ["rcpt@example.test"] };
const send = () => transport.sendMail({ envelope, raw });

const result = await measureMessages(send, Number(seconds));
transport.close();
console.log(JSON.stringify(result));
