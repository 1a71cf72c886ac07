/** Two connected netkit sockets over loopback TCP, for the asyncore and asynchat tests. */
import { Socket } from "../../src/socket/index.js";

export async function socketPair(): Promise<[Socket, Socket]> {
  const listener = new Socket();
  await listener.bind(["127.0.0.1", 0]);
  await listener.listen(1);
  const b = new Socket();
  await b.connect(listener.getsockname());
  const [a] = await listener.accept();
  listener.close();
  return [a, b];
}
