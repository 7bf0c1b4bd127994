// The dashboard in Debian's Chromium, headless, against a running termijnd.
//
// tests/integration/test_dashboard.py starts termijnd on a fake clock, makes
// the people and cases (world() there) and runs this file with node's test
// runner; it passes, through the environment:
//   TERMIJN_URL          where termijnd listens
//   TERMIJN_WORLD        JSON: {"tokens": {name: secret}, "admin": secret,
//                        "cases": {reference: id}}
//   TERMIJN_SCREENSHOTS  where the screenshots go (the build directory)
//   TERMIJN_CHROMIUM     the browser (/usr/bin/chromium)
//
// Each check compares what the page shows with what the API answers the
// same person, read here with fetch.  The dates the page should show are
// made here from the API's own text (its timestamps carry Amsterdam's
// offset), not with the page's code.  The tests run in order and share one
// termijnd: the ones that change cases come after the ones that read them.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { csp, launch, ready, requested, scriptErrors, signInAt, watchedPage } from "./driver.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BASE = process.env.TERMIJN_URL;
const WORLD = JSON.parse(process.env.TERMIJN_WORLD || "{}");
const SHOTS = process.env.TERMIJN_SCREENSHOTS;
const SECRETS = [...Object.values(WORLD.tokens || {}), WORLD.admin].filter(Boolean);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let browser;
const axeReport = [];

before(async () => {
  assert.ok(BASE && WORLD.tokens, "run by tests/integration/test_dashboard.py");
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  console.log("axe-core (all impacts):\n" + axeReport.join("\n"));
});

// -- the API, as the same person -------------------------------------------

// In Dutch, as the dashboard asks: the same words the page shows.
async function api(who, p, body) {
  const headers = { Authorization: "Bearer " + (who === "admin" ? WORLD.admin : WORLD.tokens[who]),
    "Accept-Language": "nl" };
  const init = { headers };
  if (body !== undefined) {
    init.method = body === null ? "DELETE" : "POST";
    if (body !== null) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
  }
  const r = await fetch(BASE + p, init);
  return { status: r.status, body: await r.json() };
}

