// netkit's smtplib sending the message in FILE again and again over one
// session, for SECONDS after 1 s of warm-up; each sendmail() returns after
// the server's 250 for DATA (with PIPELINING when the server offers it, as
// netkit's SMTP does by default). Prints {messages, seconds, rps}.
//   node smtp-netkit-client.js PORT FILE [seconds=4]
import { readFileSync } from "node:fs";
import { SMTP } from "../../src/smtplib/index.js";
import { measureMessages } from "./message-measure.js";

const [port, path, seconds = "4"] = process.argv.slice(2);
const message = readFileSync(path!);
const smtp = await SMTP.open("127.0.0.1", Number(port), { timeout: 10 });
const send = () => smtp.sendmail("sender@example.test", ["rcpt@example.test"], message);

const result = await measureMessages(send, Number(seconds));
await smtp.quit();
console.log(JSON.stringify(result));
