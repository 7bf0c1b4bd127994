// termijn dashboard: requests to termijnd's API (/v1), same origin only.

import { authHeaders } from "./auth.js";

// The dashboard is Dutch: termijnd writes its text for people (problem
// details, explanations of due dates) in Dutch when asked, and says in
// Content-Language which language an answer is in (English when it has no
// Dutch catalogue), which the page marks for screen readers.
const LANGUAGE = "nl";

// The language of an answer's text, on each JSON object api() returns.
export const LANG = Symbol("Content-Language");

// An answer that is not 2xx: the status and the problem's detail, which
// termijnd writes for people (application/problem+json), and its language.
export class ApiError extends Error {
  constructor(status, detail, problem, lang) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.problem = problem || null;
    this.lang = lang || null;
  }
}

let unauthorized = () => {};

// Called when termijnd no longer knows the token (401): sign in again.
export function onUnauthorized(fn) {
  unauthorized = fn;
}

// A request to termijnd; the answer, or ApiError with termijnd's problem.
async function request(path, { method = "GET", body, accept = "application/json" } = {}) {
  const headers = { Accept: accept, "Accept-Language": LANGUAGE, ...authHeaders() };
  const init = { method, headers, cache: "no-store", credentials: "omit", redirect: "error" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch {
    throw new ApiError(0, "termijnd is niet bereikbaar. Probeer het zo opnieuw.");
  }
  if (!r.ok) {
    let data = null;
    if ((r.headers.get("Content-Type") || "").includes("json")) {
      try {
        data = await r.json();
      } catch {
        data = null;
      }
    }
    const detail = data && typeof data.detail === "string" ? data.detail
      : r.status + " " + (r.statusText || "fout");
    // Without a problem document, the detail is the status line's English.
    const err = new ApiError(r.status, detail, data,
      data ? r.headers.get("Content-Language") : r.statusText ? "en" : null);
    if (r.status === 401) unauthorized(err);
    throw err;
  }
  return r;
}

export async function api(path, options) {
  const r = await request(path, options);
  if (!(r.headers.get("Content-Type") || "").includes("json")) return null;
  let data;
  try {
    data = await r.json();
  } catch {
    return null;
  }
  if (data !== null && typeof data === "object") data[LANG] = r.headers.get("Content-Language");
  return data;
}

// An answer in another type (Accept: text/csv), as a Blob to save.
export async function apiBlob(path, accept) {
  return (await request(path, { accept })).blob();
}

// A query string of the parameters that have a value.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

// The workflows change only when termijnd reloads them: fetched once per page load.
let workflows = null;

export async function workflow(name, version) {
  if (workflows === null) workflows = (await api("/v1/workflows")).workflows;
  return workflows.find((w) => w.name === name && (version === undefined || w.version === version)) ||
    workflows.find((w) => w.name === name) || null;
}
