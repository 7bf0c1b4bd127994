// People by name on the dashboard (issue 17), in Debian's Chromium,
// headless, against a running termijnd: a supervisor gives a case to a
// colleague chosen by name, and the case page, the history, the overview
// and the queue name that colleague; a case that waits for a team names
// the function as its workflow calls it; and when the list of colleagues
// cannot be had, the page says so rather than offering an empty choice.
//
// tests/integration/test_dashboard_people.py makes the world and runs this
// file; it passes, through the environment:
//   TERMIJN_URL          where termijnd listens
//   TERMIJN_WORLD        JSON: {"tokens": {name: secret}, "names": {name:
//                        display name}, "cases": {reference: id}}
//   TERMIJN_SCREENSHOTS  where the screenshots go (the build directory)
//   TERMIJN_CHROMIUM     the browser (/usr/bin/chromium)
//
// What the pages should say is written here, in the words a person reads,
// not computed by the page's own code.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { csp, launch, ready, scriptErrors, signInAt, watchedPage } from "./driver.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BASE = process.env.TERMIJN_URL;
const WORLD = JSON.parse(process.env.TERMIJN_WORLD || "{}");
const SHOTS = process.env.TERMIJN_SCREENSHOTS;
const DESKTOP = { viewport: { width: 1280, height: 900 } };

let browser;

before(async () => {
  assert.ok(BASE && WORLD.tokens && WORLD.names, "run by tests/integration/test_dashboard_people.py");
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function get(who, p) {
  const r = await fetch(BASE + p, { headers: { Authorization: "Bearer " + WORLD.tokens[who] } });
  assert.equal(r.status, 200, p);
  return r.json();
}

async function signIn(who, landing) {
  const page = await watchedPage(browser, DESKTOP);
  await signInAt(page, BASE, WORLD.names[who], WORLD.tokens[who], landing);
  return page;
}

async function open(page, hash, title) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await ready(page, title);
}

function rows(page, section) {
  return page.$$eval(`section[aria-labelledby="${section}-h"] table.list > tbody > tr`, (trs) =>
    trs.map((tr) => Object.fromEntries([...tr.children].map((c) => [c.dataset.label, c.innerText.trim()]))));
}

function facts(page) {
  return page.locator("#main > dl.facts").first().evaluate((dl) => Object.fromEntries(
    [...dl.querySelectorAll(":scope > dt")].map((dt) => [dt.innerText, dt.nextElementSibling.innerText])));
}

async function axe(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(" ")).join(", ")}`), [],
    `${name}: axe-core finds serious violations`);
}

test("the overview names the function a case waits for by its title", async () => {
  const page = await signIn("sup-noord", "Overzicht");
  const late = await rows(page, "overdue");
  const row = late.find((r) => r.Zaak === "Z-2026-0101");
  assert.ok(row, "the escalated case is overdue");
  assert.match(row.Stand, /geen team voor handhaving$/);
  assert.doesNotMatch(row.Stand, /enforcement/);
  assert.equal(row.Behandelaar, "niemand");
  await page.close();
});

test("a supervisor assigns a case to a colleague chosen by name", async () => {
  const page = await signIn("sup-noord", "Overzicht");
  const ref = "B-2026-0201";
  await open(page, `#/zaak/${WORLD.cases[ref]}`, `Zaak ${ref}`);

  // A choice of the team's people by name, with their roles; no free
  // text, no token names where a person has a name, nobody who may not
  // work on cases, and not the supervisor, who picks it up with a button.
  const select = page.getByRole("combobox", { name: "Collega (verplicht)" });
  assert.equal(await select.evaluate((el) => el.tagName), "SELECT");
  const options = await select.locator("option").allInnerTexts();
  // One without a display name is named by the token's name.
  assert.deepEqual(options, [
    "Kies een collega",
    "cw-noord-2, consulent",
    "Jeugdhulpverlener Noord 1, jeugdhulpverlener",
    "Medewerker Jeugd 1, consulent",
    "worker, consulent",
  ]);
  assert.equal(await page.locator("input[name=assignee]").count(), 0, "no field to type a token's name");
  assert.ok(await page.getByRole("button", { name: "Oppakken (aan mij toewijzen)" }).isVisible());
  await axe(page, "case page with its choice of colleagues");

  // Submitted with nothing chosen: said, and nothing sent.
  const form = page.locator("form[aria-label='Toewijzen aan een collega']");
  await form.getByRole("button", { name: "Toewijzen" }).click();
  await form.getByText("Vul 'Collega' in.").waitFor();

  await select.selectOption({ label: "Medewerker Jeugd 1, consulent" });
  await page.locator("#assign-note").fill("Zij kent de aanvrager.");
  await form.getByRole("button", { name: "Toewijzen" }).click();
  await page.locator("#announce", { hasText: `Zaak ${ref} is toegewezen aan Medewerker Jeugd 1.` }).waitFor();
  await ready(page, `Zaak ${ref}`);

  // The case page names her; the history names who did it, and whom.
  assert.equal((await facts(page)).Behandelaar, "Medewerker Jeugd 1");
  assert.ok(await page.getByText("Deze zaak is toegewezen aan Medewerker Jeugd 1.").isVisible());
  const history = await rows(page, "history");
  const assigned = history.filter((r) => r.Wat === "toewijzing");
  assert.equal(assigned.length, 1, JSON.stringify(history));
  assert.equal(assigned[0].Door, "Teamleider Jeugd Noord");
  assert.equal(assigned[0].Betreft, "Medewerker Jeugd 1");
  assert.equal(history[0].Door, "Medewerker Jeugd 1", "she registered it");
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "case-assigned-by-name.png"), fullPage: true });

  // termijnd gave it to her token.
  const c = await get("sup-noord", `/v1/cases/${WORLD.cases[ref]}`);
  assert.deepEqual([c.assignee, c.assignee_name], ["cw-noord", "Medewerker Jeugd 1"]);

  // The escalated case, to the youth worker: the queue and the overview
  // name him too.
  const z = "Z-2026-0101";
  await open(page, `#/zaak/${WORLD.cases[z]}`, `Zaak ${z}`);
  await page.getByRole("combobox", { name: "Collega (verplicht)" })
    .selectOption({ label: "Jeugdhulpverlener Noord 1, jeugdhulpverlener" });
  await page.locator("form[aria-label='Toewijzen aan een collega']").getByRole("button", { name: "Toewijzen" }).click();
  await page.locator("#announce", { hasText: `Zaak ${z} is toegewezen aan Jeugdhulpverlener Noord 1.` }).waitFor();
  await open(page, "#/werkvoorraad", "Werkvoorraad");
  const queued = (await rows(page, "queue")).find((r) => r.Zaak === z);
  assert.equal(queued.Behandelaar, "Jeugdhulpverlener Noord 1");
  await open(page, "#/", "Overzicht");
  const late = (await rows(page, "overdue")).find((r) => r.Zaak === z);
  assert.equal(late.Behandelaar, "Jeugdhulpverlener Noord 1");
  await page.close();
});

