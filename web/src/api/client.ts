// The one way the console talks to Roster's JSON API (/api/v1).
//
// - Cookies ride along (same origin); every state-changing request carries
//   `X-Requested-With: roster`, the server's CSRF guard.
// - A non-2xx answer becomes an ApiError built from the RFC 9457 problem:
//   its message is the problem's `detail`, ready to show to a person.
// - 401 and 403 password_change_required are also announced to the session
//   (see onSessionProblem) so that any page can send the user to sign in.

import { formatWait } from '../lib/format';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];

  constructor(status: number, code: string, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

/** `organization_missing`: a request under /orgs/{org} answered 404, which is
 *  also what a member removed from that organization meets next;
 *  `organization_forbidden`: one answered 403, which is what an admin whose
 *  rights were taken away meets next; `mfa_setup_required`: a 403 of an
 *  organization that requires two-factor sign-in of him. */
type SessionProblem = 'unauthenticated' | 'password_change_required' | 'organization_missing'
  | 'organization_forbidden' | 'mfa_setup_required';
/** `orgId`: the organization of the request, for `mfa_setup_required`. */
type SessionListener = (problem: SessionProblem, orgId?: string) => void;
let sessionListener: SessionListener | null = null;

/** Registers the one listener told when the session ends or must set a password. */
export function onSessionProblem(listener: SessionListener | null) {
  sessionListener = listener;
}

const BASE = '/api/v1';

export type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The address of an API resource, for a plain link (a download the browser
 *  makes itself, with the session cookie). */
export function apiUrl(path: string, query?: Query): string {
  return BASE + withQuery(path, query);
}

function fallbackDetail(status: number): string {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found. It may have been removed.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'The server could not complete the request. Please try again.';
  return `The request failed (HTTP ${status}).`;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const problem = (body ?? {}) as { code?: string; detail?: string; title?: string; errors?: FieldError[] };
  const detail = problem.detail || problem.title || fallbackDetail(response.status);
  let message = detail;
  if (response.status === 429) {
    const retry = response.headers.get('Retry-After');
    if (retry && /^\d+$/.test(retry)) {
      // One sentence: the server's "try again later" becomes when.
      const when = `try again in ${formatWait(Number(retry))}`;
      message = /try again later/i.test(detail)
        ? detail.replace(/try again later/i, when)
        : `${detail} ${when[0].toUpperCase()}${when.slice(1)}.`;
    }
  }
  return new ApiError(response.status, problem.code ?? `http_${response.status}`, message,
                      Array.isArray(problem.errors) ? problem.errors : []);
}

// GET answers requested ahead of need (see prefetch), each used at most once
// and only while fresh.
interface Early {
  at: number;
  response: Promise<Response>;
  /** The parsed body of a 200 answer, once it has arrived (see peek). */
  body?: unknown;
}
const prefetched = new Map<string, Early>();
const PREFETCH_FRESH_MS = 5000;
const isFresh = (early: Early) => performance.now() - early.at < PREFETCH_FRESH_MS;

function send(method: string, url: string, headers: Record<string, string>, body: string | undefined,
              signal?: AbortSignal): Promise<Response> {
  // A change (sign-in, password, role...) may change what a GET answers.
  if (method !== 'GET') prefetched.clear();
  if (method === 'GET') {
    const early = prefetched.get(url);
    prefetched.delete(url);
    if (early && isFresh(early)) return early.response;
  }
  return fetch(url, { method, headers, credentials: 'same-origin', body, signal });
}

/** Starts a GET now so that the page which needs it finds it under way.
 *  Settles (never rejects) once the answer has arrived. */
function prefetch(path: string, query?: Query): Promise<void> {
  const url = BASE + withQuery(path, query);
  const response = fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const early: Early = { at: performance.now(), response };
  prefetched.set(url, early);
  return response
    .then(async (answer) => {
      if (answer.status === 200) early.body = await answer.clone().json();
    })
    .catch(() => undefined);
}

/** The body of a prefetched 200 answer that has already arrived, taken at
 *  most once; undefined when there is none (then ask the usual way). Lets a
 *  page render its data on its first render instead of after an effect. */
function peek<T>(path: string, query?: Query): T | undefined {
  const url = BASE + withQuery(path, query);
  const early = prefetched.get(url);
  if (!early || early.body === undefined || !isFresh(early)) return undefined;
  prefetched.delete(url);
  return early.body as T;
}

// 503 `busy` means the server did nothing: every password-hashing slot was
// taken (a sign-in or password change). Such a request is sent again after
// its Retry-After, a few times, before the person is told.
const BUSY_RETRIES = 3;

async function isBusy(response: Response): Promise<boolean> {
  if (response.status !== 503) return false;
  try {
    return ((await response.clone().json()) as { code?: string }).code === 'busy';
  } catch {
    return false;
  }
}

async function sendRetryingWhileBusy(method: string, url: string, headers: Record<string, string>,
                                     body: string | undefined, signal?: AbortSignal): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await send(method, url, headers, body, signal);
    if (attempt >= BUSY_RETRIES || !(await isBusy(response))) return response;
    const seconds = Number(response.headers.get('Retry-After')) || 1;
    await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 2) * 1000));
  }
}

export async function request<T>(method: string, path: string,
                                 options: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Requested-With'] = 'roster';
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await sendRetryingWhileBusy(method, BASE + withQuery(path, options.query), headers,
                                           options.body === undefined ? undefined : JSON.stringify(options.body),
                                           options.signal);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Cannot reach the Roster server. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    const isLogin = path === '/auth/login' || path === '/auth/mfa';
    if (!isLogin && error.status === 401) sessionListener?.('unauthenticated');
    if (error.code === 'password_change_required') sessionListener?.('password_change_required');
    if (error.status === 404 && path.startsWith('/orgs/')) sessionListener?.('organization_missing');
    if (error.status === 403 && error.code === 'forbidden' && path.startsWith('/orgs/')) sessionListener?.('organization_forbidden');
    // 403: an organization requires it of him. (409 is an admin's own refusal
    // to require it before he has it; the Settings page explains that one.)
    if (error.status === 403 && error.code === 'mfa_setup_required') {
      sessionListener?.('mfa_setup_required', /^\/orgs\/([^/?]+)/.exec(path)?.[1]);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
  prefetch,
  peek,
};

/** A readable sentence for anything thrown by the API layer or a page. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}
