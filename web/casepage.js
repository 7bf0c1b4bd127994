// termijn dashboard: one case (GET /v1/cases/ID and its transitions): its
// deadlines with each date's explanation and ladder, those that passed and
// what followed, the casebook's guidance for its state, who takes part,
// its history, and what the signed-in person's role may do with it: record
// an event the state accepts, extend a deadline with a reason, assign; and
// "wat als", what would follow an event on a date (whatif.js).
//
// Whether the case is late, and how late, is termijnd's word ("overdue"
// and its counts, as GET /v1/overdue gives them), written as the overview
// writes it (fmt.overdueAge), so that the two never disagree.
//
// Names are shown by the titles the case's workflow version gives them
// (termijnd sends them beside the names: state_title, a deadline's title),
// and by the name where it gives none.  Only where a person may type a
// name elsewhere, the event to record, is the name shown beside its title.
// People are shown by their names (assignee_name, actor_name), never by
// their tokens' names, and a case is assigned by choosing a colleague of
// one's own teams by name (GET /v1/teams/TEAM/people).

import { api, workflow, LANG } from "./api.js";
import { h, show, section, table, facts, field, problem, announce, busy, load } from "./ui.js";
import { acts } from "./queue.js";
import { whatIf } from "./whatif.js";
import * as fmt from "./format.js";

export async function casePage(ctx) {
  const id = ctx.match[1];
  const main = show("Zaak", h("p", { class: "loading" }, "Laden…"));
  const data = await load(ctx, main, async () => {
    const [c, history] = await Promise.all([api(`/v1/cases/${id}`), api(`/v1/cases/${id}/transitions`)]);
    return [c, history, await workflow(c.workflow, c.version), await colleagues(ctx, c)];
  }, (err) => (err.status === 404
    ? "Deze zaak bestaat niet, of uw teams zien haar niet." : "De zaak kon niet laden."));
  if (data === null) return;
  const [c, history, wf, people] = data;
  render(ctx, c, history.transitions, wf, people);
}

// Whom the signed-in person may give the case to: the people of each of
// their own teams that owns the case or takes part in it, by name.  A
// refusal (a role that may not list them) is kept to be said, not thrown:
// the rest of the page does not depend on it.
async function colleagues(ctx, c) {
  if (!acts(ctx.me) || c.final) return { people: [] };
  const teams = [c.team, ...(c.participants || []).map((p) => p.team)]
    .filter((t, i, all) => all.indexOf(t) === i && ctx.me.teams.includes(t));
  try {
    const lists = await Promise.all(teams.map((t) => api(`/v1/teams/${encodeURIComponent(t)}/people`)));
    const byName = new Map();
    for (const l of lists) for (const p of l.people) byName.set(p.name, p);
    const people = [...byName.values()];
    // Two people of the same name are told apart by their tokens' names.
    const label = (p) => p.display_name || p.name;
    for (const p of people) {
      p.label = people.some((q) => q !== p && label(q) === label(p)) ? `${label(p)} (${p.name})` : label(p);
    }
    people.sort((a, b) => a.label.localeCompare(b.label, "nl") || a.name.localeCompare(b.name));
    return { people };
  } catch (err) {
    return { people: [], error: err };
  }
}

// After an action: the case as it is now, focus on what was done.
async function reload(ctx, message) {
  await ctx.again();
  announce(message);
  document.getElementById("actions-h")?.focus();
}

