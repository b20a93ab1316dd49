/**
 * A fake desktop notification server (org.freedesktop.Notifications, spec 1.2) on a private
 * dbus-daemon, so a test sees exactly what Chromium's Linux notification bridge shows and can press
 * a button the way a user would: the server emits ActionInvoked and Chromium turns it into
 * chrome.notifications.onButtonClicked / onClicked in the extension.
 *
 * Launch the browser with `server.env` (DBUS_SESSION_BUS_ADDRESS of the private bus, NO_AT_BRIDGE=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Message, NameFlag, RequestNameReply, sessionBus, Variant, type MessageBus } from 'dbus-next';

const NAME = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
const IFACE = NAME;
/** NotificationClosed reasons from the spec. */
export const CLOSED_BY_USER = 2;
export const CLOSED_BY_CALL = 3;

export interface ShownNotification {
  id: number;
  appName: string;
  summary: string;
  body: string;
  /** The action pairs as sent: key (what ActionInvoked reports) and the label the user sees. */
  actions: { key: string; label: string }[];
  /** Hint names with plain values (image data is reduced to its size). */
  hints: Record<string, unknown>;
  expireTimeout: number;
  /** How many Notify calls created or updated this notification. */
  updates: number;
}

export type ServerEvent =
  | { kind: 'notify'; at: number; notification: ShownNotification }
  | { kind: 'close-requested'; at: number; id: number; known: boolean }
  | { kind: 'action-invoked'; at: number; id: number; key: string }
  | { kind: 'closed-signal'; at: number; id: number; reason: number };

export interface FakeNotificationServer {
  /** The environment a browser needs to talk to this server. */
  readonly env: Record<string, string>;
  readonly address: string;
  /** Notifications currently shown (created and not closed). */
  list(): ShownNotification[];
  /** Everything that happened, in order, for assertions and failure messages. */
  events(): ServerEvent[];
  /** Resolves with the first shown notification that matches, or fails listing what is shown. */
  waitFor(predicate: (notification: ShownNotification) => boolean, what: string, timeoutMs?: number): Promise<ShownNotification>;
  /** Resolves once the notification is no longer shown (the client closed it). */
  waitForGone(id: number, what: string, timeoutMs?: number): Promise<void>;
  /** Presses a button (or the body, key "default") as a user would: emits ActionInvoked. */
  invokeAction(id: number, labelOrKey: string): void;
  /** The user dismisses it: emits NotificationClosed(id, 2). */
  dismiss(id: number): void;
  /** A short text of what is shown and what happened, for assertion messages. */
  describe(): string;
  close(): Promise<void>;
}

const CONFIG = (socketDir: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${socketDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

function plainHint(value: unknown): unknown {
  const inner = value instanceof Variant ? value.value : value;
  if (Buffer.isBuffer(inner)) return `<${inner.length} bytes>`;
  if (Array.isArray(inner)) return inner.map((item) => (Buffer.isBuffer(item) ? `<${item.length} bytes>` : item));
  if (typeof inner === 'bigint') return Number(inner);
  return inner;
}

function pairs(flat: string[]): { key: string; label: string }[] {
  const result: { key: string; label: string }[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) result.push({ key: flat[index]!, label: flat[index + 1]! });
  return result;
}

async function startDaemon(dir: string, timeoutMs: number): Promise<{ daemon: ChildProcess; address: string }> {
  const configFile = join(dir, 'bus.conf');
  writeFileSync(configFile, CONFIG(dir));
  const daemon = spawn('dbus-daemon', [`--config-file=${configFile}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  daemon.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`dbus-daemon printed no address within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    daemon.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not start dbus-daemon (apt-get install dbus-daemon): ${error.message}`));
    });
    daemon.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited with ${code}; stderr: ${stderr}`));
    });
    daemon.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
  });
  daemon.removeAllListeners('exit');
  return { daemon, address };
}

