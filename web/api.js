// The REST API (src/server/routes.cpp). Errors arrive as {"error": {"code", "message"}}.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function getJSON(path, params) {
  let url = path;
  if (params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'network', `The server did not answer (${e.message}). Is mcdewey serve still running?`);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = body && body.error;
    throw new ApiError(res.status, (err && err.code) || `http_${res.status}`,
      (err && err.message) || `The server answered HTTP ${res.status}.`);
  }
  if (body === null) throw new ApiError(res.status, 'bad_response', 'The server sent a response that is not JSON.');
  return body;
}

// The library tree is small and used by the filters, the library page and empty states.
let libraryPromise = null;
export function library(refresh = false) {
  if (refresh || !libraryPromise) {
    libraryPromise = getJSON('/api/library').catch((e) => {
      libraryPromise = null;
      throw e;
    });
  }
  return libraryPromise;
}

// /view/<source>?chunk=<chunk_id>: each path segment of the source is encoded on its own.
export function viewHref(source, chunkId) {
  const path = '/view/' + String(source).split('/').map(encodeURIComponent).join('/');
  return chunkId ? `${path}?chunk=${encodeURIComponent(chunkId)}` : path;
}

export function docHref(product, version, doc) {
  return '/docs/' + [product, version, doc].map(encodeURIComponent).join('/');
}

export function ordinalOf(chunkId) {
  const m = /::(\d+)$/.exec(chunkId || '');
  return m ? Number(m[1]) : -1;
}