test("a page that cannot list colleagues says so, without an empty choice", async () => {
  const page = await signIn("jw-noord", "Overzicht");
  // As termijnd answers a token that may not list its team's people.
  await page.route("**/v1/teams/*/people", (route) => route.fulfill({
    status: 403, contentType: "application/problem+json",
    body: JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403,
      detail: "only the people of team jeugd-noord (a token of the team whose role works on cases) and an admin see who works in it" }),
  }));
  const ref = "B-2026-0202";
  await open(page, `#/zaak/${WORLD.cases[ref]}`, `Zaak ${ref}`);
  const notice = page.locator("#assign-people");
  await notice.getByText("U mag de mensen van uw team niet opvragen, en kunt deze zaak daarom niet aan een collega toewijzen.").waitFor();
  assert.equal(await page.getByRole("combobox", { name: /Collega/ }).count(), 0, "no empty choice");
  // Picking it up oneself still works.
  await page.getByRole("button", { name: "Oppakken (aan mij toewijzen)" }).click();
  await page.locator("#announce", { hasText: `Zaak ${ref} is aan u toegewezen.` }).waitFor();
  await ready(page, `Zaak ${ref}`);
  assert.equal((await facts(page)).Behandelaar, "Jeugdhulpverlener Noord 1");
  await axe(page, "case page without its colleagues");
  await page.close();
  assert.deepEqual(csp, []);
  assert.deepEqual(scriptErrors, []);
});
