// zstd-stream.js: streaming zstd decompression in the browser (a plain ES module, no bundler, CSP-clean).
// ExportStudio's own code around two WebAssembly builds of the reference libzstd vendored next to it
// (versions and checksums in PROVENANCE.txt):
//   * zstddec-stream.wasm (from the zstddec package): ZSTD_decompressStream, true streaming with the XXH64
//     checksum checked, several frames and skippable frames, frames with or without a content size,
//     windows up to 128 MiB (libzstd's default limit).
//   * zstd-wasm/zstd.js + zstd.wasm (@bokuweb/zstd-wasm): ZSTD_decompress_usingDict. That build has no
//     streaming API, so a dictionary frame is collected (up to maxFrameBytes) and decoded in one call; it is
//     loaded only the first time a dictionary is given (frames compressed with a dictionary are small).
// Both are fetched from files (never data: URLs), so the page needs only script-src 'self' 'wasm-unsafe-eval'.
//
//   for await (const chunk of decompressStream(response.body)) { … }                 // any size, bounded memory
//   for await (const chunk of decompressStream(frameBody, { dictionary })) { … }    // a dictionary frame
//
// Options: { dictionary?: Uint8Array, signal?: AbortSignal, maxFrameBytes?: number, maxOutputBytes?: number,
//            baseUrl?: string | URL (where the .wasm files are; this module's folder by default) }

const HERE = new URL('./', import.meta.url);

// libzstd error codes (zstd_errors.h) -> names, for readable messages.
const ZSTD_ERRORS = {
  1: 'GENERIC', 10: 'prefix_unknown', 12: 'version_unsupported', 14: 'frameParameter_unsupported',
  16: 'frameParameter_windowTooLarge', 20: 'corruption_detected', 22: 'checksum_wrong', 24: 'literals_headerWrong',
  30: 'dictionary_corrupted', 32: 'dictionary_wrong', 34: 'dictionaryCreation_failed', 40: 'parameter_unsupported',
  42: 'parameter_combination_unsupported', 44: 'parameter_outOfBound', 46: 'tableLog_tooLarge', 48: 'maxSymbolValue_tooLarge',
  50: 'maxSymbolValue_tooSmall', 60: 'stage_wrong', 62: 'init_missing', 64: 'memory_allocation', 66: 'workSpace_tooSmall',
  70: 'dstSize_tooSmall', 72: 'srcSize_wrong', 74: 'dstBuffer_null',
};
export class ZstdError extends Error {
  constructor(code, where) {
    super(`zstd: ${ZSTD_ERRORS[code] || 'error ' + code} (${where})`);
    this.name = 'ZstdError'; this.code = code; this.zstdName = ZSTD_ERRORS[code];
  }
}
// A size_t result r from wasm32 is an error iff r > (size_t)-120, i.e. as a signed i32: -120 < r < 0.
const errCode = (r) => (r < 0 && r > -120 ? -r : 0);

// ------------------------------------------------------------------ streaming decoder (zstddec-stream.wasm)
let streamLib;
function loadStreamLib(baseUrl) {
  return (streamLib ??= (async () => {
    let heap;
    let exp;
    const imports = { env: { emscripten_notify_memory_growth: () => { heap = new Uint8Array(exp.memory.buffer); } } };
    const url = new URL('zstddec-stream.wasm', baseUrl || HERE);
    let inst;
    try {
      ({ instance: inst } = await WebAssembly.instantiateStreaming(fetch(url), imports));
    } catch (e) {   // e.g. a server that sends .wasm with another media type
      const bytes = await (await fetch(url)).arrayBuffer();
      ({ instance: inst } = await WebAssembly.instantiate(bytes, imports));
    }
    exp = inst.exports;
    heap = new Uint8Array(exp.memory.buffer);
    return { exp, heap: () => heap };
  })().catch((e) => { streamLib = undefined; throw e; }));
}

// ------------------------------------------------------------------ dictionary decoder (@bokuweb/zstd-wasm)
let dictLib;
function loadDictLib(baseUrl) {
  return (dictLib ??= (async () => {
    const base = baseUrl || HERE;
    const { Module } = await import(new URL('zstd-wasm/zstd.js', base).href);
    const ready = new Promise((resolve) => { Module.onRuntimeInitialized = resolve; });
    const wasmUrl = new URL('zstd-wasm/zstd.wasm', base);
    Module.init(wasmUrl.href);
    await ready;
    return Module;
  })().catch((e) => { dictLib = undefined; throw e; }));
}

/** Dictionary id stored in a zstd frame header (0 = none / not recorded), or null if `bytes` is not a zstd frame. */
export function frameDictionaryId(bytes) {
  if (bytes.length < 6 || bytes[0] !== 0x28 || bytes[1] !== 0xb5 || bytes[2] !== 0x2f || bytes[3] !== 0xfd) return null;
  const fhd = bytes[4], singleSegment = (fhd >> 5) & 1, didBytes = [0, 1, 2, 4][fhd & 3];
  let p = 5 + (singleSegment ? 0 : 1), id = 0;
  for (let i = 0; i < didBytes; i++) id += bytes[p + i] * 2 ** (8 * i);
  return id;
}
/** Id of a zstd dictionary (0 for a raw-content dictionary). */
export function dictionaryId(dict) {
  if (dict.length >= 8 && dict[0] === 0x37 && dict[1] === 0xa4 && dict[2] === 0x30 && dict[3] === 0xec)
    return (dict[4] | (dict[5] << 8) | (dict[6] << 16) | (dict[7] << 24)) >>> 0;
  return 0;
}