// A name as people read it: its title, else the name ("state": "state_title").
const titled = (o, key) => o[`${key}_title`] || o[key];
// A deadline as people read it: "Beslistermijn", or "termijn decision".
const deadlineName = (d) => d.title || `termijn ${d.name}`;
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function render(ctx, c, transitions, wf, people) {
  const st = wf ? wf.states.find((s) => s.name === c.state) : null;
  const passed = c.passed_deadlines || [];
  const late = passed.filter((d) => d.overdue);
  show(`Zaak ${c.reference}`,
    unrouted(c),
    facts([
      ["Werkproces", `${titled(c, "workflow")} (versie ${c.version})`],
      ["Team", c.team],
      ["Stand", [titled(c, "state"),
        c.final ? [" ", h("span", { class: "badge" }, "afgesloten")] : null,
        c.queue ? [" ", h("span", { class: "badge" }, "in de werkvoorraad")] : null]],
      ["In deze stand sinds", fmt.dateTime(c.state_since)],
      ["Te laat", late.length ? late.map((d) => `${deadlineName(d)}: ${fmt.overdueAge(d)}`).join("; ") : null],
      ["Behandelaar", c.assignee_name || c.assignee || "niemand"],
      ["Regie", c.coordinator],
      ["Gestart", fmt.dateTime(c.started_at)],
    ]),
    section("deadlines", "Termijnen", c.deadlines.length
      ? c.deadlines.map((d) => deadline(d, c[LANG]))
      : h("p", { class: "empty" }, "Er loopt geen termijn in deze stand.")),
    passed.length ? section("passed", "Verstreken termijnen", passedTable(passed)) : null,
    c.penalty ? section("penalty", "Dwangsom", penalty(c.penalty)) : null,
    c.guidance ? section("guidance", "Werkafspraak", guidance(c.guidance)) : null,
    actions(ctx, c, wf, st, people),
    whatIf(ctx.me, c, transitions[transitions.length - 1]),
    section("history", "Geschiedenis", table({
      caption: "Geschiedenis van de zaak, oudste eerst", empty: "Geen geschiedenis.",
      columns: [
        { label: "Moment", cell: (t) => fmt.dateTime(t.at) },
        { label: "Wat", cell: (t) => [fmt.cause(t.cause), t.event && t.cause !== "deadline" ? h("span", { class: "sub" }, titled(t, "event")) : null,
          t.cause === "deadline" && t.event ? h("span", { class: "sub" }, t.event_title || `termijn ${t.event}`) : null] },
        { label: "Stand", cell: (t) => (t.from && t.from !== t.to ? `${titled(t, "from")} → ${titled(t, "to")}` : titled(t, "to")) },
        { label: "Door", cell: (t) => t.actor_name || t.actor },
        { label: "Betreft", cell: (t) => t.team || (t.cause === "assign" ? t.assignee_name || t.assignee || "niemand" : "—") },
        { label: "Toelichting", cell: (t) => t.note || "—" },
        { label: "Grondslag", cell: (t) => (t.basis ? titled(t, "basis") : "—") },
      ],
      rows: transitions,
    })),
    section("participants", "Deelnemers", participants(c, wf)),
    section("notifications", "Meldingen", table({
      caption: "Meldingen die de ladders stuurden en wat ermee gebeurde, oudste eerst",
      empty: "Nog geen meldingen.",
      columns: [
        { label: "Moment", cell: (n) => fmt.dateTime(n.at) },
        { label: "Aan", cell: (n) => n.role_title || fmt.role(n.role) },
        { label: "Termijn", cell: (n) => n.deadline_title || n.deadline },
        { label: "Signaal", cell: (n) => (n.rung_title || fmt.rung(n.rung)) + (n.missed ? ` (${n.missed} gemist)` : "") },
        { label: "Bezorging", cell: delivery },
      ],
      rows: c.notifications,
    })));
}

// What the penalty for a late decision (Awb 4:17) has run up so far, its
// cap and its dates; termijnd derives the amount, the page only shows it.
function penalty(p) {
  return [
    p.title ? h("p", {}, p.title) : null,
    facts([
      ["Tot nu toe", `${fmt.euro(p.amount_cents)} (${fmt.count(p.days, "dag", "dagen")} van ten hoogste ${p.max_days})`],
      ["Ten hoogste", fmt.euro(p.max_amount_cents)],
      ["Loopt nog", p.running ? "ja" : "nee"],
      ["Eerste dwangsomdag", fmt.date(p.first_day)],
      ["Laatst mogelijke dag", fmt.date(p.last_possible_day)],
      ["Laatste verschuldigde dag", p.last_day ? fmt.date(p.last_day) : null],
      ["Bedrag vaststellen uiterlijk", p.fix_by ? `${fmt.date(p.fix_by)} (Awb 4:18)` : null],
    ]),
    table({
      caption: "Bedrag per dag en het totaal aan het eind van elke periode",
      empty: "Geen bedragen.",
      columns: [
        { label: "Dagen", cell: (t) => String(t.days) },
        { label: "Per dag", cell: (t) => fmt.euro(t.per_day_cents) },
        { label: "Tot en met", cell: (t) => fmt.date(t.through) },
        { label: "Totaal dan", cell: (t) => t.amount_through.replace(".", ",") },
      ],
      rows: p.tiers,
    }),
  ];
}

