// netkit's telnetlib reading a whole session from the server on PORT:
// `some` calls readSome() until EOF (what a loop over output does), `all`
// calls readAll() once. Prints {bytes, seconds}.
//   node telnet-netkit-client.js PORT [some|all]
import { Telnet } from "../../src/telnetlib/index.js";

const [port, mode = "some"] = process.argv.slice(2);
const started = performance.now();
const tn = await Telnet.open("127.0.0.1", Number(port), { timeout: 30 });
let bytes = 0;
if (mode === "all") bytes = (await tn.readAll()).length;
else
  for (;;) {
    const got = await tn.readSome();
    if (got.length === 0) break;
    bytes += got.length;
  }
tn.close();
console.log(JSON.stringify({ bytes, seconds: (performance.now() - started) / 1000 }));
