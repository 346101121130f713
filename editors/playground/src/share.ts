// The program in the page's address: the fragment holds the example, the edited text, the
// example's other files that were changed and the parameter values, deflated and in base64url,
// so a link is the whole state (nothing is stored on a server). A fragment that is only an
// example's id (`#06-static-site`) opens that example unchanged.

export interface Shared {
  /** The example's id. */
  example: string;
  /** The edited file's text; absent when it is the example's. */
  text?: string;
  /** The other files that differ from the example's, by path. */
  files?: Record<string, string>;
  /** The build's parameter values, by name. */
  params?: Record<string, string>;
}

const PREFIX = 's=';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The fragment (without `#`) that restores `state`. */
export async function encode(state: Shared): Promise<string> {
  if (state.text === undefined && !state.files && !state.params) {
    return encodeURIComponent(state.example);
  }
  const json = new TextEncoder().encode(JSON.stringify(state));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** A fragment that holds no program that can be read: cut short when copied, say. */
export class Damaged extends Error {}

/** The state a fragment holds, or null when it holds none; throws `Damaged` when it cannot be
 *  read. */
export async function decode(fragment: string): Promise<Shared | null> {
  const text = fragment.replace(/^#/, '');
  if (!text) {
    return null;
  }
  let state: unknown;
  try {
    if (!text.startsWith(PREFIX)) {
      return { example: decodeURIComponent(text) };
    }
    const json = await pipe(fromBase64Url(text.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    state = JSON.parse(new TextDecoder().decode(json));
  } catch (error) {
    throw new Damaged(error instanceof Error ? error.message : String(error));
  }
  if (typeof (state as Shared | null)?.example !== 'string') {
    throw new Damaged('it names no example');
  }
  return state as Shared;
}
