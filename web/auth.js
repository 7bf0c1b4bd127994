// termijn dashboard: signing in, in one place.
//
// Today a person pastes their own bearer token once; it is kept in
// sessionStorage, so for this browser tab only (closing the tab forgets it),
// sent only in the Authorization header of requests to termijnd itself, and
// never put in a URL, the page or a log.  Signing in through the
// municipality's identity provider (OpenID Connect) replaces this module:
// the rest of the page only asks whether someone is signed in, for the
// headers of a request, and to sign out.

const KEY = "termijn.token";

function token() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function signedIn() {
  return token() !== null;
}

// Keep the token for this tab.  Nothing is checked here: the first request
// (GET /v1/me) tells whether termijnd knows it.
export function signIn(secret) {
  const t = String(secret).trim();
  if (t === "" || /\s/.test(t)) throw new Error("Een token is één woord, zonder spaties.");
  sessionStorage.setItem(KEY, t);
}

export function signOut() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: there is nothing kept to clear.
  }
}

// The headers that authenticate a request to termijnd's API.
export function authHeaders() {
  const t = token();
  return t === null ? {} : { Authorization: "Bearer " + t };
}
