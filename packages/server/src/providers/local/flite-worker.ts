/**
 * The code of the worker thread that runs Flite. WASI `start()` is synchronous (≈0.1–0.3 s per
 * sentence) and would stall every call's RTP pacer on the main thread, so it runs here. Kept as a
 * CommonJS string so the worker starts the same under tsx, vitest and plain node.
 */
export const FLITE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
process.removeAllListeners('warning'); // WASI's one ExperimentalWarning per process
const modulePromise = WebAssembly.compile(fs.readFileSync(workerData.wasmPath));
parentPort.on('message', async ({ id, text, voice }) => {
  let dir;
  try {
    const mod = await modulePromise;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callingbox-flite-'));
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-voice', voice, '-t', text, '-o', '/out/speech.wav'], preopens: { '/out': dir }, returnOnExit: true });
    const t0 = performance.now();
    const code = wasi.start(new WebAssembly.Instance(mod, wasi.getImportObject()));
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error('flite exited with code ' + code);
    const wav = fs.readFileSync(path.join(dir, 'speech.wav'));
    parentPort.postMessage({ id, wav, ms });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
});
`;