async function get(who, p) {
  const r = await api(who, p);
  assert.equal(r.status, 200, `GET ${p} as ${who}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// -- what a person reads, written independently of the page's code ---------

const DAYS = ["zo", "ma", "di", "wo", "do", "vr", "za"];
const MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

function day(ymd) {
  const [y, m, d] = ymd.split("-").map(Number);
  return `${DAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} ${MONTHS[m - 1]} ${y}`;
}

// termijnd writes timestamps in Amsterdam time with its offset: the wall
// clock is in the text.
function moment(ts) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(ts);
  assert.ok(m, ts);
  assert.match(ts, /\+0[12]:00$/, "an Amsterdam offset");
  return `${day(m[1])} ${m[2]}`;
}

const n = (k, one, many) => `${k} ${k === 1 ? one : many}`;

function span(seconds) {
  const s = Math.abs(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  if (!d && !h) return "minder dan een uur";
  if (!d) return `${h} uur`;
  return h ? `${n(d, "dag", "dagen")} en ${h} uur` : n(d, "dag", "dagen");
}

const tries = (k) => n(k, "poging", "pogingen");

// What became of a notification, as the case page should say it: a line
// per team it went to, then the teams it did not go to.
function deliveryLines(note) {
  const lines = note.deliveries.map((d) => {
    if (d.status === "delivered") return `verzonden aan team ${d.team} op ${moment(d.delivered_at)}`;
    if (d.status === "pending") {
      const failed = d.attempts ? `; ${tries(d.attempts)} mislukt${d.last_error ? `, laatste fout: ${d.last_error}` : ""}` : "";
      return `wacht: volgende poging ${moment(d.next_at)} (team ${d.team}${failed})`;
    }
    assert.equal(d.status, "dead");
    return `mislukt: ${d.last_error} (team ${d.team}, ${tries(d.attempts)})`;
  });
  if (note.not_sent) {
    const t = note.not_sent.teams;
    lines.push(`niet verzonden: geen webhook voor ${t.length === 1 ? `team ${t[0]}` : `teams ${t.slice(0, -1).join(", ")} en ${t.at(-1)}`}`);
  }
  return lines;
}

test("the test's own date words", () => {
  assert.equal(day("2026-02-17"), "di 17 feb 2026");
  assert.equal(day("2026-03-01"), "zo 1 mrt 2026");
  assert.equal(moment("2026-03-29T03:00:00+02:00"), "zo 29 mrt 2026 03:00");
});

// -- driving the page --------------------------------------------------------

const newPage = (viewport = DESKTOP) => watchedPage(browser, { viewport });
const signIn = (page, who, landing) => signInAt(page, BASE, who, WORLD.tokens[who], landing);

async function open(page, hash, title) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await ready(page, title);
}

// A new page, signed in as who (landing on the page called landing), on the
// page of the case with reference ref.
async function onCase(who, landing, ref) {
  const page = await newPage();
  await signIn(page, who, landing);
  await open(page, `#/zaak/${WORLD.cases[ref]}`, `Zaak ${ref}`);
  return page;
}

// The rows of a section's table: {column label: text}.
function rows(page, section) {
  return page.$$eval(`section[aria-labelledby="${section}-h"] table.list > tbody > tr`, (trs) =>
    trs.map((tr) => Object.fromEntries([...tr.children].map((c) => [c.dataset.label, c.innerText.trim()]))));
}

async function axe(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const all = result.violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.map((x) => x.target.join(" ")).slice(0, 3).join(", ")})`);
  axeReport.push(`  ${name}: ${all.length ? all.join("; ") : "no violations"}`);
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => v.id), [], `${name}: axe-core finds\n${all.join("\n")}`);
}

async function shot(page, file) {
  await page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
}

// -- the tests ----------------------------------------------------------------

test("signing in keeps the token in this tab only, and signing out forgets it", async () => {
  const page = await newPage();
  await page.goto(BASE + "/");
  await ready(page, "Aanmelden");
  await axe(page, "sign-in");
  // An unknown token: the API's words, and nothing kept.
  await page.getByLabel("Uw token").fill("tmj_not_a_token");
  await page.getByRole("button", { name: "Aanmelden" }).click();
  const error = page.locator("#main .error");
  await error.waitFor();
  assert.match(await error.innerText(), /kent dit token niet/);
  assert.match(await error.innerText(), /onbekend token/);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);

  await page.getByLabel("Uw token").fill(WORLD.tokens["sup-noord"]);
  await page.getByRole("button", { name: "Aanmelden" }).click();
  await ready(page, "Overzicht");
  assert.match(await page.locator("#who-name").innerText(), /^sup-noord \(leidinggevende, /);
  const kept = await page.evaluate(() => ({
    session: Object.values(sessionStorage), local: localStorage.length, cookie: document.cookie,
    html: document.documentElement.outerHTML,
  }));
  assert.deepEqual(kept.session, [WORLD.tokens["sup-noord"]]);
  assert.equal(kept.local, 0);
  assert.equal(kept.cookie, "");
  assert.ok(!kept.html.includes(WORLD.tokens["sup-noord"]), "the token is in the page");

  // Another tab of the same browser is not signed in.
  const other = await page.context().newPage();
  await other.goto(BASE + "/");
  await ready(other, "Aanmelden");
  await other.close();

  await page.getByRole("button", { name: "Afmelden" }).click();
  await ready(page, "Aanmelden");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal(await page.locator("#nav").isVisible(), false);
  await page.reload();
  await ready(page, "Aanmelden");
  await page.context().close();
});

test("the overview shows what the API says", async () => {
  const page = await newPage();
  await signIn(page, "sup-noord", "Overzicht");
  const [summary, overdue, risk] = await Promise.all([
    get("sup-noord", "/v1/summary?within=P5D"), get("sup-noord", "/v1/overdue?limit=50"),
    get("sup-noord", "/v1/at-risk?within=P5D&limit=200")]);

  for (const k of ["overdue", "at_risk", "suspended", "running"]) {
    const want = summary.summary.reduce((s, r) => s + r[k], 0);
    assert.equal(await page.locator(`#count-${k} .n`).innerText(), String(want), k);
  }
  // Per team: each of the token's teams, and the teams whose cases they take part in.
  const me = await get("sup-noord", "/v1/me");
  const teams = [...new Set([...me.teams, ...summary.summary.map((r) => r.team)])];
  const perTeam = await page.$$eval("section[aria-labelledby='counts-h'] > .table-wrap tbody tr", (trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));
  assert.deepEqual(perTeam.sort(), teams.map((t) => [t, ...["overdue", "at_risk", "suspended", "running"].map((k) =>
    String(summary.summary.filter((r) => r.team === t).reduce((s, r) => s + r[k], 0)))]).sort());
  assert.ok(overdue.overdue.length >= 4 && risk.at_risk.length >= 2 && risk.suspended.length >= 1,
    "the world has cases in every situation");

  // Most overdue first, with their ages, as the API has them.
  // Workflows, states and deadlines by the titles the workflows give them.
  assert.deepEqual(await rows(page, "overdue"), overdue.overdue.map((o) => ({
    Zaak: o.reference, Team: o.team, Werkproces: o.workflow_title,
    // A case no team was brought into says so under its state, naming
    // the function as the workflow calls it ("handhaving", not its id).
    Stand: o.unrouted.length ? `${o.state_title}\ngeen team voor ${o.unrouted.map((f) => ({ enforcement: "handhaving" })[f]).join(", ")}` : o.state_title,
    Termijn: `${o.deadline_title}\n${{ agreement: "afspraak", decision: "beslistermijn" }[o.kind]}`,
    "Laatste dag": day(o.due),
    "Te laat": `${n(o.overdue_days, "dag", "dagen")} (${n(o.overdue_working_days, "werkdag", "werkdagen")})`,
    Behandelaar: o.assignee_name || "niemand",
  })));
  assert.ok(overdue.overdue.some((o) => o.unrouted.length > 0), "a case waits for a team");
  assert.deepEqual((await rows(page, "at-risk")).map((r) => [r.Zaak, r["Laatste dag"], r["Tijd over"]]),
    risk.at_risk.map((r) => [r.reference, day(r.due), span(r.time_left_seconds)]));
  assert.deepEqual((await rows(page, "suspended")).map((r) => [r.Zaak, r["Opgeschort sinds"], r["Tijd die blijft"]]),
    risk.suspended.map((r) => [r.reference, moment(r.suspended_since), span(r.time_left_seconds)]));

  const text = await page.locator("#main").innerText();
  assert.ok(!text.includes("Z-2026-0901"), "another team's case is shown");
  assert.ok(!text.includes("Z-2026-0103"), "a closed case is shown");
  await shot(page, "overview.png");
  await axe(page, "overview");

  // One team: the lists the API gives for it.
  await page.getByLabel("Team").selectOption("handhaving");
  await page.getByRole("button", { name: "Toon" }).click();
  await page.waitForURL(/#\/\?team=handhaving$/);
  await ready(page, "Overzicht");
  const own = await get("sup-noord", "/v1/overdue?team=handhaving");
  assert.deepEqual((await rows(page, "overdue")).map((r) => r.Zaak), own.overdue.map((o) => o.reference));
  await page.context().close();
});

