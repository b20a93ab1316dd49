// Browser tests must fail, not skip, when Chromium is missing: a green run without them proves nothing.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(`\nChromium is required for the browser tests but ${path} does not exist.`);
  console.error('Install it with:  sudo apt-get update && sudo apt-get install -y chromium chromium-l10n dbus-daemon\n');
  process.exit(1);
}
try {
  const version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  console.log(`Browser tests use ${version} (${path})`);
} catch (error) {
  console.error(`Chromium at ${path} cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