// A case that should have brought a team in and found none: said first,
// since nobody else heard of it through termijn.
function unrouted(c) {
  if (!c.unrouted || c.unrouted.length === 0) return null;
  const names = c.unrouted.map((f) => (c.function_titles && c.function_titles[f]) || f);
  const shared = (c.participants || []).map((p) => p.team);
  return h("div", { class: "error", role: "alert", id: "unrouted" },
    h("p", {}, `Geen team voor ${names.join(" en ")} gekoppeld: de beheerder heeft voor team `
      + `${c.team} geen team ingesteld dat dit doet, dus bracht stand ${titled(c, "state")} niemand bij de zaak. `
      + "Zodra de beheerder een team koppelt (termijnctl team route), komt dat team bij de zaak."),
    shared.length ? h("p", {}, `Met de hand gedeeld met: ${shared.join(", ")}.`) : null);
}

// What became of a notification: a line per team it went to (sent, waiting
// for its next attempt, failed), and the teams it did not go to because
// they have no webhook for the role.  libcurl's errors are English.
function delivery(n) {
  if (!n.deliveries) return "—";
  const lines = n.deliveries.map((d) => {
    const tries = fmt.count(d.attempts, "poging", "pogingen");
    const error = d.last_error ? h("span", { lang: "en" }, d.last_error) : null;
    switch (d.status) {
      case "delivered":
        return `verzonden aan team ${d.team} op ${fmt.dateTime(d.delivered_at)}`;
      case "pending":
        return [`wacht: volgende poging ${fmt.dateTime(d.next_at)} (team ${d.team}`,
          d.attempts ? [`; ${tries} mislukt`, error ? [", laatste fout: ", error] : null] : null, ")"];
      case "dead":
        return ["mislukt: ", error || "onbekende fout", ` (team ${d.team}, ${tries})`];
      default:
        return `${d.status} (team ${d.team})`;
    }
  });
  if (n.not_sent) {
    const teams = n.not_sent.teams;
    const names = teams.length > 1
      ? `teams ${teams.slice(0, -1).join(", ")} en ${teams[teams.length - 1]}` : `team ${teams[0]}`;
    lines.push(`niet verzonden: geen webhook voor ${names}`);
  }
  return lines.length ? h("ul", { class: "deliveries" }, lines.map((l) => h("li", {}, l))) : "—";
}

// "Dilemma: ... Afspraak: ... Wie beslist: ..." as three labelled paragraphs.
function guidance(text) {
  const parts = text.split(/(Dilemma:|Afspraak:|Wie beslist:)/).map((s) => s.trim()).filter(Boolean);
  const out = [];
  for (let i = 0; i < parts.length; i++) {
    if (/:$/.test(parts[i]) && i + 1 < parts.length) {
      out.push(h("p", {}, h("strong", {}, parts[i]), " ", parts[i + 1]));
      i++;
    } else out.push(h("p", {}, parts[i]));
  }
  return h("div", { class: "guidance" }, out);
}

function deadlineStatus(d) {
  if (!d.running) return "opgeschort";
  if (d.overdue) return "te laat";
  return d.passed ? "verstreken" : "lopend";
}

// When a deadline passed: "vandaag verstreken" on the day it is late from
// (as the overview says it), else the day of its moment.
function passedWhen(d) {
  return d.overdue && d.overdue_days === 0 ? "vandaag verstreken" : `op ${fmt.date(d.overdue_from)} verstreken`;
}

