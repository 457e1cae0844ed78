/** The version from package.json, read once, and the User-Agent built from it. */
import { readFileSync } from 'node:fs';

/** This build's version (package.json). */
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** The User-Agent of every request: the tool and its version, so a server operator can tell who is asking. */
export function userAgent(): string {
  return `papers/${VERSION} (command-line feed of Hugging Face Daily Papers; node/${process.versions.node})`;
}
