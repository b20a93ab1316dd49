/**
 * `npm run gateway` — starts the local Kandy CPaaS gateway.
 *
 * Options (flags win over environment variables):
 *   --port N          GATEWAY_PORT       default 8443 (0 = any free port)
 *   --host H          GATEWAY_HOST       default 127.0.0.1 (loopback only)
 *   --users FILE      GATEWAY_USERS      default gateway/users.json
 *   --token-ttl S     GATEWAY_TOKEN_TTL  access token lifetime in seconds, default 3600
 *   --log LEVEL       GATEWAY_LOG        info (default), debug, warn or silent
 *   --max-calls N     GATEWAY_MAX_CALLS  live calls per user, default 1 (2 = call waiting)
 */
import { parseArgs } from 'node:util';
import { startGateway, type Gateway } from './server.ts';

const USAGE = `Usage: npm run gateway -- [--port 8443] [--host 127.0.0.1] [--users gateway/users.json] [--token-ttl 3600] [--log info|debug|warn|silent] [--max-calls 1]
Environment: GATEWAY_PORT, GATEWAY_HOST, GATEWAY_USERS, GATEWAY_TOKEN_TTL, GATEWAY_LOG, GATEWAY_MAX_CALLS`;

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return number;
}

function logOption(value: string | undefined): 'info' | 'debug' | 'warn' | 'silent' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'info' || value === 'debug' || value === 'warn' || value === 'silent') return value;
  throw new Error(`--log must be info, debug, warn or silent, got "${value}"`);
}

function banner(gateway: Gateway): string {
  const users = gateway
    .users()
    .map((user) => `    ${user.username.padEnd(8)} password ${user.password.padEnd(22)} ${user.number}  ${user.sipAddress}`)
    .join('\n');
  return [
    '',
    `Kandy local CPaaS gateway listening on ${gateway.url}`,
    '',
    '  Demo users:',
    users,
    ...(gateway.echoLine ? [`  Echo line (answered by the gateway, plays your audio back): ${gateway.echoLine.number}  ${gateway.echoLine.sipAddress}`] : []),
    `  OAuth client id${gateway.clientIds.length > 1 ? 's' : ''}: ${gateway.clientIds.join(', ')}`,
    '',
    '  The certificate is self-signed. To make a browser trust it, either',
    `    - open ${gateway.url}/ once and accept the warning (per browser profile, until restart), or`,
    `    - start Chromium with --ignore-certificate-errors-spki-list=${gateway.spkiHash}`,
    `  Certificate file: ${gateway.certFile}`,
    '',
    '  Structured logs follow on stdout (one JSON object per line). Ctrl+C stops the gateway.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      users: { type: 'string' },
      'token-ttl': { type: 'string' },
      log: { type: 'string' },
      'max-calls': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const gateway = await startGateway({
    port: numberOption('port', values.port ?? env.GATEWAY_PORT),
    host: values.host ?? (env.GATEWAY_HOST || undefined),
    usersFile: values.users ?? (env.GATEWAY_USERS || undefined),
    tokenTtlSeconds: numberOption('token-ttl', values['token-ttl'] ?? env.GATEWAY_TOKEN_TTL),
    log: logOption(values.log ?? env.GATEWAY_LOG),
    maxCallsPerUser: numberOption('max-calls', values['max-calls'] ?? env.GATEWAY_MAX_CALLS),
  });
  process.stderr.write(`${banner(gateway)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the gateway…\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Cannot start the gateway: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(1);
});