// What followed when a deadline passed.
function followed(d) {
  if (d.overdue && !d.escalated_to) return `de zaak wacht er nog op in stand ${titled(d, "state")}`;
  if (d.then) return `de zaak ging naar ${titled(d, "then")}`;
  return d.state ? `de zaak bleef in stand ${titled(d, "state")}` : "een termijn van de zaak; alleen zijn signalen volgden";
}

// Every deadline of the case that passed, oldest first: when, what
// followed, and whether the case still waits on it (late).
function passedTable(passed) {
  return table({
    caption: "Verstreken termijnen, oudste eerst", empty: "",
    rowClass: (d) => (d.overdue ? "late" : null),
    columns: [
      { label: "Termijn", cell: (d) => [d.title || d.name, h("span", { class: "sub" }, fmt.kind(d.kind))] },
      { label: "Laatste dag", cell: (d) => fmt.due(d.due) },
      { label: "Wat volgde", cell: (d) => `${passedWhen(d)}; ${followed(d)}` },
      { label: "Te laat", cell: (d) => (d.overdue ? fmt.overdueAge(d) : d.state ? "nee: de zaak ging verder" : "nee") },
    ],
    rows: passed,
  });
}

function deadline(d, lang) {
  const status = deadlineStatus(d);
  let left;
  if (!d.running) left = `${fmt.duration(d.time_left_seconds)} (blijft bewaard)`;
  else if (d.overdue) left = fmt.overdueAge(d);
  else if (d.passed) left = passedWhen(d);
  else if (d.time_left_seconds <= 0) left = "verstrijkt nu";
  else left = fmt.duration(d.time_left_seconds);
  return h("article", { class: "deadline", "data-deadline": d.name, "aria-labelledby": `dl-${d.name}` },
    h("h3", { id: `dl-${d.name}` }, `${capital(deadlineName(d))} `, h("span", { class: `badge ${status.replace(" ", "-")}` }, status)),
    facts([
      ["Laatste dag", d.due ? fmt.due(d.due) : "— (opgeschort)"],
      ["Te laat vanaf", d.overdue_from ? fmt.dateTime(d.overdue_from) : null],
      [!d.running ? "Tijd die blijft" : d.overdue ? "Te laat" : d.passed ? "Verstreken" : "Tijd over", left],
      ["Opgeschort sinds", d.suspended_since ? fmt.dateTime(d.suspended_since) : null],
      ["Soort", fmt.kind(d.kind)],
      ["Periode", `${fmt.period(d.period, d.rule)} (${fmt.rule(d.rule)})`],
      ["Daarna", d.then ? `stand ${titled(d, "then")}` : null],
      ["Verlengingen", d.extensions.length ? d.extensions.join(", ") : "geen"],
    ]),
    h("h4", {}, "Hoe de datum is berekend"),
    h("ol", { class: "explanation", lang: lang || null }, d.explanation.map((line) => h("li", {}, line))),
    h("h4", {}, "Ladder"),
    table({
      caption: `Ladder van ${deadlineName(d)}`, empty: "Geen signalen.",
      columns: [
        { label: "Signaal", cell: (r) => (r.title || fmt.rung(r.name)) + (r.seq > 1 ? ` (${r.seq}e keer)` : "") },
        { label: "Moment", cell: (r) => fmt.dateTime(r.at) },
        { label: "Status", cell: (r) => (r.fired_at ? `verstuurd ${fmt.dateTime(r.fired_at)}${r.missed ? ` (${r.missed} gemist)` : ""}`
          : r.skipped ? "overgeslagen" : "wacht") },
      ],
      rows: d.rungs,
    }));
}

// A legal basis as people read it, with the article it rests on.
function basisText(wf, id, title) {
  const b = wf ? wf.bases.find((x) => x.id === id) : null;
  const name = title || (b && b.title) || id;
  return b ? `${name} (${b.article})` : name;
}

function participants(c, wf) {
  return [
    facts([["Eigenaar", c.team], ["Regie", c.coordinator]]),
    table({
      caption: "Teams die deelnemen of deelnamen", empty: "Geen andere teams nemen deel.",
      columns: [
        { label: "Team", cell: (p) => p.team },
        { label: "Grondslag", cell: (p) => basisText(wf, p.basis, p.basis_title) },
        { label: "Doel", cell: (p) => p.purpose || "—" },
        { label: "Sinds", cell: (p) => fmt.dateTime(p.since) },
        { label: "Tot", cell: (p) => (p.until ? fmt.dateTime(p.until) : "neemt deel") },
      ],
      rows: c.participants,
    }),
  ];
}

