#!/usr/bin/env node
/**
 * `npm install`'s postinstall (providers.md → Setup): the offline recogniser's model and library
 * ship only as Debian packages (pocketsphinx-en-us, libpocketsphinx3). As root on Debian or
 * Ubuntu this installs them with apt-get; otherwise it prints the exact command. It never fails
 * the install: without them the platform still runs, and `npm start` and `GET /v1/health` say
 * what is missing and that agents take keypad answers meanwhile.
 *
 * Skip with CALLINGBOX_SKIP_APT=1 (CI images that install packages themselves, containers built
 * without root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const PACKAGES = ['pocketsphinx-en-us', 'libpocketsphinx3'];
// Overridable so the messages can be checked on a machine that has the packages.
const MODEL_DIR = process.env.CALLINGBOX_POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us';
const COMMAND = `apt-get update && apt-get install -y ${PACKAGES.join(' ')}`;

function installed() {
  if (!fs.existsSync(`${MODEL_DIR}/en-us`) && !fs.existsSync(`${MODEL_DIR}/mdef`)) return false;
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.includes('libpocketsphinx.so.3');
  } catch {
    return fs.existsSync('/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3') || fs.existsSync('/usr/lib/aarch64-linux-gnu/libpocketsphinx.so.3');
  }
}

function debianLike() {
  try {
    const os = fs.readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(os);
  } catch {
    return false;
  }
}

const say = (line) => process.stdout.write(`callingbox: ${line}\n`);

if (process.env.CALLINGBOX_SKIP_APT === '1' || process.platform !== 'linux') {
  if (process.platform !== 'linux') say(`offline speech recognition needs pocketsphinx (Debian/Ubuntu: ${COMMAND}); agents take keypad answers without it.`);
  process.exit(0);
}
if (installed()) process.exit(0);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !debianLike()) {
  say('the offline speech recogniser (pocketsphinx) is not installed. Install it as root with:');
  say(`  ${COMMAND}`);
  say('Until then agents answer callers who use the keypad (DTMF).');
  process.exit(0);
}
say(`installing the offline speech recogniser: ${COMMAND}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', ...PACKAGES], { stdio: 'inherit', env }) : update;
if (install.status !== 0 || !installed()) {
  say(`could not install ${PACKAGES.join(', ')} (apt-get exited ${install.status}). Run it yourself: ${COMMAND}`);
  say('Until then agents answer callers who use the keypad (DTMF).');
}
process.exit(0);
