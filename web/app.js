// termijn dashboard: the shell.  Signs in, knows who is signed in
// (GET /v1/me), and shows a page per location:
//   #/              the overview: counts, overdue, at risk, suspended
//   #/werkvoorraad  the enforcement queue
//   #/zaak/ID       one case
//   #/rapportage    management information: the report, its chart, as CSV
// The location after "#" never leaves the browser, and it never holds the token.

import { signedIn, signIn, signOut } from "./auth.js";
import { api, onUnauthorized } from "./api.js";
import { h, show, field, problem, announce, focusTitle } from "./ui.js";
import * as fmt from "./format.js";
import { overview } from "./overview.js";
import { queue } from "./queue.js";
import { casePage } from "./casepage.js";
import { report } from "./report.js";

let me = null;		// GET /v1/me: name, role, teams
let rendering = 0;	// the render that may still write to the page
let signingIn = false;	// the sign-in form says itself what went wrong

const PAGES = [
  { path: /^\/$/, page: "overview", view: overview },
  { path: /^\/werkvoorraad$/, page: "queue", view: queue },
  { path: /^\/zaak\/([1-9]\d*)$/, page: "case", view: casePage },
  { path: /^\/rapportage$/, page: "report", view: report },
];

function setWho() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.hidden = who.hidden = me === null;
  document.getElementById("who-name").textContent = me === null ? ""
    : `${me.display_name || me.name} (${fmt.role(me.role)}${me.teams.length ? ", " + me.teams.join(", ") : ""})`;
}

function markNav(page) {
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.page === page) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function signInPage(message) {
  me = null;
  setWho();
  markNav(null);
  const input = h("input", {
    type: "password", name: "token", autocomplete: "off", spellcheck: "false",
    autocapitalize: "off", required: true,
  });
  const errors = h("div", {});
  const form = h("form", { class: "card narrow", novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    const value = input.value;
    input.value = "";
    signingIn = true;
    try {
      signIn(value);
      me = await api("/v1/me");
    } catch (err) {
      signOut();
      me = null;
      errors.replaceChildren(problem(err, err.status === 401
        ? "termijnd kent dit token niet, of het is verlopen of ingetrokken."
        : "Aanmelden lukte niet."));
      input.focus();
      return;
    } finally {
      signingIn = false;
    }
    setWho();
    announce(`Aangemeld als ${me.display_name || me.name}.`);
    const home = me.role === "enforcement" ? "#/werkvoorraad" : "#/";
    if (location.hash === home) route(true);
    else location.hash = home;
  } },
  field("token", "Uw token", input,
    "Plak het token dat u van de beheerder kreeg. Het blijft alleen in dit tabblad bewaard en verdwijnt als u het tabblad sluit of zich afmeldt."),
  errors,
  h("button", { type: "submit", class: "button" }, "Aanmelden"));
  show("Aanmelden", message ? h("p", { class: "notice", role: "alert" }, message) : null, form);
}

async function route(moveFocus) {
  const hash = location.hash || "#/";
  // "#main" and the like: a jump within the page (the skip link), not a page.
  if (!hash.startsWith("#/")) return;
  const seq = ++rendering;
  if (!signedIn()) {
    signInPage();
    if (moveFocus) focusTitle();
    return;
  }
  if (me === null) {
    try {
      me = await api("/v1/me");
    } catch (err) {
      if (seq !== rendering) return;
      if (err.status !== 401) show("termijn", problem(err, "Het dashboard kon niet laden wie u bent."));
      return;
    }
    if (seq !== rendering) return;
    setWho();
  }
  const [path, qs] = hash.slice(1).split("?");
  const found = PAGES.map((p) => ({ p, m: p.path.exec(path) })).find((x) => x.m);
  if (!found) {
    markNav(null);
    show("Pagina niet gevonden", h("p", {}, "Deze pagina bestaat niet. ", h("a", { href: "#/" }, "Naar het overzicht")));
  } else {
    markNav(found.p.page);
    await found.p.view({
      me,
      params: new URLSearchParams(qs || ""),
      match: found.m,
      alive: () => seq === rendering,
      go: (to) => { location.hash = to; },
      again: () => route(false),
    });
  }
  if (moveFocus && seq === rendering) focusTitle();
}

onUnauthorized(() => {
  if (signingIn) return;
  signOut();
  rendering++;
  signInPage("Uw token werkt niet (meer): het is onbekend, verlopen of ingetrokken. Meld u opnieuw aan.");
});

document.getElementById("sign-out").addEventListener("click", () => {
  signOut();
  rendering++;
  if (location.hash !== "#/") history.replaceState(null, "", "#/");
  signInPage();
  announce("U bent afgemeld.");
  focusTitle();
});

// The skip link moves focus to the content without changing the page.
document.getElementById("skip").addEventListener("click", (ev) => {
  ev.preventDefault();
  document.getElementById("main").focus();
});

window.addEventListener("hashchange", () => route(true));
route(false);