test("the overview says when more is at risk than it shows, and shows the rest", async () => {
  const page = await newPage();
  await signIn(page, "sup-inkomen", "Overzicht");
  const first = await get("sup-inkomen", "/v1/at-risk?within=P5D&limit=200");
  const rest = await get("sup-inkomen", `/v1/at-risk?within=P5D&limit=200&cursor=${encodeURIComponent(first.next_cursor)}`);
  assert.equal(first.at_risk.length, 200);
  assert.deepEqual([rest.at_risk.length, rest.suspended.length, rest.next_cursor], [1, 1, null]);
  assert.deepEqual((await rows(page, "at-risk")).map((r) => r.Zaak), first.at_risk.map((r) => r.reference));
  const notice = page.locator("#risk-more");
  assert.match(await notice.innerText(), /^Er zijn meer dan 200 termijnen die binnen 5 dagen verstrijken of opgeschort zijn; hier staan de eerste 200\.$/);
  assert.match(await page.locator("section[aria-labelledby='suspended-h']").innerText(), /De opgeschorte termijnen volgen na die binnen 5 dagen/);
  await axe(page, "overview with more at risk");
  await page.locator("section[aria-labelledby='at-risk-h']").getByRole("button", { name: "Meer tonen" }).click();
  await page.waitForFunction(() => document.querySelectorAll("section[aria-labelledby='suspended-h'] tbody tr").length === 1);
  assert.deepEqual((await rows(page, "at-risk")).map((r) => r.Zaak),
    [...first.at_risk, ...rest.at_risk].map((r) => r.reference));
  assert.deepEqual((await rows(page, "suspended")).map((r) => r.Zaak), rest.suspended.map((r) => r.reference));
  assert.equal(await notice.isVisible(), false, "the notice stays when all is shown");
  // The first one loaded is where the keyboard is.
  assert.equal(await page.evaluate(() => document.activeElement.textContent), rest.at_risk[0].reference);
  await page.context().close();
});

