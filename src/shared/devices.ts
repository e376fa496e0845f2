// Where a model runs: the onnxruntime execution providers, and `auto` (the first that
// works, [Note: execution providers] in src/core/models/execution-providers.ts). Plain data
// here so the CLI's usage and checks, the job specs and the core read one list.

export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu' | 'dml' | 'coreml';
export type Device = 'auto' | ExecutionProvider;
export const DEVICES: readonly Device[] = ['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml'];
