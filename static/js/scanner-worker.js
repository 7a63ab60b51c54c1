// The zxing-wasm reader, off the main thread: compiling its WebAssembly and reading each camera
// frame would otherwise block taps and scrolling on a slow phone (Lighthouse counted 2.5 s of
// blocking time on /scan). Messages: {id, image: ImageData, options} in, {id, text} or
// {id, error} out; {ready: true} or {failed} once the reader has loaded.
import { prepareZXingModule, readBarcodes } from "../vendor/zxing-wasm/dist/es/reader/index.js";

const WASM = new URL("../vendor/zxing-wasm/dist/reader/zxing_reader.wasm", import.meta.url);

prepareZXingModule({
  // By default it would fetch the .wasm from a CDN.
  overrides: { locateFile: (file, prefix) => (file.endsWith(".wasm") ? WASM.href : prefix + file) },
  fireImmediately: true,
}).then(
  () => self.postMessage({ ready: true }),
  (error) => self.postMessage({ failed: String(error) }),
);

self.addEventListener("message", async ({ data: { id, image, options } }) => {
  try {
    const results = await readBarcodes(image, options);
    const text = results.find((result) => result.isValid && result.text)?.text ?? null;
    self.postMessage({ id, text });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
});
