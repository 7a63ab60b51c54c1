// Reads a QR code (or a badge's PDF417 / Code 128) from ImageData. The browser's own
// BarcodeDetector where it has one; otherwise the vendored zxing-wasm reader, loaded on first use
// in a worker (scanner-worker.js) so that neither its loading nor its reading blocks the page.

const NATIVE_FORMATS = ["qr_code", "pdf417", "code_128"];
const ZXING_OPTIONS = {
  formats: ["QRCode", "PDF417", "Code128"],
  textMode: "Plain", // the exact text; the default ("HRI") rewrites control characters such as CR LF
  maxNumberOfSymbols: 1,
};
// Camera frames take turns between two ways of telling black from white: the local one reads
// shadows and uneven light, the global one with denoising reads codes on creased fabric.
const ZXING_PASSES = [
  ZXING_OPTIONS,
  { ...ZXING_OPTIONS, binarizer: "GlobalHistogram", tryDenoise: true },
];
const WORKER = new URL("./scanner-worker.js", import.meta.url);

async function nativeDecoder() {
  if (!("BarcodeDetector" in globalThis)) return null;
  const supported = await globalThis.BarcodeDetector.getSupportedFormats().catch(() => []);
  if (!supported.includes("qr_code")) return null;
  const detector = new globalThis.BarcodeDetector({
    formats: NATIVE_FORMATS.filter((format) => supported.includes(format)),
  });
  return {
    name: "BarcodeDetector",
    async decode(image) {
      const [code] = await detector.detect(image);
      return code?.rawValue || null;
    },
  };
}

// The worker's reader as a function: ImageData and options in, a promise of text or null out.
function zxingWorker() {
  const worker = new Worker(WORKER, { type: "module" });
  const waiting = new Map(); // message id -> its promise's resolve
  let next = 0;
  return new Promise((resolve, reject) => {
    worker.addEventListener("error", (event) => {
      reject(new Error(event.message || "The scanner couldn't start."));
      for (const done of waiting.values()) done(null); // a reader that died reads nothing
      waiting.clear();
    });
    worker.addEventListener("message", ({ data }) => {
      if (data.ready) resolve(read);
      else if (data.failed) reject(new Error(data.failed));
      else {
        waiting.get(data.id)?.(data.text ?? null); // an unreadable frame is no code
        waiting.delete(data.id);
      }
    });
    function read(image, options) {
      const id = next++;
      return new Promise((done) => {
        waiting.set(id, done);
        worker.postMessage({ id, image, options }, [image.data.buffer]);
      });
    }
  });
}

async function zxingDecoder() {
  const read = await zxingWorker();
  let turn = 0;
  return {
    name: "zxing-wasm",
    async decode(image, { thorough = false } = {}) {
      if (!thorough) return read(image, ZXING_PASSES[turn++ % ZXING_PASSES.length]);
      for (const options of ZXING_PASSES) {
        // The buffer moves to the worker with each read: later passes get a copy.
        const copy = new ImageData(new Uint8ClampedArray(image.data), image.width);
        const text = await read(copy, options);
        if (text) return text;
      }
      return null;
    },
  };
}

let loading = null;

// The decoder, loaded once per page: { name, decode(imageData, { thorough }) -> text or null }.
// `thorough` tries every way at once, for a single photo rather than a stream of frames.
export function loadDecoder() {
  loading ??= nativeDecoder()
    .then((decoder) => decoder ?? zxingDecoder())
    .catch((error) => {
      loading = null; // let a later attempt try again
      throw error;
    });
  return loading;
}
