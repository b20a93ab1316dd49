/**
 * `npm start` (scripts/start.ts) as a user runs it, in its short CI form: it builds, starts the gateway
 * and the demo page, opens two headless Chromium profiles, and alice calls bob by hovering a number on
 * the demo page. Also: Ctrl-C stops everything it started, and a machine without Chromium gets the
 * install command.
 *
 * Run: node --import tsx --test e2e/demo.test.ts   (the script builds dist/ itself)
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const profiles = mkdtempSync(join(tmpdir(), 'kandy-demo-profiles-'));
/**
 * `npm start`'s command. Not the tsx CLI: on a signal it waits 30 ms for its child to confirm it
 * got the signal too, and SIGKILLs the child if not; a demo busy starting two browsers missed
 * that, so Ctrl-C left both Chromiums running (CI, 2026-11-25).
 */
const START_COMMAND = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

/**
 * Runs what `npm start` runs (package.json), without npm's banner; `interrupt` sends SIGINT once
 * stdout matches it.
 */
function start(env: Record<string, string>, options: { timeoutMs: number; interrupt?: RegExp }): Promise<Run> {
  return new Promise((resolveRun) => {
    const childEnv: Record<string, string | undefined> = { ...process.env, DEMO_PROFILE_DIR: profiles, ...env };
    delete childEnv.DISPLAY; // headless: the scenario plays by itself
    delete childEnv.WAYLAND_DISPLAY;
    // Its own process group, so a signal reaches npx, tsx and the script together, as Ctrl-C in a terminal does.
    const [command, ...args] = START_COMMAND;
    const child = spawn(command!, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.interrupt && !interrupted && options.interrupt.test(stdout)) {
        interrupted = true;
        signalGroup('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[test] no exit after ${options.timeoutMs} ms: sending SIGINT\n`;
      signalGroup('SIGINT');
      setTimeout(() => signalGroup('SIGKILL'), 30_000).unref();
    }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

/** Processes whose command line mentions `text` (e.g. Chromium processes of a profile directory). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const describeRun = (run: Run) => `exit ${run.code} ${run.signal ?? ''}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr.slice(-3000)}`;

after(() => {
  rmSync(profiles, { recursive: true, force: true });
});

describe('npm start', () => {
  test('DEMO_CI=1: a call from a detected number connects with audio both ways, then it exits 0', { timeout: 420_000 }, async () => {
    const gatewayPort = (await isFree(8443)) ? '8443' : '0';
    const demoPort = (await isFree(8080)) ? '8080' : '0';
    const run = await start({ DEMO_CI: '1', GATEWAY_PORT: gatewayPort, DEMO_PORT: demoPort }, { timeoutMs: 360_000 });
    const details = describeRun(run);
    assert.equal(run.code, 0, details);
    assert.match(run.stdout, /No display .* running Chromium headless/, details);
    assert.match(run.stdout, /DEMO OK: call from a detected number .* connected with audio both ways/, details);
    assert.match(run.stdout, /Look-alikes marked \(dates, prices, order ids, …\): none\./, details);
    assert.match(run.stdout, /Bob's popup shows the incoming call/, details);
    for (const name of ['alice-demo-page', 'alice-popup', 'bob-popup']) {
      const file = resolve(ROOT, '.tmp', 'screenshots', `${name}.png`);
      assert.ok(run.stdout.includes(file), `the screenshot ${name} is printed`);
      assert.ok(existsSync(file), `${file} exists`);
    }
    assert.deepEqual(processesMentioning(profiles), [], 'no Chromium left running');
  });

  test('Ctrl-C stops the browsers, the gateway and the demo page server', { timeout: 300_000 }, async () => {
    const run = await start({ DEMO_SKIP_BUILD: '1', GATEWAY_PORT: '0', DEMO_PORT: '0' }, { timeoutMs: 240_000, interrupt: /Chromium is running for alice and bob/ });
    const details = describeRun(run);
    assert.match(run.stdout, /SIGINT: stopping/, details);
    assert.ok(run.code === 130 || run.signal === 'SIGINT', details);
    const gatewayUrl = /Gateway: https:\/\/127\.0\.0\.1:(\d+)/.exec(run.stdout)?.[1];
    const demoUrl = /Demo page: http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stdout)?.[1];
    assert.ok(gatewayUrl && demoUrl, details);
    assert.ok(await isFree(Number(gatewayUrl)), 'the gateway port is free again');
    assert.ok(await isFree(Number(demoUrl)), 'the demo page port is free again');
    assert.deepEqual(processesMentioning(profiles), [], `no Chromium left running\n${details}`);
  });

  test('without Chromium it prints the install command and exits 1', { timeout: 60_000 }, async () => {
    const run = await start({ CHROMIUM_PATH: '/nonexistent/chromium' }, { timeoutMs: 50_000 });
    assert.equal(run.code, 1, describeRun(run));
    assert.equal(run.stderr.replace(/^npm warn.*\n/gm, ''), 'sudo apt-get install -y chromium\n');
    assert.equal(run.stdout, '');
  });
});
