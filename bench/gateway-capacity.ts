/**
 * Capacity of the local Kandy CPaaS gateway under SDK-shaped load, loopback only.
 *
 * The gateway runs in a child process (bench/lib/gateway-child.ts) pinned to one core with
 * `taskset -c 0`; this process generates the load (pinned to the other core when there is one)
 * with node:https (one keep-alive agent per simulated client, as each browser has its own
 * connections) and `ws`, speaking the protocol as the SDK does (see gateway/src/test-support.ts).
 *
 * (a) Registered clients: N ramps 10 → 50 → 100 → 200 → 400 → 800. Each new client does token
 *     POST → channel POST → websocket open → call subscription POST (the registration latency),
 *     REG_CONCURRENCY at a time, while every registered client sends {"connCheck"} every
 *     PING_INTERVAL_MS and times the {"connAck"} (the SDK pings every 30 s; this is 30× that).
 *     After each ramp step the ping round trip is measured for HOLD_MS with N clients.
 * (b) Call set-ups per second: pairs of registered clients; the caller POSTs a session (small
 *     fake SDP) → the callee receives the invitation → PUT status Ringing → PUT answer → the caller
 *     receives the acceptance (= set-up latency) → DELETE. Open-loop arrivals at 5, 10, 20, 40, 80,
 *     160, 320, 640 calls/s for WINDOW_MS each, the next rate only after the previous one drained
 *
 * The "knee" is the first step whose median latency is at least twice the first step's.
 * Run: npx tsx bench/gateway-capacity.ts   (bounded: stops by itself in well under 3 minutes)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import os from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { FAKE_SDP } from '../gateway/src/test-support.ts';
import { loadUser } from './lib/load-users.ts';
import { budget } from './lib/budget.ts';
import { figure, formatTable, round, writeResult, type Figure } from './lib/results.ts';
import { median, p90, sleep } from './lib/stats.ts';

const CLIENT_STEPS = [10, 50, 100, 200, 400, 800];
const RATES = [5, 10, 20, 40, 80, 160, 320, 640];
const REG_CONCURRENCY = 10;
const PING_INTERVAL_MS = 1000;
const HOLD_MS = 3000;
const PAIRS = 150;
const WINDOW_MS = 5000;
const DRAIN_MS = 8000;
const CALL_TIMEOUT_MS = 8000;
/** Hard stop for the whole benchmark (under 3 minutes), or the runner's limit less a margin. */
const time = budget(160);
const DEADLINE_MS = Math.min(150_000, (time.limitSeconds - 10) * 1000);
const CLIENT_ID = 'kandy-click-to-call-demo';
/** Clients registered (and dropped) and calls made before measuring, so the first step is not the cold one. */
const WARM_UP_CLIENTS = 10;
const WARM_UP_CALLS = 10;

const ROOT = resolve(import.meta.dirname, '..');
const now = () => performance.now();

// ---- the gateway child -------------------------------------------------------------------------------

