// Where a plug-in encoder runs. Unlike a fusion pack's session (openSession), an encoder
// asked for on a GPU that cannot run it falls back to cpu, keeping the reason: a plug-in is
// optional extra quality, and cpu always gives the same numbers within float rounding
// ([Note: execution providers] in ../models/execution-providers).

import {
  autoProviderOrder,
  DEVICES,
  providerUnavailable,
  type Device,
  type ExecutionProvider,
  type ProviderFallback,
} from '../models/execution-providers';
import { SentiscopeError } from '../../shared/errors';

export interface EncoderOpenOptions {
  /** Default 'cpu'. A GPU device that fails falls back to cpu, with the reason kept. */
  device?: Device;
  /** onnxruntime intraOpNumThreads; default DEFAULT_THREADS. */
  threads?: number;
}

export interface Placed<T> {
  value: T;
  provider: ExecutionProvider;
  /** Providers tried before `provider`, with why each was passed over. */
  fallbacks: ProviderFallback[];
}

// A provider that failed once (no adapter, library will not load) fails for every encoder;
// probing a GPU adapter again costs a second each time.
const failedProviders = new Map<ExecutionProvider, string>();

/** "no GPU adapter (No supported adapters)" rather than onnxruntime's source location. */
function shortReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const adapter = /Failed to get a WebGPU adapter:?\s*([^\n]*)/.exec(text);
  if (adapter) return `no GPU adapter (${adapter[1].trim() || 'none found'})`;
  return text
    .split('\n')[0]
    .replace(/^\/onnxruntime_src\/\S+\s+/, '')
    .trim();
}

/**
 * Run `load` on the requested device, falling back through cpu. The cpu attempt's own
 * error is not caught: a model cpu cannot load is the model's fault.
 */
export async function placeOnDevice<T>(device: Device, load: (provider: ExecutionProvider) => Promise<T>): Promise<Placed<T>> {
  if (!DEVICES.includes(device)) {
    throw new SentiscopeError('bad-request', `Unknown device "${device}": use one of ${DEVICES.join(', ')}.`, null);
  }
  const order: ExecutionProvider[] = device === 'auto' ? autoProviderOrder() : device === 'cpu' ? ['cpu'] : [device, 'cpu'];
  const fallbacks: ProviderFallback[] = [];
  for (const provider of order) {
    if (provider === 'cpu') return { value: await load('cpu'), provider, fallbacks };
    const unavailable = failedProviders.get(provider) ?? providerUnavailable(provider);
    if (unavailable) {
      fallbacks.push({ provider, reason: unavailable });
      continue;
    }
    try {
      return { value: await load(provider), provider, fallbacks };
    } catch (err) {
      const reason = shortReason(err);
      failedProviders.set(provider, reason);
      fallbacks.push({ provider, reason });
    }
  }
  throw new SentiscopeError('internal', `No execution provider was tried for device ${device}.`, null);
}
