/**
 * The gateway as a child process for bench/gateway-capacity.ts: BENCH_USERS generated users
 * (load0…, password pw-0…, numbers +1 415 700 0000…), loopback, port 0, silent logs, no echo line.
 * Prints one JSON line {"port":N,"pid":P} on stdout once it listens; stops on SIGTERM, SIGINT or
 * when its stdin closes (so it never outlives the benchmark).
 */
import { startGateway } from '../../gateway/src/server.ts';
import { loadUser } from './load-users.ts';

const count = Number(process.env.BENCH_USERS ?? 1000);
const users = Array.from({ length: count }, (_, index) => loadUser(index));
const gateway = await startGateway({
  host: '127.0.0.1',
  port: 0,
  log: 'silent',
  users,
  clientIds: ['kandy-click-to-call-demo'],
  echoLine: false,
  auditTimeoutSeconds: 0,
});
process.stdout.write(`${JSON.stringify({ port: gateway.port, pid: process.pid })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 3000);
  force.unref();
  void gateway.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