async function* chunksOf(source, signal) {
  if (source && typeof source.getReader === 'function') {           // ReadableStream (fetch body)
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
        const r = await reader.read();
        if (r.done) { done = true; return; }
        if (r.value?.length) yield r.value;
      }
    } finally {
      if (!done) reader.cancel().catch(() => {});                      // consumer stopped early: stop the download
      reader.releaseLock?.();
    }
  } else {                                                           // (async) iterable of Uint8Array
    for await (const c of source) { if (signal?.aborted) throw signal.reason; if (c?.length) yield c; }
  }
}

/**
 * Decompress a zstd stream (one or more frames, skippable frames allowed).
 * Yields Uint8Array chunks the caller owns (≤ 128 KiB each without a dictionary).
 */
export async function* decompressStream(readableStream, options = {}) {
  if (options.dictionary) { yield* decompressWithDictionary(readableStream, options); return; }
  const { exp, heap } = await loadStreamLib(options.baseUrl);
  const inCap = exp.ZSTD_DStreamInSize() >>> 0, outCap = exp.ZSTD_DStreamOutSize() >>> 0;
  const dctx = exp.ZSTD_createDCtx();
  // one allocation: [ZSTD_inBuffer 12 B][ZSTD_outBuffer 12 B][input inCap][output outCap]
  const base = exp.malloc(24 + inCap + outCap);
  if (!dctx || !base) throw new ZstdError(64, 'init');
  const inB = base, outB = base + 12, inData = base + 24, outData = inData + inCap;
  const u32 = () => new Uint32Array(heap().buffer);                   // heap may grow: take a fresh view
  let lastRet = 0, sawInput = false;
  try {
    for await (const chunk of chunksOf(readableStream, options.signal)) {
      sawInput = true;
      for (let off = 0; off < chunk.length;) {
        const n = Math.min(inCap, chunk.length - off);
        heap().set(chunk.subarray(off, off + n), inData);
        off += n;
        let w = u32(); w[inB >> 2] = inData; w[(inB >> 2) + 1] = n; w[(inB >> 2) + 2] = 0;
        for (;;) {
          w = u32(); w[outB >> 2] = outData; w[(outB >> 2) + 1] = outCap; w[(outB >> 2) + 2] = 0;
          const r = exp.ZSTD_decompressStream(dctx, outB, inB);
          const code = errCode(r);
          if (code) throw new ZstdError(code, 'ZSTD_decompressStream');
          lastRet = r;
          w = u32();
          const produced = w[(outB >> 2) + 2], inPos = w[(inB >> 2) + 2];
          if (produced) yield heap().slice(outData, outData + produced);
          // go on while input is left, or while the output buffer came back full (more may be buffered inside)
          if (inPos >= n && produced < outCap) break;
        }
      }
    }
    if (!sawInput) throw new ZstdError(72, 'empty input');
    if (lastRet !== 0) throw new ZstdError(72, 'truncated input: frame not complete');
  } finally {
    exp.ZSTD_freeDCtx(dctx);
    exp.free(base);
  }
}

async function* decompressWithDictionary(readableStream, options) {
  const { dictionary, maxFrameBytes = 256 << 20, maxOutputBytes = 1 << 30 } = options;
  // 1. collect the (small, per-session) frame
  const parts = []; let total = 0;
  for await (const c of chunksOf(readableStream, options.signal)) {
    total += c.length;
    if (total > maxFrameBytes) throw new Error(`zstd: dictionary frame larger than maxFrameBytes (${maxFrameBytes})`);
    parts.push(c);
  }
  const src = parts.length === 1 ? parts[0] : new Uint8Array(total);
  if (parts.length > 1) { let o = 0; for (const p of parts) { src.set(p, o); o += p.length; } }
  const fid = frameDictionaryId(src), did = dictionaryId(dictionary);
  if (fid === null) throw new ZstdError(10, 'not a zstd frame');
  if (fid && did && fid !== did) throw new ZstdError(32, `frame needs dictionary ${fid}, got ${did}`);
  // 2. one-shot ZSTD_decompress_usingDict
  const M = await loadDictLib(options.baseUrl);
  const pSrc = M._malloc(src.length), pDict = M._malloc(dictionary.length), dctx = M._ZSTD_createDCtx();
  let pDst = 0;
  try {
    M.HEAPU8.set(src, pSrc); M.HEAPU8.set(dictionary, pDict);
    const fcs = M._ZSTD_getFrameContentSize(pSrc, src.length);      // -1 unknown, -2 error (emscripten i64->number)
    let cap = fcs >= 0 ? fcs : Math.min(maxOutputBytes, Math.max(1 << 20, src.length * 8));
    for (;;) {
      pDst = M._malloc(Math.max(cap, 1));
      if (!pDst) throw new ZstdError(64, 'malloc');
      const r = M._ZSTD_decompress_usingDict(dctx, pDst, cap, pSrc, src.length, pDict, dictionary.length);
      const code = errCode(r);
      if (code === 70 && fcs < 0 && cap < maxOutputBytes) { M._free(pDst); pDst = 0; cap = Math.min(maxOutputBytes, cap * 4); continue; }
      if (code) throw new ZstdError(code, 'ZSTD_decompress_usingDict');
      const out = M.HEAPU8.slice(pDst, pDst + r);
      for (let o = 0; o < out.length; o += 1 << 20) yield out.subarray(o, Math.min(out.length, o + (1 << 20)));
      return;
    }
  } finally {
    M._free(pSrc); M._free(pDict); if (pDst) M._free(pDst); M._ZSTD_freeDCtx(dctx);
  }
}