test("the overview on a phone", async () => {
  const page = await newPage(PHONE);
  await signIn(page, "sup-noord", "Overzicht");
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, "the page scrolls sideways on a phone");
  // Tables read as cards: the column names stand beside each value.
  const head = await page.locator("section[aria-labelledby='overdue-h'] thead").boundingBox();
  assert.ok(head.width <= 1 && head.height <= 1, "the column heads are shown");
  const label = await page.$eval("section[aria-labelledby='overdue-h'] tbody td",
    (td) => getComputedStyle(td, "::before").content);
  assert.equal(label, '"Team"');
  await shot(page, "overview-phone.png");
  await axe(page, "overview (phone)");
  await page.context().close();
});

test("a case page shows its deadlines, their explanations and ladders, its history and guidance", async () => {
  const page = await newPage();
  await signIn(page, "sup-noord", "Overzicht");
  for (const ref of ["B-2026-0204", "B-2026-0203", "Z-2026-0101", "Z-2026-0103"]) {
    const id = WORLD.cases[ref];
    const c = await get("sup-noord", `/v1/cases/${id}`);
    const history = (await get("sup-noord", `/v1/cases/${id}/transitions`)).transitions;
    // From the overview by a link, the first time.
    if (ref === "B-2026-0204") {
      await page.getByRole("link", { name: ref }).first().click();
      await ready(page, `Zaak ${ref}`);
      assert.equal(await page.evaluate(() => document.activeElement.id), "page-title");
    } else {
      await open(page, `#/zaak/${id}`, `Zaak ${ref}`);
    }
    const articles = page.locator("article.deadline");
    assert.equal(await articles.count(), c.deadlines.length, ref);
    // The state and each deadline by the Dutch titles of the case's workflow.
    const top = await page.locator("#main > dl.facts").evaluate((dl) => Object.fromEntries(
      [...dl.querySelectorAll(":scope > dt")].map((dt) => [dt.innerText, dt.nextElementSibling.innerText])));
    // The state, then its badges (in the queue, closed).
    assert.equal(top.Stand.replace(/( (afgesloten|in de werkvoorraad))+$/, ""), c.state_title, ref);
    assert.equal(top.Werkproces, `${c.workflow_title} (versie ${c.version})`, ref);
    // A deadline's heading: its title, then its badge.
    const heading = (a) => a.locator("h3").evaluate((h3) => h3.firstChild.textContent.trim());
    if (ref === "B-2026-0204") {
      assert.equal(top.Stand, "In behandeling");
      assert.equal(await heading(page.locator('article.deadline[data-deadline="decision"]')), "Beslistermijn");
    }
    for (const d of c.deadlines) {
      const a = page.locator(`article.deadline[data-deadline="${d.name}"]`);
      assert.equal(await heading(a), d.title, `${ref} ${d.name}`);
      assert.deepEqual(await a.locator("table.list tbody tr > th").allInnerTexts(),
        d.rungs.map((r) => r.title + (r.seq > 1 ? ` (${r.seq}e keer)` : "")), `${ref} ${d.name}: the ladder`);
      const facts = Object.fromEntries(await a.locator("dl.facts").evaluate((dl) =>
        [...dl.querySelectorAll("dt")].map((dt) => [dt.innerText, dt.nextElementSibling.innerText])));
      if (d.running) {
        assert.equal(facts["Laatste dag"], day(d.due), `${ref} ${d.name}`);
        assert.equal(facts["Te laat vanaf"], moment(d.overdue_from));
        assert.equal(facts["Tijd over"], span(d.time_left_seconds));
      } else {
        assert.equal(facts["Opgeschort sinds"], moment(d.suspended_since));
        assert.match(facts["Tijd die blijft"], new RegExp("^" + span(d.time_left_seconds)));
      }
      assert.deepEqual(await a.locator("ol.explanation li").allInnerTexts(), d.explanation);
      const ladder = await a.locator("table.list tbody tr").count();
      assert.equal(ladder, d.rungs.length, `${ref} ${d.name}: the ladder`);
      const fired = d.rungs.filter((r) => r.fired_at).length;
      assert.equal(await a.locator("table.list tbody td", { hasText: /^verstuurd / }).count(), fired);
    }
    const shown = await rows(page, "history");
    assert.equal(shown.length, history.length, `${ref}: history`);
    history.forEach((t, i) => {
      assert.equal(shown[i].Moment, moment(t.at));
      assert.equal(shown[i].Door, t.actor);
      assert.equal(shown[i].Toelichting, t.note || "—");
      assert.equal(shown[i].Grondslag, t.basis ? t.basis_title : "—");
      assert.equal(shown[i].Stand, t.from && t.from !== t.to ? `${t.from_title} → ${t.to_title}` : t.to_title);
    });
    if (c.guidance) {
      const g = await page.locator("section[aria-labelledby='guidance-h']").innerText();
      for (const part of ["Dilemma:", "Afspraak:", "Wie beslist:"]) assert.ok(g.includes(part), part);
      assert.equal(g.replace(/^Werkafspraak\s*/, "").replace(/\s+/g, " ").trim(), c.guidance.replace(/\s+/g, " "));
    }
    const people = await rows(page, "participants");
    assert.deepEqual(people.map((p) => [p.Team, p.Grondslag.replace(/ \(.*$/, "")]),
      c.participants.map((p) => [p.team, p.basis_title]));
    if (ref === "B-2026-0204") {
      await shot(page, "case.png");
      await axe(page, "case");
    }
  }
  // A case that does not exist and another team's look the same.
  for (const id of [999999, WORLD.cases["Z-2026-0901"]]) {
    await open(page, `#/zaak/${id}`, "Zaak");
    assert.match(await page.locator("#main .error").innerText(), new RegExp(`bestaat niet[^]*er is geen zaak ${id}`));
  }
  await page.context().close();
});

test("a case page says of each notification whether it was sent, waits, or went nowhere", async () => {
  const page = await newPage();
  await signIn(page, "sup-noord", "Overzicht");
  const kinds = new Set();
  for (const ref of ["Z-2026-0101", "Z-2026-0105", "B-2026-0202"]) {
    const id = WORLD.cases[ref];
    const c = await get("sup-noord", `/v1/cases/${id}`);
    await open(page, `#/zaak/${id}`, `Zaak ${ref}`);
    const shown = await rows(page, "notifications");
    assert.equal(shown.length, c.notifications.length, ref);
    c.notifications.forEach((note, i) => {
      const want = deliveryLines(note);
      assert.deepEqual(shown[i].Bezorging.split("\n"), want, `${ref} ${note.deadline} ${note.rung}`);
      for (const line of want) kinds.add(line.replace(/:? .*/, ""));
    });
    if (ref === "Z-2026-0101") {
      // No team fills enforcement for the youth team: the page says so
      // first, and that handhaving takes part only because it was shared.
      assert.deepEqual(c.unrouted, ["enforcement"]);
      const alert = await page.locator("#unrouted").innerText();
      assert.match(alert, /^Geen team voor handhaving gekoppeld: de beheerder heeft voor team jeugd-noord geen team ingesteld/);
      assert.match(alert, /Met de hand gedeeld met: handhaving\.$/);
      // Enforcement was told of the escalation in name only: the youth
      // team has no webhook for it, and handhaving joined afterwards.
      const atDue = shown[c.notifications.findIndex((x) => x.rung === "at_due")];
      assert.equal(atDue.Aan, "handhaver");
      assert.equal(atDue.Bezorging, "niet verzonden: geen webhook voor team jeugd-noord");
      const followUp = shown[c.notifications.findIndex((x) => x.role === "supervisor")];
      assert.match(followUp.Bezorging, /^verzonden aan team jeugd-noord op \w\w \d+ \w+ 2026 \d\d:\d\d$/);
      const reminder = shown[c.notifications.findIndex((x) => x.role === "youth_worker")];
      assert.match(reminder.Bezorging, /^wacht: volgende poging .* \(team jeugd-noord; 1 poging mislukt, laatste fout: HTTP 500\)$/);
      await shot(page, "case-notifications.png");
      await axe(page, "case notifications");
    }
  }
  assert.deepEqual([...kinds].sort(), ["niet", "verzonden", "wacht"]);
  await page.context().close();
});

test("recording an event through the page changes the case", async () => {
  const page = await onCase("jw-noord", "Overzicht", "Z-2026-0102");
  const id = WORLD.cases["Z-2026-0102"];
  const form = page.locator("form[aria-label='Gebeurtenis vastleggen']");
  // No event is chosen for the person: one must be picked.
  assert.equal(await form.getByLabel("Gebeurtenis").inputValue(), "");
  await form.getByRole("button", { name: "Vastleggen" }).click();
  assert.match(await form.locator(".error").innerText(), /Vul 'Gebeurtenis' in/);
  // Each event by its title, with the name a case system records it by.
  assert.deepEqual(await form.locator("select[name='event'] option").allInnerTexts(),
    ["Kies een gebeurtenis", "Jeugdhulp heeft gemeld (youth_worker_reported): naar stand Bij handhaving"]);
  await form.getByLabel("Gebeurtenis").selectOption("youth_worker_reported");
  // Sharing with enforcement needs a legal basis: asked for, and required.
  const basis = form.getByLabel(/Grondslag om te delen/);
  assert.ok(await basis.isVisible());
  assert.equal(await form.getByLabel(/Datum/).isVisible(), false);
  await form.getByRole("button", { name: "Vastleggen" }).click();
  assert.match(await form.locator(".error").innerText(), /Grondslag om te delen/);
  assert.equal((await get("jw-noord", `/v1/cases/${id}`)).state, "youth_worker_reports", "nothing was sent");

  await basis.selectOption("consent");
  await form.getByLabel(/Toelichting/).fill("Het gezin gaf toestemming om de inkomsten te melden.");
  // Handing the case to enforcement asks first, naming what follows; a
  // person who cancels has changed nothing.
  await form.getByRole("button", { name: "Vastleggen" }).click();
  const asked = form.getByRole("alertdialog", { name: "Bevestigen" });
  assert.match(await asked.innerText(), /Handhaving krijgt de zaak in de werkvoorraad/);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Ja, vastleggen");
  await asked.getByRole("button", { name: "Annuleren" }).click();
  assert.equal(await asked.count(), 0);
  assert.equal((await get("jw-noord", `/v1/cases/${id}`)).state, "youth_worker_reports", "nothing was sent");
  await form.getByRole("button", { name: "Vastleggen" }).click();
  await asked.getByRole("button", { name: "Ja, vastleggen" }).click();
  await page.locator("#announce", { hasText: "De zaak staat nu in stand Bij handhaving" }).waitFor();
  const c = await get("jw-noord", `/v1/cases/${id}`);
  assert.equal(c.state, "enforcement");
  const last = (await get("jw-noord", `/v1/cases/${id}/transitions`)).transitions.at(-1);
  assert.deepEqual([last.event, last.actor, last.basis, last.note], ["youth_worker_reported", "jw-noord", "consent",
    "Het gezin gaf toestemming om de inkomsten te melden."]);
  assert.equal(await page.evaluate(() => document.activeElement.id), "actions-h");
  const shown = (await rows(page, "history")).at(-1);
  assert.equal(shown.Toelichting, last.note);
  assert.equal(shown.Stand, "Jeugdhulpverlener meldt → Bij handhaving");
  assert.match(shown.Wat, /Jeugdhulp heeft gemeld/);
  await page.context().close();
});

test("a late decision's penalty on its case page, in euros and Dutch dates", async () => {
  const page = await onCase("sup-t", "Overzicht", "D-2026-0401");
  const text = await page.locator("section[aria-labelledby='penalty-h']").innerText();
  // Worked out by hand (tests/integration/test_dashboard.py): 13 x 23.
  assert.match(text, /€ 299,00 \(13 dagen van ten hoogste 42\)/);
  assert.match(text, /€ 1\.442,00/);
  assert.match(text, /wo 4 mrt 2026/);
  assert.match(text, /di 14 apr 2026/);
  // The overview and the queue say it where the case is listed.
  for (const [hash, title, list] of [["#/", "Overzicht", "overdue"], ["#/werkvoorraad", "Werkvoorraad", "queue"]]) {
    await open(page, hash, title);
    const mine = (await rows(page, list)).filter((r) => r.Zaak === "D-2026-0401");
    assert.deepEqual(mine.map((r) => r.Dwangsom), ["€ 299,00 (13 dagen)"], list);
  }
  await page.context().close();
});

test("a supervisor extends a deadline with a reason", async () => {
  const id = WORLD.cases["B-2026-0204"];
  const before = (await get("sup-noord", `/v1/cases/${id}`)).deadlines[0];
  const page = await onCase("sup-noord", "Overzicht", "B-2026-0204");
  // Offered: what a supervisor may record while the deadline runs.  Not
  // request_completion (caseworkers only), nor completed (nothing is
  // suspended); extend has a form of its own.  A notice of default is
  // offered too: one received while the period runs starts nothing, and
  // termijnd says so (Awb 4:17).
  const events = page.locator("form[aria-label='Gebeurtenis vastleggen'] select[name='event'] option");
  assert.deepEqual(await events.evaluateAll((os) => os.map((o) => o.value)), ["", "decided", "notice_of_default"],
    "nothing chosen first");
  const form = page.locator("form[aria-label='Beslistermijn verlengen']");
  await form.getByRole("button", { name: "Verlengen" }).click();
  assert.match(await form.locator(".error").innerText(), /Reden/);
  await form.getByLabel(/Reden/).fill("Advies van de GGD is nodig; dat duurt vier weken.");
  await form.getByRole("button", { name: "Verlengen" }).click();
  await page.locator("#announce", { hasText: "is verlengd" }).waitFor();
  const after = (await get("sup-noord", `/v1/cases/${id}`)).deadlines[0];
  assert.notEqual(after.due, before.due);
  assert.equal(after.extensions.length, 1);
  const facts = await page.locator("article.deadline[data-deadline='decision'] dl.facts").innerText();
  assert.ok(facts.includes(day(after.due)), facts);
  assert.match(await page.locator("#announce").innerText(), new RegExp(`^Beslistermijn is verlengd tot ${day(after.due)}`));
  await page.context().close();
});

test("an event that happened on a date asks for that date", async () => {
  const page = await onCase("handhaver-1", "Werkvoorraad", "L-2026-0301");
  const id = WORLD.cases["L-2026-0301"];
  const form = page.locator("form[aria-label='Gebeurtenis vastleggen']");
  const date = form.getByLabel(/Datum waarop het gebeurde/);
  await form.getByLabel("Gebeurtenis").selectOption("dropped");
  assert.equal(await date.isVisible(), false);
  await form.getByLabel("Gebeurtenis").selectOption("decision_sent");
  assert.ok(await date.isVisible());
  assert.match(await form.locator("label[for='event-date']").innerText(), /verplicht/);
  await form.getByRole("button", { name: "Vastleggen" }).click();
  assert.match(await form.locator(".error").innerText(), /Datum waarop het gebeurde/);
  await date.fill("2026-03-13");
  await form.getByRole("button", { name: "Vastleggen" }).click();
  await page.locator("#announce", { hasText: "stand Begunstigingstermijn loopt" }).waitFor();
  const c = await get("handhaver-1", `/v1/cases/${id}`);
  assert.equal(c.state, "compliance");
  const d = c.deadlines.find((x) => x.name === "begunstigingstermijn");
  assert.match(d.explanation[0], /vanaf 13 maart 2026/, "counted from the date given");
  const facts = await page.locator("article.deadline[data-deadline='begunstigingstermijn'] dl.facts").innerText();
  assert.ok(facts.includes(day(d.due)), facts);
  await page.context().close();
});

test("an API refusal is shown with its detail", async () => {
  const page = await onCase("handhaver-1", "Werkvoorraad", "Z-2026-0101");
  const id = WORLD.cases["Z-2026-0101"];
  const form = page.locator("form[aria-label='Gebeurtenis vastleggen']");
  await form.getByLabel("Gebeurtenis").selectOption("close");
  await form.getByRole("button", { name: "Vastleggen" }).click();
  const asked = form.getByRole("alertdialog", { name: "Bevestigen" });
  assert.match(await asked.innerText(), /De zaak wordt gesloten/);
  await asked.getByRole("button", { name: "Ja, vastleggen" }).click();
  const error = form.locator(".error[role='alert']");
  await error.waitFor();
  // The same request to the API: refused the same way, nothing changed.
  const refused = await api("handhaver-1", `/v1/cases/${id}/events`, { event: "close" });
  assert.equal(refused.status, 409);
  assert.ok((await error.innerText()).includes(refused.body.detail), await error.innerText());
  // termijnd's words are Dutch, as the dashboard asked, and marked so.
  const detail = await error.locator(".detail").innerText();
  assert.match(detail, /^zaak \d+ /, detail);
  assert.doesNotMatch(detail, /\bcase\b/, detail);
  assert.equal(await error.locator(".detail").getAttribute("lang"), "nl");
  await page.context().close();
});

test("the queue: what the API lists, and a case picked up with the keyboard alone", async () => {
  const page = await newPage();
  await page.goto(BASE + "/");
  await ready(page, "Aanmelden");
  // Sign in with the keyboard: the first Tab reaches the skip link.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Naar de inhoud");
  await page.keyboard.press("Tab");	// the name "termijn", a link home
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "token");
  await page.keyboard.type(WORLD.tokens["handhaver-1"]);
  await page.keyboard.press("Enter");
  await ready(page, "Werkvoorraad");	// enforcement lands on its queue

  const want = (await get("handhaver-1", "/v1/queue")).queue;
  const shown = await rows(page, "queue");
  assert.deepEqual(shown.map((r) => [r.Zaak, r["Wacht sinds"], r.Behandelaar]),
    want.map((q) => [q.reference, moment(q.since || q.state_since), q.assignee || "niemand"]));
  assert.equal(want[0].assignee, null, "unassigned first");
  await shot(page, "queue.png");
  await axe(page, "queue");

  // Reloaded, the tab is still signed in.  From the top: the skip link,
  // then on by Tab to the pick-up button, each stop showing where focus is.
  await page.reload();
  await ready(page, "Werkvoorraad");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Naar de inhoud");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  const target = `Zaak ${want[0].reference} oppakken`;
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { label: el.getAttribute("aria-label") || el.textContent.trim(), tag: el.tagName,
        visible: s.outlineStyle !== "none" && s.outlineWidth !== "0px" };
    });
    assert.ok(f.visible, `focus on ${f.tag} "${f.label}" is not visible`);
    found = f.label === target;
  }
  assert.ok(found, "Tab never reached " + target);
  await page.keyboard.press("Enter");
  await page.locator("#announce", { hasText: `Zaak ${want[0].reference} is aan u toegewezen.` }).waitFor();
  const c = await get("handhaver-1", `/v1/cases/${want[0].case}`);
  assert.equal(c.assignee, "handhaver-1");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), want[0].reference);
  const now = (await get("handhaver-1", "/v1/queue")).queue;
  assert.deepEqual((await rows(page, "queue")).map((r) => [r.Zaak, r.Behandelaar]),
    now.map((q) => [q.reference, q.assignee || "niemand"]));

  // Picked up, it can be closed now: through the page.
  await open(page, `#/zaak/${c.id}`, `Zaak ${c.reference}`);
  const form = page.locator("form[aria-label='Gebeurtenis vastleggen']");
  await form.getByLabel("Gebeurtenis").selectOption("close");
  await form.getByLabel(/Toelichting/).fill("Afgestemd met de jeugdhulpverlener; afgehandeld.");
  await form.getByRole("button", { name: "Vastleggen" }).click();
  // The keyboard alone: the question takes the focus, Enter confirms.
  await form.getByRole("alertdialog", { name: "Bevestigen" }).waitFor();
  await page.keyboard.press("Enter");
  await page.locator("#announce", { hasText: "stand Afgesloten" }).waitFor();
  assert.equal((await get("handhaver-1", `/v1/cases/${c.id}`)).state, "closed");
  await page.context().close();
});

test("a reader sees a case but is offered no action", async () => {
  const page = await onCase("reader-noord", "Overzicht", "B-2026-0201");
  assert.equal(await page.locator("#main form").count(), 0);
  assert.match(await page.locator("section[aria-labelledby='actions-h']").innerText(), /alleen inzien/);
  await page.context().close();
});

test("a revoked token sends the person back to sign in", async () => {
  const page = await newPage();
  await signIn(page, "cw-noord-2", "Overzicht");
  const r = await api("admin", "/v1/tokens/cw-noord-2", null);
  assert.equal(r.status, 200);
  await open(page, "#/werkvoorraad", "Aanmelden");
  assert.match(await page.locator("#main .notice").innerText(), /Meld u opnieuw aan/);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.context().close();
});

test("no policy violation, no script error, no token in any URL", () => {
  assert.deepEqual(csp, []);
  assert.deepEqual(scriptErrors, []);
  assert.ok(requested.length > 50, "the pages made requests");
  for (const url of requested) {
    assert.ok(url.startsWith(BASE + "/") || url.startsWith("data:"), "a request elsewhere: " + url);
    for (const s of SECRETS) assert.ok(!url.includes(s), "a token in a URL");
  }
});
