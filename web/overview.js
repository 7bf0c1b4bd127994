// termijn dashboard: the supervisor's overview of the teams the token has:
// counts (GET /v1/summary), what is overdue (GET /v1/overdue, most overdue
// first), at risk within 5 days and suspended (GET /v1/at-risk).  Workflows,
// states, deadlines and the functions a case waits on a team for by the
// titles their workflows give them, else by their names; people by name.

import { api, query } from "./api.js";
import { h, place, show, section, table, problem, caseLink, announce, busy, field, load } from "./ui.js";
import * as fmt from "./format.js";

const WITHIN = "P5D";
const PAGE = 50;
const RISK_PAGE = 200;

// The team filter, shared with the queue: a form, so that nothing changes
// before the person asks for it.
export function teamFilter(ctx, base, team) {
  if (ctx.me.teams.length < 2) return null;
  const select = h("select", { name: "team" },
    h("option", { value: "" }, "Alle teams"),
    ctx.me.teams.map((t) => h("option", { value: t, selected: t === team }, t)));
  return h("form", { class: "filter", onsubmit: (ev) => {
    ev.preventDefault();
    ctx.go(base + query({ team: select.value }));
  } }, field("team-filter", "Team", select), h("button", { type: "submit", class: "button secondary" }, "Toon"));
}

export function noTeams(ctx) {
  return ctx.me.teams.length === 0
    ? h("p", { class: "notice" }, "Dit token hoort bij geen team en ziet daarom geen zaken.") : null;
}

function deadlineCell(item) {
  return [item.deadline_title || item.deadline, h("span", { class: "sub" }, fmt.kind(item.kind))];
}

const CASE = { label: "Zaak", cell: (r) => caseLink(r.case, r.reference) };
const TEAM = { label: "Team", cell: (r) => r.team };
export const WORKFLOW = { label: "Werkproces", cell: (r) => r.workflow_title || r.workflow };
// A case that should have brought a team in and found none says so
// wherever it is listed.
export const unroutedBadge = (r) => (r.unrouted && r.unrouted.length
  ? h("span", { class: "sub unrouted" },
    `geen team voor ${r.unrouted.map((f) => (r.function_titles && r.function_titles[f]) || f).join(", ")}`) : null);
export const STATE = { label: "Stand", cell: (r) => [r.state_title || r.state, unroutedBadge(r)] };
const DEADLINE = { label: "Termijn", cell: deadlineCell };
// A person by name (assignee_name), never by the token's name.
export const ASSIGNEE = { label: "Behandelaar", cell: (r) => r.assignee_name || r.assignee || "niemand" };
// What a late decision costs so far (Awb 4:17): a column only where a
// listed case runs up a penalty; termijnd derives the amount.
const PENALTY = { label: "Dwangsom", cell: (r) => (r.penalty
  ? `${fmt.euro(r.penalty.amount_cents)} (${fmt.count(r.penalty.days, "dag", "dagen")})` : "—") };
export function withPenalty(columns, rows) {
  return rows.some((r) => r.penalty) ? [...columns, PENALTY] : columns;
}

// Totals, and per team: each of the token's teams (none may have a case),
// and the teams owning cases the token's teams take part in.
function counts(rows, own) {
  const total = { overdue: 0, at_risk: 0, suspended: 0, running: 0 };
  const teams = new Map(own.map((t) => [t, { team: t, overdue: 0, at_risk: 0, suspended: 0, running: 0 }]));
  for (const r of rows) {
    if (!teams.has(r.team)) teams.set(r.team, { team: r.team, overdue: 0, at_risk: 0, suspended: 0, running: 0 });
    for (const k of Object.keys(total)) {
      total[k] += r[k];
      teams.get(r.team)[k] += r[k];
    }
  }
  return { total, teams: [...teams.values()] };
}

const COUNTS = [
  ["overdue", "te laat"], ["at_risk", "binnen 5 dagen"], ["suspended", "opgeschort"],
  ["running", "lopend"],
];

