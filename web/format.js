// termijn dashboard: dates, periods and names in Dutch.
//
// Dates are written as people here write them ("di 17 feb 2026"), with our
// own names of days and months rather than the browser's, so that every
// browser shows the same.  A legal deadline is a date (YYYY-MM-DD) and is
// shown as that date; an instant is shown in Europe/Amsterdam, whatever
// zone the browser is in.

const DAYS = ["zo", "ma", "di", "wo", "do", "vr", "za"];
const MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const ZONE = "Europe/Amsterdam";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE, year: "numeric", month: "numeric", day: "numeric",
  hour: "numeric", minute: "numeric", hourCycle: "h23",
});

function dayText(y, m, d) {
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${DAYS[wd]} ${d} ${MONTHS[m - 1]} ${y}`;
}

// "2026-02-17" -> "di 17 feb 2026"; a timestamp -> its day in Amsterdam.
export function date(text) {
  if (text === null || text === undefined) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return dayText(+m[1], +m[2], +m[3]);
  const p = amsterdam(text);
  return p ? dayText(p.year, p.month, p.day) : text;
}

// A timestamp -> "di 17 feb 2026 00:00" in Amsterdam.
export function dateTime(text) {
  if (text === null || text === undefined) return "—";
  const p = amsterdam(text);
  if (!p) return date(text);
  const hh = String(p.hour).padStart(2, "0");
  const mm = String(p.minute).padStart(2, "0");
  return `${dayText(p.year, p.month, p.day)} ${hh}:${mm}`;
}

// A due value: a date for day deadlines, a timestamp for deadlines in hours.
export function due(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text || "") ? date(text) : dateTime(text);
}

// Today's date in Amsterdam, "2026-03-17", by the browser's clock.
export function today() {
  const p = amsterdam(new Date().toISOString());
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

// A month of the report, "2026-03" -> "mrt 2026".
export function month(text) {
  const m = /^(\d{4})-(\d{2})$/.exec(text || "");
  return m ? `${MONTHS[+m[2] - 1]} ${m[1]}` : text;
}

// An amount in euro cents as people read it: "€ 1.442,00".
export function euro(cents) {
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `€ ${whole},${String(cents % 100).padStart(2, "0")}`;
}

// A figure termijnd rounded to two decimals, with a decimal comma: "4,5".
export function decimal(x) {
  return String(Math.round(x * 100) / 100).replace(".", ",");
}

function amsterdam(text) {
  const t = Date.parse(text);
  if (Number.isNaN(t)) return null;
  const out = {};
  for (const p of parts.formatToParts(new Date(t))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return out;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// 1 -> "1 poging", 3 -> "3 pogingen".
export const count = plural;

// Seconds -> "3 dagen en 4 uur", "5 uur", "minder dan een uur".
export function duration(seconds) {
  const s = Math.abs(Math.trunc(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  if (days === 0 && hours === 0) return "minder dan een uur";
  if (days === 0) return plural(hours, "uur", "uur");
  if (hours === 0) return plural(days, "dag", "dagen");
  return `${plural(days, "dag", "dagen")} en ${plural(hours, "uur", "uur")}`;
}

// How late an overdue deadline is, as termijnd counts it, in the overview
// and on the case page alike: on the day it passed "vandaag verstreken"
// (termijnd counts 0 days), then calendar days and, for day deadlines,
// working days; days and hours for a deadline in hours.
export function overdueAge(item) {
  if (item.overdue_days === 0) return "vandaag verstreken";
  if (item.overdue_working_days === null || item.overdue_working_days === undefined) {
    return duration(item.overdue_seconds);
  }
  return `${plural(item.overdue_days, "dag", "dagen")} (${plural(item.overdue_working_days, "werkdag", "werkdagen")})`;
}

const UNITS = {
  Y: ["jaar", "jaar"], M: ["maand", "maanden"], W: ["week", "weken"], D: ["dag", "dagen"],
};

// "P6W" -> "6 weken"; "P5D" with rule working_days -> "5 werkdagen"; "PT48H" -> "48 uur".
export function period(text, rule) {
  const m = /^P(?:(\d+)([YMWD]))?(?:T(\d+)H)?$/.exec(text || "");
  if (!m) return text || "—";
  if (m[3]) return plural(+m[3], "uur", "uur");
  const n = +m[1];
  if (m[2] === "D" && rule === "working_days") return plural(n, "werkdag", "werkdagen");
  return plural(n, UNITS[m[2]][0], UNITS[m[2]][1]);
}

// A rung of a deadline's ladder: "before_P1W" -> "herinnering 1 week vooraf".
export function rung(name) {
  if (name === "due") return "termijn verstrijkt";
  const m = /^(before|after)_(P\w+)$/.exec(name);
  if (!m) return name;
  return m[1] === "before" ? `herinnering ${period(m[2])} vooraf` : `opvolging ${period(m[2])} na`;
}

const KINDS = {
  agreement: "afspraak", statutory: "wettelijke termijn", decision: "beslistermijn",
  service_norm: "servicenorm",
};
const RULES = {
  plain: "kalenderdagen", atw: "Algemene termijnenwet", working_days: "werkdagen",
  hours: "uren", backward: "teruggerekend",
};
const CAUSES = {
  create: "zaak aangemaakt", event: "gebeurtenis", deadline: "termijn verstreken",
  share: "deelname", unshare: "deelname beëindigd", coordinate: "regie overgedragen",
  assign: "toewijzing",
};
const ROLES = {
  caseworker: "consulent", youth_worker: "jeugdhulpverlener", enforcement: "handhaver",
  supervisor: "leidinggevende", reader: "meelezer", admin: "beheerder", system: "systeem",
  feed: "agendafeed",
};

export const kind = (k) => KINDS[k] || k;
export const rule = (r) => RULES[r] || r;
export const cause = (c) => CAUSES[c] || c;
export const role = (r) => ROLES[r] || r;