// The events of the case's state, as the workflow describes them, each
// with the title the case's version gives it.
function eventModels(c, st) {
  return c.accepts.map((name) => ({ ...((st && st.events.find((e) => e.name === name)) ||
    { name, action: "move", roles: [], reason: false, date: false }),
  title: (c.event_titles || {})[name] || null }));
}

function mayRecord(me, e) {
  return !e.roles || e.roles.length === 0 || e.roles.includes(me.role) || me.role === "admin";
}

// Suspending a deadline that is suspended, or resuming one that runs, is
// always refused: not offered.
function applies(c, e) {
  const d = c.deadlines.find((x) => x.name === e.deadline);
  if (e.action === "suspend") return !d || d.running;
  if (e.action === "resume") return !d || !d.running;
  return true;
}

function actions(ctx, c, wf, st, people) {
  if (!acts(ctx.me)) {
    return section("actions", "Acties", h("p", {}, `Met de rol ${fmt.role(ctx.me.role)} kunt u deze zaak alleen inzien.`));
  }
  if (c.final) return section("actions", "Acties", h("p", {}, "Deze zaak is afgesloten."));
  const events = eventModels(c, st).filter((e) => mayRecord(ctx.me, e) && applies(c, e));
  const record = events.filter((e) => e.action !== "extend");
  const extend = events.filter((e) => e.action === "extend");
  return section("actions", "Acties",
    record.length ? eventForm(ctx, c, wf, record) : h("p", {}, "Uw rol kan in deze stand geen gebeurtenis vastleggen."),
    extend.map((e) => extendForm(ctx, c, e)),
    assignForm(ctx, c, people));
}

// A form whose submit posts and, when termijnd accepts, shows the case anew.
// A form for one action.  confirm(), when given, says what the action
// sets in motion that cannot simply be taken back; the form then asks
// first, naming it, and sends only when the person confirms.
function actionForm(label, fields, submit, send, confirm) {
  const errors = h("div", {});
  const button = h("button", { type: "submit", class: "button" }, submit);
  const asking = h("div", {});
  const form = h("form", { class: "action", novalidate: true, "aria-label": label }, fields, errors, asking, button);
  async function go() {
    button.disabled = true;
    busy(form, true);
    try {
      await send();
    } catch (err) {
      errors.replaceChildren(problem(err, "termijnd weigerde dit:"));
      button.disabled = false;
      busy(form, false);
      button.focus();
    }
  }
  form.addEventListener("input", () => asking.replaceChildren());
  form.addEventListener("change", () => asking.replaceChildren());
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    asking.replaceChildren();
    const missing = [...form.querySelectorAll("[required]")].find((el) => !el.disabled && !el.value.trim());
    if (missing) {
      const name = form.querySelector(`label[for="${missing.id}"]`).firstChild.textContent;
      errors.replaceChildren(h("div", { class: "error", role: "alert" }, h("p", {}, `Vul '${name}' in.`)));
      missing.focus();
      return;
    }
    const what = confirm ? confirm() : null;
    if (!what) return go();
    const yes = h("button", { type: "button", class: "button" }, "Ja, vastleggen");
    const no = h("button", { type: "button", class: "button secondary" }, "Annuleren");
    yes.addEventListener("click", () => { asking.replaceChildren(); go(); });
    no.addEventListener("click", () => { asking.replaceChildren(); button.focus(); });
    asking.replaceChildren(h("div", { class: "confirm", role: "alertdialog", "aria-label": "Bevestigen" },
      h("p", {}, what), h("p", {}, "Weet u het zeker?"), yes, " ", no));
    yes.focus();
  });
  return form;
}

