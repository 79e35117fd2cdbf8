/**
 * The code of the child process that runs Flite. WASI `start()` is synchronous (≈0.1–0.3 s per
 * sentence) and would stall every call's RTP pacer on the main thread, so it runs elsewhere; and
 * it runs in a process, not a worker thread, because the bug below still kills its process now
 * and then (gdb: SIGSEGV in a worker thread's JS after many sentences) — a child's death costs one
 * sentence a retry, a thread's took the whole server with every call on it. Kept as a CommonJS
 * string so the child starts the same under tsx, vitest and plain node.
 *
 * Node 20 bug worked around here (gdb backtrace on this machine): a GC that starts inside a WASI
 * call (`uvwasi_path_open` → malloc → external-memory pressure → GC) finalises an earlier,
 * unreachable `WASI` object, whose destructor aborts the process in `uv_mutex_destroy`
 * (SIGABRT/SIGSEGV, no message; about half of the runs of 15–60 sentences). So every `WASI`
 * object stays reachable for the worker's life (`keep`), and the main thread replaces the worker
 * after a few sentences (`SENTENCES_PER_WORKER`), which bounds the memory they hold (≈ 22 MB each).
 */
export const FLITE_WORKER_SOURCE = String.raw`
const workerData = JSON.parse(process.env.CALLINGBOX_FLITE_CHILD);
const { WASI } = require('node:wasi');
const fs = require('node:fs');
const path = require('node:path');
process.removeAllListeners('warning'); // WASI's one ExperimentalWarning per process
const modulePromise = WebAssembly.compile(fs.readFileSync(workerData.wasmPath));
// The parent may have gone (retired this child, or closed): an answer to nobody is dropped.
const reply = (m) => { if (process.connected) process.send(m, () => undefined); };
const keep = []; // see above: a collected WASI object can crash the next WASI call
process.on('message', async ({ id, text, voice }) => {
  const dir = workerData.outDir;
  const file = 'speech-' + id + '.wav';
  try {
    const mod = await modulePromise;
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-voice', voice, '-t', text, '-o', '/out/' + file], preopens: { '/out': dir }, returnOnExit: true });
    keep.push(wasi);
    const t0 = performance.now();
    const code = wasi.start(new WebAssembly.Instance(mod, wasi.getImportObject()));
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error('flite exited with code ' + code);
    const wav = fs.readFileSync(path.join(dir, file));
    reply({ id, wav, ms });
  } catch (e) {
    reply({ id, error: String(e && e.message || e) });
  } finally {
    fs.rmSync(path.join(dir, file), { force: true });
  }
});
process.on('disconnect', () => process.exit(0));
`;
