// Loading a WebAssembly kernel that a package carries inside its JavaScript (the module's bytes as a
// hex string, generated at build time from a .wat file): it works in Node and in the browser
// without a fetch. The kernels are optional speed-ups: where this runtime cannot run one, the caller
// takes its TypeScript loop, which stays the reference.

// The part of the WebAssembly JS API used here (the lib settings of this repository declare none of it;
// Node ≥ 20 and every current browser have it, and a runtime without it gets `undefined`).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  CompileError: new () => Error;
  LinkError: new () => Error;
}
declare const WebAssembly: WasmApi | undefined;

/** A WebAssembly instance and the memory it was given. */
export interface WasmInstance {
  /** The instance's memory (`env.memory`): a fixed size, never grown, so views into it stay valid. */
  readonly buffer: ArrayBuffer;
  /** The module's exports (functions called with byte offsets into {@link WasmInstance.buffer}). */
  readonly exports: Record<string, unknown>;
}

const PAGE = 65536;
/** 65,535 pages: the most a 32-bit memory can address with every offset below 2^32. */
export const WASM_MAX_BYTES = 65535 * PAGE;

/** The value of a hex digit's character code (0–9, a–f, A–F); 0 for any other character. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : 0;
}

/**
 * Compiles the module whose bytes `hex` spells and instantiates it with a fresh memory of at least
 * `bytes` bytes imported as `env.memory`, and the functions of `imports` beside it in `env`.
 *
 * Returns `undefined` where this runtime cannot run it: no WebAssembly, a module it does not accept
 * (e.g. no SIMD), memory refused, or `bytes` beyond a 32-bit memory ({@link WASM_MAX_BYTES}) — the
 * caller then takes its plain loop. Compiles afresh on every call (no module-level cache).
 */
export function wasmInstance(
  hex: string,
  bytes: number,
  imports: Readonly<Record<string, unknown>> = {},
): WasmInstance | undefined {
  if (typeof WebAssembly !== "object" || WebAssembly === null) return undefined;
  if (!(bytes >= 0 && bytes <= WASM_MAX_BYTES)) return undefined;
  const wasm = WebAssembly;
  // hex digits by their character codes (a kernel is made per search or per source: `parseInt` of
  // two-character slices took ≈ 80–200 µs for a 4.5 KB module, this ≈ 5 µs); a bad digit makes an
  // invalid module, which `validate` refuses below
  const code = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < code.length; i++)
    code[i] = (hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1));
  try {
    if (!wasm.validate(code)) return undefined; // e.g. a runtime without SIMD
    const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    const instance = new wasm.Instance(new wasm.Module(code), { env: { ...imports, memory } });
    return { buffer: memory.buffer, exports: instance.exports };
  } catch (e) {
    if (e instanceof RangeError || e instanceof wasm.CompileError || e instanceof wasm.LinkError) {
      return undefined; // memory refused (RangeError), or a runtime that cannot take the module
    }
    throw e;
  }
}