function summarySection(summary, own) {
  const { total, teams } = counts(summary.summary, own);
  const num = (k) => ({ label: COUNTS.find((c) => c[0] === k)[1].replace(/^./, (c) => c.toUpperCase()), cell: (r) => String(r[k]) });
  return section("counts", "Aantallen",
    h("ul", { class: "counts" }, COUNTS.map(([k, label]) =>
      h("li", { class: `count ${k}`, id: `count-${k}` },
        h("span", { class: "n" }, String(total[k])), " ", h("span", { class: "what" }, label)))),
    h("p", { class: "hint" }, "Termijnen die lopen, per stand. 'Binnen 5 dagen': lopende termijnen waarvan de laatste dag vandaag is of uiterlijk over 5 dagen; een termijn in uren als hij binnen 5 dagen verstrijkt."),
    teams.length > 1 ? h("h3", {}, "Per team") : null,
    teams.length > 1 ? h("p", { class: "hint" }, "Een zaak telt bij het team dat haar heeft, ook als andere teams deelnemen.") : null,
    teams.length > 1 ? table({
      caption: "Aantallen per team", empty: "",
      columns: [{ label: "Team", cell: (r) => r.team }, num("overdue"), num("at_risk"), num("suspended"), num("running")],
      rows: teams,
    }) : null,
    summary.summary.length ? h("details", { class: "more" },
      h("summary", {}, "Per werkproces, stand en soort termijn"),
      table({
        caption: "Aantallen per team, werkproces, stand en soort termijn", empty: "",
        columns: [{ label: "Team", cell: (r) => r.team }, WORKFLOW, STATE,
          { label: "Soort", cell: (r) => fmt.kind(r.kind) },
          num("overdue"), num("at_risk"), num("suspended"), num("running")],
        rows: summary.summary,
      })) : null);
}

function overdueTable(items) {
  return table({
    caption: "Termijnen die verstreken zijn, langst verstreken eerst", empty: "Niets is te laat.",
    rowClass: () => "late",
    columns: withPenalty([CASE, TEAM, WORKFLOW, STATE, DEADLINE,
      { label: "Laatste dag", cell: (r) => fmt.due(r.due) },
      { label: "Te laat", cell: (r) => fmt.overdueAge(r) },
      ASSIGNEE], items),
    rows: items,
  });
}

function overdueSection(ctx, first, team) {
  const items = [...first.overdue];
  let cursor = first.next_cursor;
  const holder = h("div", {}, overdueTable(items));
  const more = h("button", { type: "button", class: "button secondary", hidden: !cursor }, "Meer tonen");
  more.addEventListener("click", async () => {
    busy(holder, true);
    more.disabled = true;
    try {
      const next = await api("/v1/overdue" + query({ team, limit: PAGE, cursor }));
      const start = items.length;
      items.push(...next.overdue);
      cursor = next.next_cursor;
      holder.replaceChildren(overdueTable(items));
      more.hidden = !cursor;
      announce(`${next.overdue.length} meer getoond.`);
      const links = holder.querySelectorAll("tbody a");
      if (links[start]) links[start].focus();
    } catch (err) {
      holder.append(problem(err, "Meer laden lukte niet."));
    } finally {
      more.disabled = false;
      busy(holder, false);
    }
  });
  return section("overdue", "Te laat",
    h("p", { class: "hint" }, "Een termijn is te laat als hij verstreken is en de zaak er nog op wacht: in de stand waar de termijn haar heen bracht, of in de stand van de termijn zelf. Zo telt hij ook op de pagina van de zaak, in de aantallen, de CSV en de agenda."),
    holder, more);
}

function riskTable(items) {
  return table({
    caption: "Lopende termijnen die binnen 5 dagen verstrijken, eerst verstrijkend eerst",
    empty: "Geen termijn verstrijkt binnen 5 dagen.",
    columns: [CASE, TEAM, WORKFLOW, STATE, DEADLINE,
      { label: "Laatste dag", cell: (r) => fmt.due(r.due) },
      { label: "Tijd over", cell: (r) => fmt.duration(r.time_left_seconds) }, ASSIGNEE],
    rows: items,
  });
}

