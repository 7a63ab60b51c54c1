// Reads a QR code (or a badge's PDF417 / Code 128) from ImageData. The browser's own
// BarcodeDetector where it has one; otherwise the vendored zxing-wasm reader, loaded on first use
// and pointed at our copy of its .wasm (by default it would fetch it from a CDN).

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
const ZXING_WASM = new URL("../vendor/zxing-wasm/dist/reader/zxing_reader.wasm", import.meta.url);

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

async function zxingDecoder() {
  const zxing = await import("../vendor/zxing-wasm/dist/es/reader/index.js");
  await zxing.prepareZXingModule({
    overrides: {
      locateFile: (file, prefix) => (file.endsWith(".wasm") ? ZXING_WASM.href : prefix + file),
    },
    fireImmediately: true,
  });
  const read = async (image, options) => {
    const results = await zxing.readBarcodes(image, options);
    return results.find((result) => result.isValid && result.text)?.text ?? null;
  };
  let turn = 0;
  return {
    name: "zxing-wasm",
    async decode(image, { thorough = false } = {}) {
      if (!thorough) return read(image, ZXING_PASSES[turn++ % ZXING_PASSES.length]);
      for (const options of ZXING_PASSES) {
        const text = await read(image, options);
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
