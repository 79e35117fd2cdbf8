/**
 * The code of the worker thread that runs Flite. WASI `start()` is synchronous (≈0.1–0.3 s per
 * sentence) and would stall every call's RTP pacer on the main thread, so it runs here. Kept as a
 * CommonJS string so the worker starts the same under tsx, vitest and plain node.
 *
 * One output directory for the worker's whole life (`workerData.outDir`, made and removed by the
 * main thread), one file name per request: with a fresh `mkdtemp` directory preopened for every
 * sentence, a plain script (no worker) running Flite under Node 20's WASI crashed the process
 * (SIGSEGV/SIGABRT, no message) in about half of the runs of 60 sentences here; with one
 * directory, 15 of 15 runs passed. NOT fully fixed: `measure-offline-speech.ts` still crashes in
 * about half of its runs around the 13th–16th sentence (README, "What remains").
 */
export const FLITE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const fs = require('node:fs');
const path = require('node:path');
process.removeAllListeners('warning'); // WASI's one ExperimentalWarning per process
const modulePromise = WebAssembly.compile(fs.readFileSync(workerData.wasmPath));
parentPort.on('message', async ({ id, text, voice }) => {
  const dir = workerData.outDir;
  const file = 'speech-' + id + '.wav';
  try {
    const mod = await modulePromise;
    const wasi = new WASI({ version: 'preview1', args: ['flite', '-voice', voice, '-t', text, '-o', '/out/' + file], preopens: { '/out': dir }, returnOnExit: true });
    const t0 = performance.now();
    const code = wasi.start(new WebAssembly.Instance(mod, wasi.getImportObject()));
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error('flite exited with code ' + code);
    const wav = fs.readFileSync(path.join(dir, file));
    parentPort.postMessage({ id, wav, ms });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  } finally {
    fs.rmSync(path.join(dir, file), { force: true });
  }
});
`;