function suspendedTable(items, later) {
  return table({
    caption: "Opgeschorte termijnen",
    empty: later ? "De opgeschorte termijnen volgen na die binnen 5 dagen: kies daar 'Meer tonen'."
      : "Geen termijn is opgeschort.",
    columns: [CASE, TEAM, WORKFLOW, STATE, DEADLINE,
      { label: "Opgeschort sinds", cell: (r) => fmt.dateTime(r.suspended_since) },
      { label: "Tijd die blijft", cell: (r) => fmt.duration(r.time_left_seconds) }, ASSIGNEE],
    rows: items,
  });
}

// At risk and suspended: GET /v1/at-risk pages them as one list, the
// deadlines at risk first, so that the more there is to show sits under
// the list that goes on (the suspended ones come once those at risk are
// all shown).  Each section says when it shows only the first ones.
function riskSections(ctx, first, team) {
  const risk = [...first.at_risk];
  const suspended = [...first.suspended];
  let cursor = first.next_cursor;
  const riskHolder = h("div", {});
  const suspendedHolder = h("div", {});
  const more = h("button", { type: "button", class: "button secondary" }, "Meer tonen");
  const notice = h("p", { class: "notice", id: "risk-more" });
  const moreBox = h("div", { class: "more-box" }, notice, more,
    h("p", { class: "hint" }, "Alles in één lijst: termijnctl at-risk --all."));
  const render = () => {
    const inRisk = suspended.length === 0;
    const shown = inRisk ? risk.length : suspended.length;
    notice.textContent = inRisk
      ? `Er zijn meer dan ${shown} termijnen die binnen 5 dagen verstrijken of opgeschort zijn; hier staan de eerste ${shown}.`
      : `Meer dan ${shown} termijnen zijn opgeschort; hier staan de eerste ${shown}.`;
    riskHolder.replaceChildren(riskTable(risk));
    suspendedHolder.replaceChildren(suspendedTable(suspended, cursor && inRisk));
    moreBox.hidden = !cursor;
    (inRisk ? riskHolder : suspendedHolder).append(moreBox);
  };
  more.addEventListener("click", async () => {
    const holder = suspended.length === 0 ? riskHolder : suspendedHolder;
    busy(holder, true);
    more.disabled = true;
    try {
      const next = await api("/v1/at-risk" + query({ team, within: WITHIN, limit: RISK_PAGE, cursor }));
      const start = [risk.length, suspended.length];
      risk.push(...next.at_risk);
      suspended.push(...next.suspended);
      cursor = next.next_cursor;
      render();
      announce(`${next.at_risk.length + next.suspended.length} meer getoond.`);
      const goTo = next.at_risk.length
        ? riskHolder.querySelectorAll("tbody a")[start[0]]
        : suspendedHolder.querySelectorAll("tbody a")[start[1]];
      if (goTo) goTo.focus();
    } catch (err) {
      holder.append(problem(err, "Meer laden lukte niet."));
    } finally {
      more.disabled = false;
      busy(holder, false);
    }
  });
  render();
  return [section("at-risk", "Binnen 5 dagen", riskHolder), section("suspended", "Opgeschort", suspendedHolder)];
}

export async function overview(ctx) {
  const team = ctx.params.get("team") || "";
  const refresh = h("button", { type: "button", class: "button secondary", onclick: async () => {
    await ctx.again();
    document.getElementById("refresh")?.focus();
    announce("Het overzicht is bijgewerkt.");
  }, id: "refresh" }, "Vernieuwen");
  const main = show("Overzicht", noTeams(ctx),
    h("div", { class: "toolbar" }, teamFilter(ctx, "#/", team), refresh),
    h("p", { class: "loading" }, "Laden…"));
  const data = await load(ctx, main, () => Promise.all([
    api("/v1/summary" + query({ team, within: WITHIN })),
    api("/v1/overdue" + query({ team, limit: PAGE })),
    api("/v1/at-risk" + query({ team, within: WITHIN, limit: RISK_PAGE })),
  ]), () => "Het overzicht kon niet laden.");
  if (data === null) return;
  const [summary, overdue, risk] = data;
  place(main.querySelector(".loading"),
    summarySection(summary, team ? [team] : ctx.me.teams),
    overdueSection(ctx, overdue, team),
    ...riskSections(ctx, risk, team));
  busy(main, false);
}
