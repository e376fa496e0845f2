// Reading and writing the text files users import and export, with errors that name
// the file. Reads go through the one decoder (text-encoding.ts), so every reader takes
// the same encodings and refuses the same ones. Writes go to a temporary file first, so a failed export never leaves a
// half-written CSV in place of a good one.

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import { decodeTextFile } from './text-encoding';

export async function readTextFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SentiscopeError('file-missing', `${path} does not exist: check the path.`, path);
    if (code === 'EISDIR') throw new SentiscopeError('file-unreadable', `${path} is a folder: give a file.`, path);
    throw new SentiscopeError('file-unreadable', `${path} cannot be read (${code}): check its permissions.`, path);
  }
  return decodeTextFile(bytes, path).text;
}

export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new SentiscopeError(
      'file-unreadable',
      `${path} cannot be written (${code}): check that its folder exists and is writable.`,
      path,
    );
  }
}
