// The JSON API, same origin: the HttpOnly cookie set by GET /?token=… authenticates every call, so
// this page never sees (or stores) the token itself.

const TIMEOUT_MS = 20000;
let onUnauthorized = () => {};

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  /** status: HTTP status (0 when the server could not be reached); field: the input it names, if any. */
  constructor(status, message, field = null) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Turns the server's error body into (message, field). ``detail`` is a string naming the field, or
 *  (FastAPI's validation errors) a list of {loc, msg}. */
export function readDetail(data, status) {
  const detail = data && data.detail;
  if (typeof detail === 'string' && detail) return { message: detail, field: null, loc: null };
  if (Array.isArray(detail) && detail.length) {
    const first = detail[0] || {};
    const loc = Array.isArray(first.loc) ? first.loc.filter((part) => part !== 'body') : [];
    const where = loc.join('.');
    const message = `${where ? `${where}: ` : ''}${first.msg || 'invalid value'}`;
    return { message, field: null, loc };
  }
  return { message: `The server answered ${status}.`, field: null, loc: null };
}

export async function api(method, path, body, { timeoutMs = TIMEOUT_MS } = {}) {
  const options = {
    method,
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    const why = err && err.name === 'TimeoutError' ? 'did not answer in time' : 'cannot be reached';
    throw new ApiError(0, `The homebody server ${why} (is "homebody serve" still running?).`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    const { message, loc } = readDetail(data, response.status);
    const error = new ApiError(response.status, message);
    error.loc = loc;
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}, options) => api('POST', path, body, options);
export const del = (path) => api('DELETE', path);
