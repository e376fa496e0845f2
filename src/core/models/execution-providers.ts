// Choosing where a model runs (onnxruntime-node execution providers) and caching sessions.
//
// [Note: execution providers]
// `auto` tries, in order: cuda (only when its provider library is installed: the npm
// package ships it only after `npm install onnxruntime-node --onnxruntime-node-install=cuda12`),
// webgpu (bundled on Windows/Linux/macOS, but needs a GPU adapter: Vulkan, D3D12 or Metal),
// dml (Windows), coreml (macOS), then cpu. Each provider is proven by creating the
// session on it; a provider that fails is recorded with its reason ("webgpu: no GPU
// adapter ...") and the next one tried, so the CLI and the app can say why they run on cpu.
// A device asked for by name that fails is an error naming it, the reason and what to do.
// Outputs on a GPU provider differ from cpu by float rounding only; GPU_OUTPUT_TOLERANCE is
// the agreement expected of score and probabilities (not measured here: no GPU on the
// build machines).
//
// Threads: intraOpNumThreads defaults to 1. The fusion models are small (a few thousand
// multiply-adds per segment), where a thread pool costs more than it saves, and batch jobs
// run feature extraction (ffmpeg, face nets) beside them; pass `threads` to change it.

import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEVICES, type Device, type ExecutionProvider } from '../../shared/devices';
import { SentiscopeError } from '../../shared/errors';

export { DEVICES, type Device, type ExecutionProvider };

/** Largest |GPU - CPU| difference expected in score and probabilities (see the note). */
export const GPU_OUTPUT_TOLERANCE = 1e-3;
export const DEFAULT_THREADS = 1;

export interface ProviderFallback {
  provider: ExecutionProvider;
  reason: string;
}

export interface SessionOptions {
  device?: Device;
  /** intraOpNumThreads; default DEFAULT_THREADS. */
  threads?: number;
}

export interface ProvidedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Providers tried before `provider`, with why each was passed over. */
  fallbacks: ProviderFallback[];
}

/** Folder holding onnxruntime_binding.node and the provider libraries. */
function ortBinaryDir(): string | null {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = join(root, 'bin');
    const napi = readdirSync(bin)
      .filter((d) => d.startsWith('napi-v'))
      .sort();
    for (const version of napi.reverse()) {
      const dir = join(bin, version, process.platform, process.arch);
      if (existsSync(dir)) return dir;
    }
  } catch {
    // Fall through: the provider check below then says the package is incomplete.
  }
  return null;
}

const CUDA_LIBRARY: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'libonnxruntime_providers_cuda.so',
  win32: 'onnxruntime_providers_cuda.dll',
};

const HOW_TO: Record<ExecutionProvider, string> = {
  cpu: 'reinstall onnxruntime-node',
  cuda: 'install the CUDA provider with `npm install onnxruntime-node --onnxruntime-node-install=cuda12` (needs an NVIDIA GPU, CUDA 12 and cuDNN 9), or use --device cpu',
  webgpu: 'needs a GPU with a Vulkan (Linux), D3D12 (Windows) or Metal (macOS) driver; use --device cpu',
  dml: 'DirectML runs on Windows only; use --device cpu',
  coreml: 'CoreML runs on macOS only; use --device cpu',
};

/** Why `provider` cannot be tried at all here, or null when a session may be attempted. */
export function providerUnavailable(provider: ExecutionProvider): string | null {
  const backends = ort.listSupportedBackends();
  const entry = backends.find((b) => b.name === provider);
  if (!entry) return `not in this onnxruntime-node build for ${process.platform}/${process.arch}`;
  if (provider === 'cuda') {
    const library = CUDA_LIBRARY[process.platform];
    const dir = ortBinaryDir();
    if (!library || !dir || !existsSync(join(dir, library))) {
      return `provider library not installed${library && dir ? ` (${join(dir, library)})` : ''}`;
    }
  }
  return null;
}

/** `auto`'s order on this platform ([Note: execution providers]). */
export function autoProviderOrder(platform: NodeJS.Platform = process.platform): ExecutionProvider[] {
  const order: ExecutionProvider[] = ['cuda', 'webgpu'];
  if (platform === 'win32') order.push('dml');
  if (platform === 'darwin') order.push('coreml');
  order.push('cpu');
  return order;
}