export async function startNotificationServer(options: { capabilities?: string[]; timeoutMs?: number } = {}): Promise<FakeNotificationServer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const capabilities = options.capabilities ?? ['actions', 'body'];
  const dir = mkdtempSync(join(tmpdir(), 'fake-dbus-'));
  const { daemon, address } = await startDaemon(dir, timeoutMs);
  const shown = new Map<number, ShownNotification>();
  const log: ServerEvent[] = [];
  let nextId = 1;
  let bus: MessageBus | undefined;

  const stopDaemon = async () => {
    if (daemon.exitCode !== null || daemon.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };

  try {
    bus = sessionBus({ busAddress: address });
    // A stream error must not crash the test process; it shows up as failed waits instead.
    bus.on('error', (error: unknown) => console.warn('fake notification server: bus error', error));
    const connected = bus;
    const emit = (member: string, signature: string, body: unknown[]) => connected.send(Message.newSignal(PATH, IFACE, member, signature, body));

    connected.addMethodHandler((msg: Message) => {
      if (msg.path !== PATH || (msg.interface && msg.interface !== IFACE)) return false;
      switch (msg.member) {
        case 'GetCapabilities':
          connected.send(Message.newMethodReturn(msg, 'as', [capabilities]));
          return true;
        case 'GetServerInformation':
          connected.send(Message.newMethodReturn(msg, 'ssss', ['kandy-e2e-fake-notifications', 'kandy-click-to-call', '1.0', '1.2']));
          return true;
        case 'Notify': {
          const [appName, replacesId, , summary, body, actions, hints, expireTimeout] = msg.body as [string, number, string, string, string, string[], Record<string, unknown>, number];
          const existing = replacesId ? shown.get(replacesId) : undefined;
          const id = existing ? replacesId : nextId++;
          const notification: ShownNotification = {
            id,
            appName,
            summary,
            body,
            actions: pairs(actions),
            hints: Object.fromEntries(Object.entries(hints).map(([key, value]) => [key, plainHint(value)])),
            expireTimeout,
            updates: (existing?.updates ?? 0) + 1,
          };
          shown.set(id, notification);
          log.push({ kind: 'notify', at: Date.now(), notification });
          connected.send(Message.newMethodReturn(msg, 'u', [id]));
          return true;
        }
        case 'CloseNotification': {
          const id = msg.body[0] as number;
          const known = shown.delete(id);
          log.push({ kind: 'close-requested', at: Date.now(), id, known });
          connected.send(Message.newMethodReturn(msg, '', []));
          if (known) {
            log.push({ kind: 'closed-signal', at: Date.now(), id, reason: CLOSED_BY_CALL });
            emit('NotificationClosed', 'uu', [id, CLOSED_BY_CALL]);
          }
          return true;
        }
        default:
          return false;
      }
    });

    const reply = await Promise.race([
      connected.requestName(NAME, NameFlag.DO_NOT_QUEUE),
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`Could not own ${NAME} within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    if (reply !== RequestNameReply.PRIMARY_OWNER) throw new Error(`Could not own ${NAME} on the private bus (reply ${reply})`);

    const server: FakeNotificationServer = {
      env: { DBUS_SESSION_BUS_ADDRESS: address, NO_AT_BRIDGE: '1' },
      address,
      list: () => [...shown.values()],
      events: () => [...log],
      async waitFor(predicate, what, waitMs = 15_000) {
        const deadline = Date.now() + waitMs;
        for (;;) {
          const found = [...shown.values()].find(predicate);
          if (found) return found;
          if (Date.now() > deadline) throw new Error(`Timed out after ${waitMs} ms waiting for a notification: ${what}.\n${server.describe()}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async waitForGone(id, what, waitMs = 15_000) {
        const deadline = Date.now() + waitMs;
        while (shown.has(id)) {
          if (Date.now() > deadline) throw new Error(`Timed out after ${waitMs} ms waiting for notification ${id} to close: ${what}.\n${server.describe()}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      invokeAction(id, labelOrKey) {
        const notification = shown.get(id);
        if (!notification) throw new Error(`Notification ${id} is not shown, cannot press "${labelOrKey}".\n${server.describe()}`);
        const action = notification.actions.find((candidate) => candidate.label === labelOrKey || candidate.key === labelOrKey);
        if (!action) throw new Error(`Notification ${id} has no action "${labelOrKey}" (it has ${JSON.stringify(notification.actions)})`);
        log.push({ kind: 'action-invoked', at: Date.now(), id, key: action.key });
        emit('ActionInvoked', 'us', [id, action.key]);
      },
      dismiss(id) {
        if (!shown.delete(id)) throw new Error(`Notification ${id} is not shown, cannot dismiss it.\n${server.describe()}`);
        log.push({ kind: 'closed-signal', at: Date.now(), id, reason: CLOSED_BY_USER });
        emit('NotificationClosed', 'uu', [id, CLOSED_BY_USER]);
      },
      describe() {
        const now = [...shown.values()].map((n) => `  #${n.id} "${n.summary}" / "${n.body}" actions=${JSON.stringify(n.actions.map((a) => a.label))}`);
        const history = log.slice(-20).map((event) => {
          switch (event.kind) {
            case 'notify':
              return `  notify #${event.notification.id} "${event.notification.summary}"`;
            case 'close-requested':
              return `  CloseNotification(${event.id})${event.known ? '' : ' (unknown id)'}`;
            case 'action-invoked':
              return `  ActionInvoked(${event.id}, "${event.key}")`;
            case 'closed-signal':
              return `  NotificationClosed(${event.id}, ${event.reason})`;
          }
        });
        return `Shown now:\n${now.join('\n') || '  (none)'}\nLast events:\n${history.join('\n') || '  (none)'}`;
      },
      async close() {
        try {
          connected.disconnect();
        } catch {
          // Already gone.
        }
        await stopDaemon();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return server;
  } catch (error) {
    try {
      bus?.disconnect();
    } catch {
      // Ignore: we are failing anyway.
    }
    await stopDaemon();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
