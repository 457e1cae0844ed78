/**
 * Reading a response body for src/net/http.ts: undo Content-Encoding with node:zlib streams
 * and stop as soon as the body grows past the cap. undici's own `maxResponseSize` counts the
 * compressed bytes (a 20 KB gzip body can decode to 20 MB), so the cap is applied here, to
 * what we would actually hold in memory. undici's decompress interceptor does not fit: it is
 * experimental (a warning on stderr), passes codings it does not know through undecoded, and
 * leaves the compressed stream uncapped.
 */
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** The body passed the size cap; reading stopped there. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('response body too large');
  }
}

/** The server used a Content-Encoding we did not ask for and cannot decode. */
export class UnsupportedEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`unsupported content-encoding ${encoding}`);
  }
}

// Codings we can undo; `identity` means none. We only ask for gzip and br, but accept deflate.
const DECODERS: Record<string, (() => Transform) | null> = {
  identity: null,
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  deflate: () => zlib.createInflate(),
};

/** Decoders for a Content-Encoding header, whose codings are listed in the order they were applied. */
function decodersFor(contentEncoding: string | undefined): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  const unknown = codings.find((c) => !Object.hasOwn(DECODERS, c));
  if (unknown !== undefined) throw new UnsupportedEncodingError(unknown);
  return codings.reverse().flatMap((c) => {
    const make = DECODERS[c];
    return make ? [make()] : [];
  });
}

/** A pass-through that fails once more than `max` bytes went through it. */
function limit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > max ? new BodyTooLargeError() : null, chunk);
    },
  });
}

/**
 * Read `body` to the end, decoding `contentEncoding`, and fail with BodyTooLargeError as soon
 * as more than `maxBytes` decoded bytes arrive (the upstream socket is destroyed then, so a
 * gzip bomb costs at most about `maxBytes` of memory). The compressed stream is held to the
 * same cap: it is never legitimately larger, and an endless stream of empty gzip members would
 * otherwise slip under a decoded-size limit.
 */
export async function readDecodedBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  let decoders: Transform[];
  try {
    decoders = decodersFor(contentEncoding);
  } catch (err) {
    // Nobody reads this body now; drop the connection and swallow undici's "aborted" event.
    body.on('error', () => undefined).destroy();
    throw err;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new BodyTooLargeError());
      chunks.push(chunk);
      done();
    },
  });
  const stages = decoders.length > 0 ? [limit(maxBytes), ...decoders] : [];
  await pipeline([body, ...stages, collect]);
  return Buffer.concat(chunks, size);
}