// What an event sets in motion that a person should confirm: the case is
// closed, or another team gets it (in its queue when the state is one), or
// facts are shared with another team.  null when nothing of that follows.
function consequences(wf, e) {
  const to = e.to ? wf.states.find((s) => s.name === e.to) : null;
  const said = [];
  if (to && to.final) said.push("de zaak wordt gesloten");
  const titles = [...new Set([...(e.joins || []), ...((to && to.joins) || [])].map((j) => j.title || j.function))];
  for (const t of titles) said.push(`${t} krijgt de zaak${to && to.queue ? " in de werkvoorraad" : ""}`);
  if (!titles.length && (e.shares || []).length) said.push("gegevens worden gedeeld met een ander team, op de gekozen grondslag");
  if (!said.length) return null;
  const text = said.join("; ");
  return `Let op: ${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function eventForm(ctx, c, wf, events) {
  // Nothing chosen at first: a person picks the event, never a default.
  const select = h("select", { name: "event", required: true }, h("option", { value: "" }, "Kies een gebeurtenis"),
    events.map((e) => h("option", { value: e.name }, eventLabel(c, wf, e))));
  const note = h("textarea", { name: "note", rows: 3, maxlength: 1024 });
  const date = h("input", { type: "date", name: "date" });
  const basis = h("select", { name: "basis" });
  const noteField = field("event-note", "Toelichting", note, "Wordt alleen in termijn bewaard, nooit in meldingen of logboeken.");
  const dateField = field("event-date", "Datum waarop het gebeurde", date);
  const basisField = field("event-basis", "Grondslag om te delen", basis,
    "Deze stap deelt gegevens met een ander team: kies de wettelijke grondslag.");
  const chosen = () => events.find((e) => e.name === select.value);
  function update() {
    const e = chosen() || {};
    // A field becomes required by its label too: rebuild the label's marker.
    setRequired(noteField, note, !!e.reason, true);
    setRequired(dateField, date, !!e.date, !!e.date);
    const shares = e.shares || [];
    basis.replaceChildren(h("option", { value: "" }, "Kies een grondslag"),
      ...shares.map((id) => h("option", { value: id }, basisText(wf, id))));
    setRequired(basisField, basis, shares.length > 0, shares.length > 0);
  }
  select.addEventListener("change", update);
  const form = actionForm("Gebeurtenis vastleggen",
    [h("h3", {}, "Gebeurtenis vastleggen"), field("event-name", "Gebeurtenis", select), noteField, dateField, basisField],
    "Vastleggen", async () => {
      const e = chosen();
      const body = { event: e.name };
      if (note.value.trim()) body.note = note.value.trim();
      if (e.date && date.value) body.date = date.value;
      if (basis.value && !basis.disabled) body.basis = basis.value;
      const after = await api(`/v1/cases/${c.id}/events`, { method: "POST", body });
      await reload(ctx, `Gebeurtenis ${e.title || e.name} is vastgelegd. De zaak staat nu in stand ${titled(after, "state")}.`);
    }, () => consequences(wf, chosen()));
  update();
  return form;
}

// An event to choose: its title with its name beside it, which is what
// the case system or termijnctl records it by, and what it does.
function eventLabel(c, wf, e) {
  const name = e.title ? `${e.title} (${e.name})` : e.name;
  const d = c.deadlines.find((x) => x.name === e.deadline);
  const dl = d ? deadlineName(d) : `termijn ${e.deadline}`;
  const to = e.to && wf ? wf.states.find((s) => s.name === e.to) : null;
  switch (e.action) {
    case "suspend": return `${name}: schort ${dl} op`;
    case "resume": return `${name}: laat ${dl} weer lopen`;
    default: return e.to ? `${name}: naar stand ${(to && to.title) || e.to}` : name;
  }
}

// Show or hide a field; a required one says so in its label.
function setRequired(wrap, control, required, shown) {
  wrap.hidden = !shown;
  control.disabled = !shown;
  control.required = required;
  const label = wrap.querySelector("label");
  label.querySelector(".req")?.remove();
  if (required) label.append(h("span", { class: "req" }, " (verplicht)"));
}

function extendForm(ctx, c, e) {
  const d = c.deadlines.find((x) => x.name === e.deadline);
  const used = d ? d.extensions.length : 0;
  const reason = h("textarea", { name: "note", rows: 3, maxlength: 1024, required: !!e.reason });
  const id = `extend-${e.name}`;
  const what = capital(d ? deadlineName(d) : `termijn ${e.deadline}`);
  return actionForm(`${what} verlengen`, [
    h("h3", {}, `${what} verlengen`),
    h("p", {}, e.by ? `Met ${fmt.period(e.by)}; dat kan ${e.max} keer per zaak${used ? ` en gebeurde al ${used} keer` : ""}.` : ""),
    field(`${id}-reason`, "Reden", reason, e.reason ? "De reden die de betrokkene te horen krijgt." : null),
  ], "Verlengen", async () => {
    const body = { event: e.name };
    if (reason.value.trim()) body.note = reason.value.trim();
    const after = await api(`/v1/cases/${c.id}/events`, { method: "POST", body });
    const nd = after.deadlines.find((x) => x.name === e.deadline);
    await reload(ctx, `${what} is verlengd${nd && nd.due ? ` tot ${fmt.due(nd.due)}` : ""}.`);
  });
}

function assignForm(ctx, c, people) {
  const me = ctx.me.name;
  const assign = async (assignee, note) => {
    const body = { assignee };
    if (note) body.note = note;
    await api(`/v1/cases/${c.id}/assign`, { method: "POST", body });
  };
  const forms = [h("h3", {}, "Behandelaar"),
    h("p", {}, c.assignee ? `Deze zaak is toegewezen aan ${c.assignee === me ? "u" : c.assignee_name || c.assignee}.` : "Niemand behandelt deze zaak nog.")];
  if (c.assignee !== me) {
    forms.push(actionForm("Oppakken", [], "Oppakken (aan mij toewijzen)", async () => {
      await assign(me);
      await reload(ctx, `Zaak ${c.reference} is aan u toegewezen.`);
    }));
  }
  forms.push(assignOther(ctx, c, people, assign));
  if (c.assignee) {
    forms.push(actionForm("Vrijgeven", [], "Vrijgeven (niemand toegewezen)", async () => {
      await assign(null);
      await reload(ctx, `Zaak ${c.reference} is vrijgegeven.`);
    }));
  }
  return h("div", { class: "assign" }, forms);
}

// Giving the case to a colleague, chosen by name from the people of the
// teams the signed-in person shares with the case.  When that list could
// not be had, or holds nobody else, the page says so instead of offering
// an empty choice.
function assignOther(ctx, c, { people, error }, assign) {
  const title = h("h4", {}, "Toewijzen aan een collega");
  if (error) {
    return h("div", { class: "notice", id: "assign-people" }, title,
      h("p", {}, error.status === 403
        ? "U mag de mensen van uw team niet opvragen, en kunt deze zaak daarom niet aan een collega toewijzen."
        : "De lijst met collega's kon niet laden; u kunt deze zaak nu niet aan een collega toewijzen."),
      h("p", { class: "detail", lang: error.status ? "en" : null }, error.detail || String(error)));
  }
  const others = people.filter((p) => p.name !== ctx.me.name && p.name !== c.assignee);
  if (others.length === 0) {
    return h("div", { class: "notice", id: "assign-people" }, title,
      h("p", {}, "Er is niemand anders in uw team aan wie u deze zaak kunt toewijzen."));
  }
  // Nothing chosen at first: a person picks the colleague, never a default.
  const who = h("select", { name: "assignee", required: true }, h("option", { value: "" }, "Kies een collega"),
    others.map((p) => h("option", { value: p.name }, `${p.label}, ${fmt.role(p.role)}`)));
  const note = h("input", { type: "text", name: "note", maxlength: 1024 });
  return actionForm("Toewijzen aan een collega", [
    title,
    field("assign-to", "Collega", who),
    field("assign-note", "Toelichting", note),
  ], "Toewijzen", async () => {
    const chosen = others.find((p) => p.name === who.value);
    await assign(chosen.name, note.value.trim());
    await reload(ctx, `Zaak ${c.reference} is toegewezen aan ${chosen.label}.`);
  });
}