// A provider that failed once (no adapter, library will not load) fails for every model.
const failedProviders = new Map<ExecutionProvider, string>();
const sessions = new Map<string, Promise<ort.InferenceSession>>();

function shortReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // onnxruntime prefixes source locations; the part after the last "was false." or ": " says it.
  const adapter = /Failed to get a WebGPU adapter:?\s*([^\n]*)/.exec(text);
  if (adapter) return `no GPU adapter (${adapter[1].trim() || 'none found'})`;
  return text
    .split('\n')[0]
    .replace(/^\/onnxruntime_src\/\S+\s+/, '')
    .trim();
}

async function createSession(file: string, provider: ExecutionProvider, threads: number): Promise<ort.InferenceSession> {
  const key = `${file}\u0000${provider}\u0000${threads}`;
  let pending = sessions.get(key);
  if (!pending) {
    pending = ort.InferenceSession.create(file, {
      executionProviders: [provider],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    sessions.set(key, pending);
    pending.catch(() => sessions.delete(key));
  }
  return pending;
}

async function tryProvider(file: string, provider: ExecutionProvider, threads: number): Promise<ort.InferenceSession | string> {
  const known = failedProviders.get(provider) ?? providerUnavailable(provider);
  if (known) return known;
  try {
    return await createSession(file, provider, threads);
  } catch (err) {
    const reason = shortReason(err);
    // A model the cpu provider cannot load is the model's fault, not the provider's.
    if (provider !== 'cpu') failedProviders.set(provider, reason);
    return reason;
  }
}

/** onnxruntime intra-op threads: DEFAULT_THREADS when unset, else a whole number >= 1. */
export function checkedThreads(threads: number | undefined): number {
  const value = threads ?? DEFAULT_THREADS;
  if (!Number.isInteger(value) || value < 1) {
    throw new SentiscopeError('bad-request', `threads must be a whole number >= 1 (got ${value}).`, null);
  }
  return value;
}

/**
 * A session for `file` on the requested device (default `auto`), cached per (file,
 * provider, threads). Throws SentiscopeError when a named device cannot run it.
 */
export async function openSession(file: string, options: SessionOptions = {}): Promise<ProvidedSession> {
  const device = options.device ?? 'auto';
  const threads = checkedThreads(options.threads);
  if (!DEVICES.includes(device)) {
    throw new SentiscopeError('bad-request', `Unknown device "${device}": use one of ${DEVICES.join(', ')}.`, null);
  }
  const order = device === 'auto' ? autoProviderOrder() : [device];
  const fallbacks: ProviderFallback[] = [];
  for (const provider of order) {
    const result = await tryProvider(file, provider, threads);
    if (typeof result !== 'string') return { session: result, provider, fallbacks };
    if (device !== 'auto' || provider === 'cpu') {
      throw new SentiscopeError(
        provider === 'cpu' ? 'bad-model' : 'tool-missing',
        `Cannot run ${file} on ${provider}: ${result}. ${provider === 'cpu' ? 'The model file may be damaged: reinstall the model pack.' : `To use ${provider}: ${HOW_TO[provider]}.`}`,
        file,
      );
    }
    fallbacks.push({ provider, reason: result });
  }
  throw new SentiscopeError('internal', `No execution provider could run ${file}.`, file);
}

/** "cpu (cuda: provider library not installed; webgpu: no GPU adapter (...))". */
export function describeProvider(provider: ExecutionProvider, fallbacks: readonly ProviderFallback[]): string {
  if (!fallbacks.length) return provider;
  return `${provider} (${fallbacks.map((f) => `${f.provider} unavailable: ${f.reason}`).join('; ')})`;
}

/** Forget cached sessions (tests; a pack reinstalled while the app runs). */
export async function releaseSessions(): Promise<void> {
  const open = [...sessions.values()];
  sessions.clear();
  for (const pending of open) {
    try {
      await (await pending).release();
    } catch {
      // Already failed or released.
    }
  }
}
