/**
 * The user_version and table names of an SQLite file, read from its bytes without SQLite:
 * the header and the pages of the schema's b-tree (sqlite_schema, rooted at page 1), walked
 * by the file format (https://www.sqlite.org/fileformat2.html).
 *
 * Why not SQLite itself: opening a WAL-mode file creates its -wal and -shm files, and a copy
 * of the file in memory must hold every page up to the highest root page the schema names
 * (SQLite refuses a schema whose root pages lie past the image) — megabytes read and copied
 * on every command, where the schema is a page or two.
 *
 * The bytes may be anything (another program's file, a torn or damaged copy): every offset
 * is checked, and what cannot be read as expected gives null ("cannot tell"), never a throw.
 */

/** The schema of a file, and the bytes it was read from (to compare two reads). */
export interface SchemaPages {
  version: number;
  /** Tables, including SQLite's own (sqlite_…), sorted. */
  tables: string[];
  bytes: Buffer;
}

/** Bytes [offset, offset + length) of the file, or null when it holds fewer. */
export type ReadAt = (offset: number, length: number) => Buffer | null;

/** The first 16 bytes of every SQLite file. */
export const SQLITE_MAGIC = 'SQLite format 3\0';

/** Past this many schema pages the walk gives up: a schema is a few pages, a loop is damage. */
const MAX_PAGES = 1000;
const LEAF_TABLE = 0x0d;
const INTERIOR_TABLE = 0x05;

/** The schema of the file `readAt` reads, or null when its bytes cannot tell. */
export function readSchemaPages(readAt: ReadAt): SchemaPages | null {
  const head = readAt(0, 100);
  if (!head || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
  const usable = pageSize - head[20]!;
  if (usable < 480) return null;
  // Names are compared as UTF-8; a UTF-16 file's schema is left to SQLite.
  const encoding = head.readUInt32BE(56);
  if (encoding !== 0 && encoding !== 1) return null;
  const version = head.readInt32BE(60);

  const tables: string[] = [];
  const pages: Buffer[] = [];
  const seen = new Set<number>();
  const todo = [1];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n < 1 || seen.has(n) || seen.size >= MAX_PAGES) return null;
    seen.add(n);
    const page = readAt((n - 1) * pageSize, pageSize);
    if (!page) return null;
    pages.push(page);
    const at = n === 1 ? 100 : 0;
    const type = page[at];
    const cells = page.readUInt16BE(at + 3);
    const pointers = at + (type === INTERIOR_TABLE ? 12 : 8);
    if ((type !== LEAF_TABLE && type !== INTERIOR_TABLE) || pointers + 2 * cells > usable) return null;
    for (let i = 0; i < cells; i++) {
      const cell = page.readUInt16BE(pointers + 2 * i);
      if (cell < pointers || cell >= usable) return null;
      if (type === INTERIOR_TABLE) {
        if (cell + 4 > usable) return null;
        todo.push(page.readUInt32BE(cell));
      } else {
        const row = schemaRow(page, cell, usable);
        if (row === null) return null;
        if (row.type === 'table') tables.push(row.name);
      }
    }
    if (type === INTERIOR_TABLE) todo.push(page.readUInt32BE(at + 8));
  }
  tables.sort();
  return { version, tables, bytes: Buffer.concat([head, ...pages]) };
}

/** A big-endian varint of 1–9 bytes at `at`, within `end`: its value and where it ends. */
function varint(buf: Buffer, at: number, end: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= end) return null;
    const b = buf[at + i]!;
    if (i === 8) return { value: value * 256 + b, next: at + 9 };
    value = value * 128 + (b & 0x7f);
    if (b < 0x80) return { value, next: at + i + 1 };
  }
  return null;
}

/**
 * The first two columns (type, name) of the sqlite_schema row in the leaf cell at `cell`,
 * or null when they are not both text within the cell's bytes on this page. Both come
 * first in the record, so a long CREATE statement running on to overflow pages does not
 * matter.
 */
function schemaRow(page: Buffer, cell: number, usable: number): { type: string; name: string } | null {
  const size = varint(page, cell, usable);
  if (!size) return null;
  const rowid = varint(page, size.next, usable);
  if (!rowid) return null;
  // What of the payload is on this page (the file format's rule for table b-tree leaves).
  const payload = size.value;
  const maxLocal = usable - 35;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const spill = minLocal + ((payload - minLocal) % (usable - 4));
  const local = payload <= maxLocal ? payload : spill <= maxLocal ? spill : minLocal;
  const start = rowid.next;
  const end = Math.min(start + local, usable);
  const headerSize = varint(page, start, end);
  if (!headerSize) return null;
  const headerEnd = start + headerSize.value;
  if (headerEnd > end) return null;
  const lengths: number[] = [];
  for (let at = headerSize.next; lengths.length < 2; ) {
    const serial = varint(page, at, headerEnd);
    // Text is an odd serial type from 13 on; anything else is not a schema row.
    if (!serial || serial.value < 13 || serial.value % 2 === 0) return null;
    lengths.push((serial.value - 13) / 2);
    at = serial.next;
  }
  const typeEnd = headerEnd + lengths[0]!;
  const nameEnd = typeEnd + lengths[1]!;
  if (nameEnd > end) return null;
  return { type: page.toString('utf8', headerEnd, typeEnd), name: page.toString('utf8', typeEnd, nameEnd) };
}