interface Child {
  process: ChildProcess;
  port: number;
  pid: number;
  pinned: boolean;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function startChild(users: number): Promise<Child> {
  const pinned = hasTaskset() && os.cpus().length > 1;
  const node = [process.execPath, '--import', 'tsx', resolve(ROOT, 'bench/lib/gateway-child.ts')];
  const [command, ...args] = pinned ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command!, args, { cwd: ROOT, env: { ...process.env, BENCH_USERS: String(users) }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ port: number; pid: number }>((resolvePort, rejectPort) => {
    const timer = setTimeout(() => rejectPort(new Error('the gateway child did not start within 30 s')), 30_000);
    child.once('exit', (code) => rejectPort(new Error(`the gateway child exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line) as { port?: number; pid?: number };
        if (message.port) {
          clearTimeout(timer);
          resolvePort({ port: message.port, pid: message.pid ?? child.pid ?? 0 });
        }
      } catch {
        // not ours
      }
    });
  });
  return { process: child, pinned, ...ready };
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise<void>((done) => child.process.once('exit', () => done()));
  child.process.kill('SIGTERM');
  await Promise.race([exited, sleep(4000)]);
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

const TICKS = 100; // getconf CLK_TCK on Linux
/** CPU seconds (user + system) a process has used so far, from /proc (Linux only). */
function cpuSeconds(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

// ---- a simulated SDK client ----------------------------------------------------------------------------

interface HttpReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- protocol JSON
  json: any;
}

type Body = Record<string, unknown> & { link?: { href: string }[] };

function sessionOf(body: Body): string {
  return body.link?.[0]?.href.split('/sessions/')[1] ?? '';
}

interface Waiter {
  match: (type: string, body: Body) => boolean;
  resolve: (body: Body) => void;
}

class LoadClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 2, rejectUnauthorized: false });
  private token = '';
  private ws: WebSocket | undefined;
  private waiters: Waiter[] = [];
  private inbox: { type: string; body: Body; at: number }[] = [];
  private pingSentAt: number | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  readonly username: string;
  private readonly password: string;
  readonly correlator: string;

  constructor(
    private readonly port: number,
    index: number,
    private readonly pingSink: (ms: number | 'missed') => void,
  ) {
    const user = loadUser(index);
    this.username = user.username;
    this.password = user.password;
    this.correlator = `bench-${index}-${Math.random().toString(36).slice(2, 8)}`;
  }

  http(method: string, path: string, body?: unknown, form = false): Promise<HttpReply> {
    const payload = body === undefined ? undefined : Buffer.from(form ? String(body) : JSON.stringify(body));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    return new Promise((resolveReply, rejectReply) => {
      const req = request({ host: '127.0.0.1', port: this.port, path, method, headers, agent: this.agent, timeout: 20_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolveReply({ status: res.statusCode ?? 0, json });
        });
        res.on('error', rejectReply);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', rejectReply);
      req.end(payload);
    });
  }

  api(method: string, service: 'notificationchannel' | 'webrtcsignaling', path: string, body?: unknown): Promise<HttpReply> {
    return this.http(method, `/cpaas/${service}/v1/${this.username}${path}`, body);
  }

  /** token → channel → websocket → call subscription; returns the elapsed milliseconds. */
  async register(): Promise<number> {
    const started = now();
    const form = new URLSearchParams({ grant_type: 'password', client_id: CLIENT_ID, username: this.username, password: this.password, scope: 'openid' });
    const token = await this.http('POST', '/cpaas/auth/v1/token', form.toString(), true);
    if (token.status !== 200) throw new Error(`token ${token.status}`);
    this.token = token.json.access_token as string;
    const channel = await this.api('POST', 'notificationchannel', '/channels', {
      notificationChannel: { channelType: 'Websockets', clientCorrelator: this.correlator, 'x-connCheckRole': 'client' },
    });
    if (channel.status !== 201) throw new Error(`channel ${channel.status}`);
    const channelURL = channel.json.notificationChannel.channelData.channelURL as string;
    const callbackURL = channel.json.notificationChannel.callbackURL as string;
    await this.openSocket(channelURL);
    const subscription = await this.api('POST', 'webrtcsignaling', '/subscriptions', {
      wrtcsNotificationSubscription: { callbackReference: { notifyURL: callbackURL }, clientCorrelator: this.correlator },
    });
    if (subscription.status !== 201) throw new Error(`subscription ${subscription.status}`);
    return now() - started;
  }

  private openSocket(channelURL: string): Promise<void> {
    return new Promise((resolveOpen, rejectOpen) => {
      const ws = new WebSocket(`wss://127.0.0.1:${this.port}${channelURL}?access_token=${encodeURIComponent(this.token)}`, { rejectUnauthorized: false, perMessageDeflate: false });
      this.ws = ws;
      ws.once('open', () => resolveOpen());
      ws.once('unexpected-response', (_request, response) => rejectOpen(new Error(`websocket ${response.statusCode}`)));
      ws.once('error', rejectOpen);
      ws.on('message', (data) => this.onFrame(data.toString()));
    });
  }

  private onFrame(text: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if ('connAck' in frame) {
      if (this.pingSentAt !== undefined) this.pingSink(now() - this.pingSentAt);
      this.pingSentAt = undefined;
      return;
    }
    if ('connCheck' in frame) {
      this.ws?.send('{"connAck":{}}');
      return;
    }
    const type = Object.keys(frame)[0];
    const body = type ? (frame[type] as Body) : undefined;
    if (!type || !body || typeof body !== 'object') return;
    const index = this.waiters.findIndex((waiter) => waiter.match(type, body));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      waiter!.resolve(body);
      return;
    }
    const at = now();
    this.inbox.push({ type, body, at });
    if (this.inbox.length > 20) this.inbox = this.inbox.filter((entry) => at - entry.at < 10_000).slice(-20);
  }

  /** The next notification matching `match` (one already received counts). */
  waitFor(match: (type: string, body: Body) => boolean, timeoutMs: number): Promise<Body> {
    const found = this.inbox.findIndex((entry) => match(entry.type, entry.body));
    if (found >= 0) return Promise.resolve(this.inbox.splice(found, 1)[0]!.body);
    return new Promise((resolveBody, rejectBody) => {
      const waiter: Waiter = {
        match,
        resolve: (body) => {
          clearTimeout(timer);
          resolveBody(body);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        rejectBody(new Error(`${this.username}: notification timed out`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  forget(sessionId: string): void {
    this.inbox = this.inbox.filter((entry) => sessionOf(entry.body) !== sessionId);
  }

  startPinging(intervalMs: number): void {
    const tick = () => {
      if (this.ws?.readyState !== WebSocket.OPEN) return;
      if (this.pingSentAt !== undefined) {
        this.pingSink('missed');
        this.pingSentAt = undefined;
      }
      this.pingSentAt = now();
      this.ws.send(JSON.stringify({ connCheck: { interval: 30 } }));
    };
    // a random phase, so pings spread over the interval as independent clients' would
    this.pingTimer = setTimeout(() => {
      tick();
      this.pingTimer = setInterval(tick, intervalMs);
    }, Math.random() * intervalMs);
  }

  stopPinging(): void {
    clearTimeout(this.pingTimer);
    clearInterval(this.pingTimer);
    this.pingSentAt = undefined;
  }

  close(): void {
    this.stopPinging();
    this.ws?.terminate();
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

async function setUpCall(caller: LoadClient, callee: LoadClient): Promise<number> {
  const started = now();
  const created = await caller.api('POST', 'webrtcsignaling', '/sessions', {
    wrtcsSession: { tParticipantAddress: callee.username, offer: { sdp: FAKE_SDP }, clientCorrelator: caller.correlator },
  });
  if (created.status !== 201) throw new Error(`session POST ${created.status}`);
  const sessionId = String(created.json.wrtcsSession.resourceURL).split('/sessions/')[1] ?? '';
  await callee.waitFor((type, body) => type === 'wrtcsSessionInvitationNotification' && sessionOf(body) === sessionId, CALL_TIMEOUT_MS);
  const ringing = await callee.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Ringing', clientCorrelator: callee.correlator } });
  if (ringing.status !== 200) throw new Error(`status Ringing ${ringing.status}`);
  const accepted = caller.waitFor((type, body) => type === 'wrtcsAcceptanceNotification' && sessionOf(body) === sessionId, CALL_TIMEOUT_MS);
  const answer = await callee.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: FAKE_SDP, clientCorrelator: callee.correlator } });
  if (answer.status !== 204) throw new Error(`answer ${answer.status}`);
  await accepted;
  const elapsed = now() - started;
  const ended = await caller.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`);
  if (ended.status !== 204) throw new Error(`DELETE ${ended.status}`);
  caller.forget(sessionId);
  callee.forget(sessionId);
  return elapsed;
}

// ---- main ------------------------------------------------------------------------------------------------

interface ClientStep {
  clients: number;
  registered: number;
  registrationErrors: number;
  registrationMs: { median: number | null; p90: number | null };
  pingMs: { median: number | null; p90: number | null; samples: number; missed: number };
  gatewayCpuPercent: number | null;
  loadCpuPercent: number;
  /** Gateway CPU seconds while registering / while holding, and the pings answered in each phase. */
  cpu: { registration: number | null; hold: number | null; pingsDuringRegistration: number; pingsDuringHold: number };
}

interface RateStep {
  offeredPerSecond: number;
  startedPerSecond: number;
  completed: number;
  completedPerSecond: number;
  errors: number;
  skippedNoFreePair: number;
  setUpMs: { median: number | null; p90: number | null };
  gatewayCpuPercent: number | null;
  gatewayCpuSeconds: number | null;
  loadCpuPercent: number;
}

/**
 * The first step from which the median stays at least twice the first step's for every later step.
 * "Stays": on a shared machine one step can spike (or, at low load, be slow because every request
 * wakes an idle process) without the gateway being anywhere near its limit.
 */
function knee<T>(steps: T[], value: (step: T) => number | null): T | undefined {
  const base = steps[0] ? value(steps[0]) : null;
  if (base === null || base === undefined) return undefined;
  const doubled = (step: T) => {
    const v = value(step);
    return v !== null && v >= 2 * base;
  };
  const index = steps.findIndex((step, i) => i > 0 && steps.slice(i).every(doubled));
  return index > 0 ? steps[index] : undefined;
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + DEADLINE_MS;
  const notes: string[] = [`Load average at the start: ${os.loadavg().map((load) => load.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs.`];
  const maxClients = CLIENT_STEPS.at(-1)!;
  const child = await startChild(Math.max(maxClients, PAIRS * 2) + WARM_UP_CLIENTS);
  let loadPinned = false;
  if (child.pinned) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
      loadPinned = true;
    } catch {
      loadPinned = false;
    }
  }
  notes.push(
    child.pinned
      ? `Gateway child pinned to CPU 0 with taskset -c 0; the load generator ${loadPinned ? 'pinned to CPU 1 (taskset -a -p -c 1)' : 'not pinned'}. Other agents share both cores, so the gateway never has a core to itself.`
      : `Gateway child NOT pinned (${hasTaskset() ? 'only one CPU' : 'taskset not available'}): it shares the CPUs with the load generator.`,
    `Loopback only (127.0.0.1), TLS as the SDK needs; one keep-alive https.Agent per simulated client (maxSockets 2) plus its websocket.`,
    `(a) ${REG_CONCURRENCY} registrations in flight at a time while every registered client pings every ${PING_INTERVAL_MS} ms (30× the SDK's 30 s keep-alive, so N clients here load the gateway like ~30·N real ones); ping round trip measured over ${HOLD_MS / 1000} s after each ramp step.`,
    `(b) ${PAIRS} caller/callee pairs; open-loop arrivals for ${WINDOW_MS / 1000} s per rate; an arrival with no free pair is skipped (counted); set-up = session POST → acceptance at the caller (invitation, Ringing, answer in between); DELETE after.`,
    'The load generator is one Node process: at the highest steps its own CPU (reported) may be the limit rather than the gateway\'s.',
    `Before measuring, ${WARM_UP_CLIENTS} clients register and make ${WARM_UP_CALLS} calls (not counted). Latency often falls as load rises: at low rates every request finds the gateway (and the load generator) idle and pays the wake-up; the knee is therefore the first step from which the median stays at least 2× the first step's for every higher step.`,
    'Shared 2-core machine with other agents running Chromium: absolute latencies are noisy; the knees are ratios within this run.',
  );

  const clients: LoadClient[] = [];
  let pingSamples: number[] = [];
  let missedPings = 0;
  let recording = false;
  let acks = 0;
  const sink = (ms: number | 'missed') => {
    if (ms !== 'missed') acks++;
    if (!recording) return;
    if (ms === 'missed') missedPings++;
    else pingSamples.push(ms);
  };
  const clientSteps: ClientStep[] = [];
  const rateSteps: RateStep[] = [];
  /** Error messages and how often each was seen. */
  const errorKinds = new Map<string, number>();
  const noteError = (error: unknown) => {
    const text = (error instanceof Error ? error.message : String(error)).replace(/load\d+/g, 'loadN');
    errorKinds.set(text, (errorKinds.get(text) ?? 0) + 1);
  };

  try {
    // ---- warm-up: the gateway's (and this process's) first TLS handshakes, JIT, first calls ----
    const warm: LoadClient[] = [];
    await pool(
      Array.from({ length: WARM_UP_CLIENTS }, (_, k) => Math.max(maxClients, PAIRS * 2) + k),
      REG_CONCURRENCY,
      async (index) => {
        const client = new LoadClient(child.port, index, () => undefined);
        await client.register();
        warm.push(client);
      },
    );
    for (let i = 0; i + 1 < warm.length && i < WARM_UP_CALLS * 2; i += 2) {
      for (let call = 0; call < 2; call++) await setUpCall(warm[i]!, warm[i + 1]!);
    }
    for (const client of warm) client.close();
    await sleep(500);

    // ---- (a) registered clients ----
    for (const target of CLIENT_STEPS) {
      if (Date.now() > deadline - 60_000) {
        notes.push(`Client ramp stopped before N=${target} to stay within the time bound.`);
        break;
      }
      const cpu0 = cpuSeconds(child.pid);
      const acks0 = acks;
      const load0 = process.cpuUsage();
      const t0 = now();
      const registration: number[] = [];
      let errors = 0;
      const indices = Array.from({ length: target - clients.length }, (_, k) => clients.length + k);
      await pool(indices, REG_CONCURRENCY, async (index) => {
        const client = new LoadClient(child.port, index, sink);
        try {
          registration.push(await client.register());
          clients.push(client);
          client.startPinging(PING_INTERVAL_MS);
        } catch (error) {
          errors++;
          noteError(error);
          client.close();
        }
      });
      const cpuRegistered = cpuSeconds(child.pid);
      const acksRegistered = acks;
      pingSamples = [];
      missedPings = 0;
      recording = true;
      await sleep(HOLD_MS);
      recording = false;
      const elapsed = (now() - t0) / 1000;
      const cpu1 = cpuSeconds(child.pid);
      const load = process.cpuUsage(load0);
      const step: ClientStep = {
        clients: clients.length,
        registered: registration.length,
        registrationErrors: errors,
        registrationMs: { median: median(registration), p90: p90(registration) },
        pingMs: { median: median(pingSamples), p90: p90(pingSamples), samples: pingSamples.length, missed: missedPings },
        gatewayCpuPercent: cpu0 !== null && cpu1 !== null ? round(((cpu1 - cpu0) / elapsed) * 100, 2) : null,
        loadCpuPercent: round(((load.user + load.system) / 1e6 / elapsed) * 100, 2),
        cpu: {
          registration: cpu0 !== null && cpuRegistered !== null ? cpuRegistered - cpu0 : null,
          hold: cpuRegistered !== null && cpu1 !== null ? cpu1 - cpuRegistered : null,
          pingsDuringRegistration: acksRegistered - acks0,
          pingsDuringHold: acks - acksRegistered,
        },
      };
      clientSteps.push(step);
      process.stderr.write(`… N=${step.clients}: registration median ${round(step.registrationMs.median ?? 0)} ms, ping median ${round(step.pingMs.median ?? 0)} ms\n`);
    }

    // ---- (b) call set-ups per second ----
    for (const client of clients) client.stopPinging();
    const pairs: [LoadClient, LoadClient][] = [];
    for (let i = 0; i + 1 < Math.min(clients.length, PAIRS * 2); i += 2) pairs.push([clients[i]!, clients[i + 1]!]);
    for (const client of clients.slice(PAIRS * 2)) client.close();
    await sleep(500);
    for (const rate of RATES) {
      if (Date.now() > deadline - (WINDOW_MS + DRAIN_MS)) {
        notes.push(`Rate ramp stopped before ${rate}/s to stay within the time bound.`);
        break;
      }
      const free = [...pairs];
      const inFlight = new Set<Promise<void>>();
      const latencies: number[] = [];
      let errors = 0;
      let skipped = 0;
      let launched = 0;
      const cpu0 = cpuSeconds(child.pid);
      const load0 = process.cpuUsage();
      const t0 = now();
      for (let k = 0; ; k++) {
        const due = t0 + (k * 1000) / rate;
        if (due >= t0 + WINDOW_MS) break;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        const pair = free.pop();
        if (!pair) {
          skipped++;
          continue;
        }
        launched++;
        const call: Promise<void> = setUpCall(pair[0], pair[1])
          .then(
            (ms) => void latencies.push(ms),
            (error: unknown) => {
              errors++;
              noteError(error);
            },
          )
          .finally(() => {
            free.push(pair);
            inFlight.delete(call);
          });
        inFlight.add(call);
      }
      const windowSeconds = (now() - t0) / 1000;
      await Promise.race([Promise.allSettled([...inFlight]), sleep(DRAIN_MS)]);
      const elapsed = (now() - t0) / 1000;
      const cpu1 = cpuSeconds(child.pid);
      const load = process.cpuUsage(load0);
      const step: RateStep = {
        offeredPerSecond: rate,
        startedPerSecond: round(launched / windowSeconds, 3),
        completed: latencies.length,
        completedPerSecond: round(latencies.length / elapsed, 3),
        errors,
        skippedNoFreePair: skipped,
        setUpMs: { median: median(latencies), p90: p90(latencies) },
        gatewayCpuPercent: cpu0 !== null && cpu1 !== null ? round(((cpu1 - cpu0) / elapsed) * 100, 2) : null,
        gatewayCpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
        loadCpuPercent: round(((load.user + load.system) / 1e6 / elapsed) * 100, 2),
      };
      rateSteps.push(step);
      process.stderr.write(`… ${rate}/s: set-up median ${round(step.setUpMs.median ?? 0)} ms, ${step.completed} done, ${errors} errors, ${skipped} skipped\n`);
      if (inFlight.size) notes.push(`${inFlight.size} calls at ${rate}/s were still in flight after the ${DRAIN_MS / 1000} s drain.`);
      await sleep(300);
    }
  } finally {
    for (const client of clients) client.close();
    await stopChild(child);
  }

  // ---- report ----
  console.log(
    `\n(a) registered clients\n${formatTable([
      ['N', 'registration median ms', 'p90', 'errors', 'ping median ms', 'p90', 'pings', 'missed', 'gateway CPU %', 'load gen CPU %'],
      ...clientSteps.map((step) => [
        String(step.clients),
        String(round(step.registrationMs.median ?? NaN)),
        String(round(step.registrationMs.p90 ?? NaN)),
        String(step.registrationErrors),
        String(round(step.pingMs.median ?? NaN)),
        String(round(step.pingMs.p90 ?? NaN)),
        String(step.pingMs.samples),
        String(step.pingMs.missed),
        String(step.gatewayCpuPercent ?? ''),
        String(step.loadCpuPercent),
      ]),
    ])}`,
  );
  console.log(
    `\n(b) call set-ups\n${formatTable([
      ['offered /s', 'started /s', 'completed /s', 'set-up median ms', 'p90', 'errors', 'skipped', 'gateway CPU %', 'load gen CPU %'],
      ...rateSteps.map((step) => [
        String(step.offeredPerSecond),
        String(step.startedPerSecond),
        String(step.completedPerSecond),
        String(round(step.setUpMs.median ?? NaN)),
        String(round(step.setUpMs.p90 ?? NaN)),
        String(step.errors),
        String(step.skippedNoFreePair),
        String(step.gatewayCpuPercent ?? ''),
        String(step.loadCpuPercent),
      ]),
    ])}`,
  );

  const figures: Figure[] = [];
  const firstClients = clientSteps[0];
  const lastClients = clientSteps.at(-1);
  if (firstClients && lastClients) {
    const base = `N=${firstClients.clients}`;
    figures.push(
      figure(`registration latency, median, N=${firstClients.clients}`, firstClients.registrationMs.median, 'ms'),
      figure(`registration latency, median, N=${lastClients.clients}`, lastClients.registrationMs.median, 'ms', { baseline: firstClients.registrationMs.median, baselineLabel: base }),
      figure(`ping/connAck round trip, median, N=${firstClients.clients}`, firstClients.pingMs.median, 'ms'),
      figure(`ping/connAck round trip, median, N=${lastClients.clients}`, lastClients.pingMs.median, 'ms', { baseline: firstClients.pingMs.median, baselineLabel: base }),
    );
    // CPU cost per operation: independent of how much of the core the scheduler gave the gateway.
    const holdCpu = clientSteps.reduce((sum, step) => sum + (step.cpu.hold ?? 0), 0);
    const holdPings = clientSteps.reduce((sum, step) => sum + step.cpu.pingsDuringHold, 0);
    const cpuPerPingMs = holdPings ? (holdCpu * 1000) / holdPings : null;
    const regCpu = clientSteps.reduce((sum, step) => sum + (step.cpu.registration ?? 0), 0);
    const regPings = clientSteps.reduce((sum, step) => sum + step.cpu.pingsDuringRegistration, 0);
    const registrations = clientSteps.reduce((sum, step) => sum + step.registered, 0);
    const cpuPerRegistrationMs = registrations ? (regCpu * 1000 - regPings * (cpuPerPingMs ?? 0)) / registrations : null;
    if (clientSteps.every((step) => step.cpu.registration !== null)) {
      figures.push(
        figure('gateway CPU per registration (token, channel, websocket, subscription)', cpuPerRegistrationMs, 'ms'),
        figure('gateway CPU per 1,000 pings answered', cpuPerPingMs === null ? null : cpuPerPingMs * 1000, 'ms'),
      );
      notes.push(
        `CPU cost per operation comes from the gateway process's user+system time (/proc/<pid>/stat, 10 ms ticks) over all ramp steps: hold-phase CPU / pings answered; registration-phase CPU minus its pings / registrations. Unlike latency it does not depend on how much of the core the scheduler gave the gateway.`,
      );
    }
    const regKnee = knee(clientSteps, (step) => step.registrationMs.median);
    const pingKnee = knee(clientSteps, (step) => step.pingMs.median);
    figures.push(
      figure(regKnee ? 'clients from which registration median stayed ≥ 2× N=10' : `clients from which registration median stayed ≥ 2× N=10 (not reached up to ${lastClients.clients})`, regKnee?.clients ?? null, 'clients'),
      figure(pingKnee ? 'clients from which ping median stayed ≥ 2× N=10' : `clients from which ping median stayed ≥ 2× N=10 (not reached up to ${lastClients.clients})`, pingKnee?.clients ?? null, 'clients'),
    );
  }
  const firstRate = rateSteps[0];
  const lastRate = rateSteps.at(-1);
  if (firstRate && lastRate) {
    figures.push(
      figure(`call set-up latency, median, ${firstRate.offeredPerSecond}/s`, firstRate.setUpMs.median, 'ms'),
      figure(`call set-up latency, median, ${lastRate.offeredPerSecond}/s`, lastRate.setUpMs.median, 'ms', { baseline: firstRate.setUpMs.median, baselineLabel: `${firstRate.offeredPerSecond}/s` }),
    );
    const rateKnee = knee(rateSteps, (step) => step.setUpMs.median);
    figures.push(
      figure(rateKnee ? `offered rate from which set-up median stayed ≥ 2× ${firstRate.offeredPerSecond}/s` : `offered rate from which set-up median stayed ≥ 2× ${firstRate.offeredPerSecond}/s (not reached up to ${lastRate.offeredPerSecond}/s)`, rateKnee?.offeredPerSecond ?? null, 'calls/s'),
      figure('highest completed call set-up rate', Math.max(...rateSteps.map((step) => step.completedPerSecond)), 'calls/s'),
    );
    const callCpu = rateSteps.reduce((sum, step) => sum + (step.gatewayCpuSeconds ?? 0), 0);
    const calls = rateSteps.reduce((sum, step) => sum + step.completed, 0);
    if (calls && rateSteps.every((step) => step.gatewayCpuSeconds !== null)) {
      const perCall = (callCpu * 1000) / calls;
      figures.push(
        figure('gateway CPU per call set-up (POST, invitation, Ringing, answer, acceptance, DELETE)', perCall, 'ms'),
        figure('call set-ups/s one core could sustain (1000 / CPU per set-up)', perCall > 0 ? 1000 / perCall : null, 'calls/s'),
      );
    }
    const failed = rateSteps.reduce((sum, step) => sum + step.errors, 0);
    const skipped = rateSteps.reduce((sum, step) => sum + step.skippedNoFreePair, 0);
    if (failed || skipped) notes.push(`Call set-ups that failed: ${failed}; arrivals skipped for want of a free pair: ${skipped}.`);
  }
  const regErrors = clientSteps.reduce((sum, step) => sum + step.registrationErrors, 0);
  if (regErrors) notes.push(`Registrations that failed: ${regErrors}.`);
  if (errorKinds.size) notes.push(`Errors seen: ${[...errorKinds].map(([text, count]) => `${count}× ${text}`).join('; ')}.`);

  writeResult({
    name: 'gateway-capacity',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    figures,
    notes,
    details: { clientSteps, rateSteps, settings: { CLIENT_STEPS, RATES, REG_CONCURRENCY, PING_INTERVAL_MS, HOLD_MS, PAIRS, WINDOW_MS, DRAIN_MS } },
  });
}

await main();
process.exit(0);
