// Errors a user can hit. They carry what happened, to which file, and what to do,
// and cross the IPC / HTTP boundary as plain JSON ({ code, message, file, stack }).
//
// The code says whose fault it is, so the page, the CLI and a bug report can tell them apart:
//   bad-request  a caller asked for something impossible (a wrong option, id or order of steps)
//   bad-file     a user's file is wrong (its content, encoding, or what it lacks)
//   bad-model    a model folder or pack is wrong (manifest, ONNX files, config, index)
//   internal     a bug in Sentiscope: the run log has its stack
// The media codes (not-media, media-corrupt, no-audio, ...) and bad-csv are kinds of bad-file
// that callers test for by name.

export type ErrorCode =
  | 'file-missing'
  | 'file-unreadable'
  | 'not-media'
  | 'media-corrupt'
  | 'no-audio'
  | 'no-video'
  | 'unsupported-codec'
  | 'tool-missing'
  | 'bad-request'
  | 'bad-file'
  | 'bad-model'
  | 'bad-csv'
  | 'not-found'
  | 'no-project'
  | 'internal';

export class SentiscopeError extends Error {
  readonly code: ErrorCode;
  readonly file: string | null;

  constructor(code: ErrorCode, message: string, file: string | null = null) {
    super(message);
    this.name = 'SentiscopeError';
    this.code = code;
    this.file = file;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, file: this.file, ...(this.stack ? { stack: this.stack } : {}) };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  file: string | null;
  /** Where it was thrown, for the run log and bug reports; never shown to the user. */
  stack?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof SentiscopeError) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error ? err.stack : undefined;
  return { code: 'internal', message, file: null, ...(stack ? { stack } : {}) };
}

/** The error again on the calling side; its stack is the one from where it was thrown. */
export function deserializeError(e: SerializedError): SentiscopeError {
  const error = new SentiscopeError(e.code, e.message, e.file);
  if (e.stack) error.stack = e.stack;
  return error;
}
