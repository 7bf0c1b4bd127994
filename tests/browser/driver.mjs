// What the dashboard's browser tests share: Debian's Chromium, started as
// this machine needs it, and pages that keep what went wrong in them (the
// requests they made, Content-Security-Policy violations, uncaught
// exceptions) for the tests to assert on.

import { chromium } from "playwright-core";

// Playwright starts Chromium with a new, empty profile (--user-data-dir)
// of its own, and headless; these are the flags this machine needs.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const requested = [];		// every URL any page asked for
export const csp = [];			// Content-Security-Policy violations, however reported
export const scriptErrors = [];		// uncaught exceptions in the page

export function launch() {
  return chromium.launch({
    executablePath: process.env.TERMIJN_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
  });
}

// A page in a context of its own.  The browser's own zone is not
// Amsterdam, nor its locale Dutch: the page must depend on neither.
export async function watchedPage(browser, options) {
  const context = await browser.newContext({ timezoneId: "America/New_York", locale: "en-US", ...options });
  await context.exposeBinding("__cspViolation", (_src, v) => csp.push(v));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  page.on("request", (r) => requested.push(r.url()));
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text());
  });
  page.on("pageerror", (e) => scriptErrors.push(e.message));
  return page;
}

// Wait until the page shows its title and has loaded what it shows.
export async function ready(page, title) {
  await page.locator("#page-title", { hasText: new RegExp(`^${title}$`) }).waitFor();
  await page.waitForSelector("#main[aria-busy='false']");
}

// Sign in at base as who, with its token, and wait for the landing page.
export async function signInAt(page, base, who, token, landing) {
  await page.goto(base + "/");
  await ready(page, "Aanmelden");
  await page.getByLabel("Uw token").fill(token);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await page.locator("#who-name", { hasText: who }).waitFor();
  await ready(page, landing);
}
