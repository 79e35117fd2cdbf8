/**
 * Interoperability with an independent SIP implementation (STYLE → Tests → Protocol): runs
 * `sip-interop.sh` when this machine has what it needs (root for a network namespace,
 * baresip, sox, and shared/sip-lab); skipped otherwise, or with CALLINGBOX_SKIP_INTEROP=1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../../../..');
const labCandidates = [process.env.SIP_LAB, path.resolve(repo, '../shared/sip-lab'), '/work/shared/sip-lab'].filter((p): p is string => !!p);
const lab = labCandidates.find((p) => existsSync(path.join(p, 'netns-loopback.sh')));
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const available = process.env.CALLINGBOX_SKIP_INTEROP !== '1' && process.getuid?.() === 0 && !!lab && has('baresip') && has('sox') && has('unshare');

describe.skipIf(!available)('SIP interop with baresip, linphonec and kamailio', () => {
  it('passes every scenario of sip-interop.sh', () => {
    let out = '';
    try {
      out = execFileSync(path.join(here, 'sip-interop.sh'), { env: { ...process.env, SIP_LAB: lab }, timeout: 170_000, encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(out).toContain('interop: 0 failure(s)');
  }, 180_000);
});
