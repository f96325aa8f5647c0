// dugnad classroom page. No libraries: the sliders become `--set` style overrides, the server
// runs both designs on the same seed, and the charts are plain SVG drawn here. Every word on the
// page comes from the catalogue's [page] table (/api/strings?lang=..), looked up by key with t().
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- words

let STR = {};
// The page string `key` in the current language, with {name} placeholders filled from `vars`.
function t(key, vars) {
  let s = STR[key];
  if (s === undefined) s = key;
  if (vars) for (const k in vars) s = s.split(`{${k}}`).join(typeof vars[k] === "number" ? num(String(vars[k])) : String(vars[k]));
  return s;
}
async function loadStrings(lang) {
  const res = await fetch("/api/strings" + (lang ? `?lang=${encodeURIComponent(lang)}` : ""));
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  STR = data.strings;
  state.lang = data.lang;
  state.languages = data.languages;
  document.documentElement.lang = data.lang;
  document.body.dataset.lang = data.lang;
  return data;
}
// The static words of index.html: elements with data-t (text), data-t-title, data-t-aria.
function applyStaticStrings() {
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  for (const e of document.querySelectorAll("[data-t-title]")) e.title = t(e.dataset.tTitle);
  for (const e of document.querySelectorAll("[data-t-aria]")) e.setAttribute("aria-label", t(e.dataset.tAria));
  document.title = t("page_title");
}
// Role words, by the engine's role names.
function roleWord(role) {
  switch (role) {
    case "volunteer": return t("role_volunteer");
    case "staff": return t("role_staff");
    case "co-organizer": return t("role_co_organizer");
    default: return t("role_participant");
  }
}
// Whose figures a chart shows, in the page's language: the server sends a key and the values
// its words insert ({key: "hosts"}, {key: "newcomers_with", cell: "gender = woman"}), the words
// are the catalogue's whom_<key>.
function whomWord(w) {
  return t(`whom_${w.key}`, w);
}
// The classroom's own title and meaning of a charted indicator (the server's English otherwise).
function indicatorWords(ind) {
  switch (ind.key) {
    case "voice_parity": return [t("ind_voice_parity"), t("ind_voice_parity_meaning")];
    case "spoken_for_rate": return [t("ind_spoken_for_rate"), t("ind_spoken_for_rate_meaning")];
    case "dependency_help_share": return [t("ind_dependency_help_share"), t("ind_dependency_help_share_meaning")];
    case "mean_agency": return [t("ind_mean_agency"), t("ind_mean_agency_meaning")];
    case "bridging_tie_strength": return [t("ind_bridging_tie_strength"), t("ind_bridging_tie_strength_meaning")];
    case "founding_volunteers_retained": return [t("ind_founding_volunteers_retained"), t("ind_founding_volunteers_retained_meaning")];
    default: return [ind.title, ind.meaning];
  }
}

// The controls, in display order. `kind` says how a value becomes overrides.
const CONTROLS = [
  { group: () => t("group_design") },
  { id: "service_frame", label: () => t("ctl_service_frame"), hint: () => t("hint_service_frame"), kind: "activity", min: 0, max: 1, step: 0.05 },
  { id: "co_design", label: () => t("ctl_co_design"), hint: () => t("hint_co_design"), kind: "activity", min: 0, max: 1, step: 0.05 },
  { id: "facilitation", label: () => t("ctl_facilitation"), hint: () => t("hint_facilitation"), kind: "activity", min: 0, max: 1, step: 0.05 },
  { id: "pathway", label: () => t("ctl_pathway"), hint: () => t("hint_pathway"), kind: "bool" },
  { id: "group_size", label: () => t("ctl_group_size"), hint: () => t("hint_group_size"), kind: "size", min: 3, max: 40, step: 1 },
  { id: "ratio", label: () => t("ctl_ratio"), hint: () => t("hint_ratio"), kind: "size", min: 0.2, max: 12, step: 0.1 },
  { group: () => t("group_people") },
  { id: "need_to_help", label: () => t("ctl_need_to_help"), hint: () => t("hint_need_to_help"), kind: "trait", who: "volunteers", min: 0, max: 1, step: 0.05 },
  { id: "protectiveness", label: () => t("ctl_protectiveness"), hint: () => t("hint_protectiveness"), kind: "trait", who: "volunteers", min: 0, max: 1, step: 0.05 },
  { id: "initiative", label: () => t("ctl_initiative"), hint: () => t("hint_initiative"), kind: "trait", who: "newcomers", min: 0, max: 1, step: 0.05 },
  { id: "language", label: () => t("ctl_language"), hint: () => t("hint_language"), kind: "trait", who: "newcomers", min: 0, max: 1, step: 0.05 },
  { id: "care_load", label: () => t("ctl_care_load"), hint: () => t("hint_care_load"), kind: "trait", who: "newcomers", min: 0, max: 1, step: 0.05 },
  { id: "stereotype", label: () => t("ctl_stereotype"), hint: () => t("hint_stereotype"), kind: "stereotype", min: 0, max: 1, step: 0.05 },
];

const state = {
  info: null,
  byName: {},
  d: { a: null, b: null },
  inflight: false,
  pending: false,
  updates: 0,
  lastMs: null,
  lastData: null,
  replayTimer: null,
  replaySeq: 0,
  lang: "en",
  languages: [],
  trace: null, // the last /api/trace answer
  steps: [], // the replay's steps, built from trace.events
  step: 0, // steps shown so far (0: the table before the first event)
  playing: null, // the play timer
  speed: 1,
  follow: null, // the name of the person followed
};
window.dugnad = state; // for the browser test and the curious

// ---------------------------------------------------------------- numbers

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
// A number as the scenario file writes it (overrides, downloads): always a decimal point.
const fmt = (x) => String(Number(x.toFixed(3)));
// A number written for people, in the page's language: a decimal comma in Norwegian.
const num = (s) => (state.lang === "nb" ? s.replace(/(\d)\.(\d)/g, "$1,$2") : s);
function show(x, digits) {
  if (x === null || x === undefined || !isFinite(x)) return "–";
  const d = digits !== undefined ? digits : Math.abs(x) < 0.1 && x !== 0 ? 3 : 2;
  return num(x.toFixed(d));
}
const signed = (x) => (x > 0 ? "+" : x < 0 ? "−" : "±") + show(Math.abs(x));

// ---------------------------------------------------------------- scenario → base values

// The activity a design runs: the chosen one of a scenario with several (municipality), else
// its only one.
function chosenActivity(info, key) {
  return info.activities.find((a) => a.key === key) || info.activities[0];
}
function firstActivityPops(info, key) {
  const keys = chosenActivity(info, key).populations;
  return info.populations.filter((p) => keys.includes(p.key));
}
function targetPops(info, who) {
  if (who === "volunteers") return info.populations.filter((p) => p.role === "volunteer");
  const newcomers = info.populations.filter((p) => p.newcomer);
  return newcomers.length ? newcomers : info.populations.filter((p) => p.role === "participant");
}
function weightedMean(pops, f) {
  let s = 0, n = 0;
  for (const p of pops) { const w = Math.max(p.count, 1); s += w * f(p); n += w; }
  return n ? s / n : NaN;
}
function sizes(info, key) {
  const pops = firstActivityPops(info, key);
  const sum = (role) => pops.filter((p) => p.role === role).reduce((s, p) => s + p.count, 0);
  return { staff: sum("staff"), volunteers: sum("volunteer"), participants: sum("participant") };
}
function baseValues(info, key) {
  const v = {};
  const acts = info.activities.length > 1 ? [chosenActivity(info, key)] : info.activities;
  for (const c of CONTROLS) {
    if (!c.id) continue;
    if (c.kind === "activity") v[c.id] = acts.reduce((s, a) => s + a[c.id], 0) / acts.length;
    else if (c.kind === "bool") v[c.id] = acts.some((a) => a[c.id]);
    else if (c.kind === "trait") {
      const pops = targetPops(info, c.who);
      v[c.id] = pops.length ? weightedMean(pops, (p) => p.traits[c.id].mean) : NaN;
    } else if (c.kind === "stereotype") {
      v[c.id] = info.stereotypes.length ? info.stereotypes.reduce((s, o) => s + o.prior, 0) / info.stereotypes.length : NaN;
    }
  }
  const z = sizes(info, key);
  v.group_size = z.staff + z.volunteers + z.participants;
  v.ratio = z.volunteers > 0 ? z.participants / z.volunteers : NaN;
  return v;
}
function newDesign(name, activity) {
  const info = state.byName[name];
  const key = chosenActivity(info, activity).key;
  const base = baseValues(info, key);
  return { scenario: name, activity: key, info, base, values: Object.assign({}, base) };
}

// ---------------------------------------------------------------- values → overrides

// Splits `total` over the populations in proportion to their counts (largest remainder), at
// least 1 each while there is enough to go round.
function apportion(pops, total) {
  const base = pops.reduce((s, p) => s + p.count, 0);
  if (!pops.length) return {};
  const out = {};
  if (base === 0) { pops.forEach((p, i) => (out[p.key] = i === 0 ? total : 0)); return out; }
  const raw = pops.map((p) => (p.count * total) / base);
  const fl = raw.map(Math.floor);
  let left = total - fl.reduce((s, x) => s + x, 0);
  const order = raw.map((x, i) => [x - fl[i], i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) { if (left <= 0) break; fl[i] += 1; left -= 1; }
  if (total >= pops.length) {
    for (let i = 0; i < fl.length; i++) {
      if (fl[i] === 0 && pops[i].count > 0) {
        const j = fl.indexOf(Math.max(...fl));
        if (fl[j] > 1) { fl[j] -= 1; fl[i] += 1; }
      }
    }
  }
  pops.forEach((p, i) => (out[p.key] = clamp(fl[i], 0, 60)));
  return out;
}

function sizeOverrides(d) {
  const info = d.info, v = d.values, b = d.base;
  if (v.group_size === b.group_size && (v.ratio === b.ratio || isNaN(b.ratio))) return [];
  const z = sizes(info, d.activity);
  const room = Math.max(2, Math.round(v.group_size) - z.staff);
  let vols, parts;
  if (z.volunteers > 0) {
    const r = isNaN(v.ratio) ? z.participants / z.volunteers : v.ratio;
    vols = clamp(Math.round(room / (1 + r)), 1, room - 1);
    parts = Math.max(1, room - vols);
  } else {
    vols = 0;
    parts = room;
  }
  const out = [];
  let newCounts = {};
  const first = firstActivityPops(info, d.activity).map((p) => p.key);
  for (const [role, total, base] of [["volunteer", vols, z.volunteers], ["participant", parts, z.participants]]) {
    const inFirst = info.populations.filter((p) => p.role === role && first.includes(p.key));
    const counts = apportion(inFirst, total);
    // Populations of other designs only: scale by the same factor.
    for (const p of info.populations.filter((p) => p.role === role && !first.includes(p.key))) {
      counts[p.key] = clamp(Math.max(p.count > 0 ? 1 : 0, Math.round(base > 0 ? (p.count * total) / base : p.count)), 0, 60);
    }
    for (const p of info.populations.filter((p) => p.role === role)) {
      if (counts[p.key] !== undefined && counts[p.key] !== p.count) out.push(`population.${p.key}.count=${counts[p.key]}`);
    }
    if (role === "participant") newCounts = counts;
  }
  // A waiting list (capacity) scales with the participants and never falls below them.
  const single = info.activities.length === 1 && info.activities[0].key === "activity";
  for (const a of info.activities) {
    if (a.capacity === null || a.capacity === undefined) continue;
    const pops = info.populations.filter((p) => p.role === "participant" && a.populations.includes(p.key));
    const before = pops.reduce((s, p) => s + p.count, 0);
    const now = pops.reduce((s, p) => s + (newCounts[p.key] !== undefined ? newCounts[p.key] : p.count), 0);
    const cap = clamp(Math.max(now, Math.round(before > 0 ? (a.capacity * now) / before : a.capacity)), 1, 60);
    if (cap !== a.capacity) out.push(`activity.${single ? "" : a.key + "."}capacity=${cap}`);
  }
  return out;
}

function traitValue(dist, mean) {
  // Keep the spread of the scenario's distribution: a beta with the same concentration.
  const m = clamp(mean, 0.01, 0.99);
  if (!dist.sd) return fmt(m);
  const m0 = clamp(dist.mean, 0.01, 0.99);
  const k = clamp((m0 * (1 - m0)) / (dist.sd * dist.sd) - 1, 2, 200);
  return `{beta=[${fmt(m * k)},${fmt((1 - m) * k)}]}`;
}

function overrides(d) {
  const info = d.info, v = d.values, b = d.base;
  const out = [];
  if (info.classroom.groups) out.push(`activity.groups=${info.classroom.groups}`);
  const moved = (id) => Math.abs(v[id] - b[id]) > 1e-9;
  for (const c of CONTROLS) {
    if (!c.id || c.kind === "size") continue;
    if (c.kind === "bool") { if (v[c.id] !== b[c.id]) out.push(`activity.${c.id}=${v[c.id]}`); continue; }
    if (isNaN(b[c.id]) || !moved(c.id)) continue;
    const delta = v[c.id] - b[c.id];
    if (c.kind === "activity") out.push(`activity.${c.id}=${fmt(v[c.id])}`);
    else if (c.kind === "trait") {
      for (const p of targetPops(info, c.who)) out.push(`population.${p.key}.${c.id}=${traitValue(p.traits[c.id], p.traits[c.id].mean + delta)}`);
    } else if (c.kind === "stereotype") {
      for (const o of info.stereotypes) out.push(`stereotypes.${o.origin}=${fmt(clamp(o.prior + delta, 0, 1))}`);
    }
  }
  return out.concat(sizeOverrides(d));
}

function designRequest(which) {
  const d = state.d[which];
  const r = { scenario: d.scenario, overrides: overrides(d) };
  // A scenario of several designs runs the chosen one alone: one curve per design, not a pool.
  if (d.info.activities.length > 1) r.activity = d.activity;
  return r;
}
function runSettings() {
  const num = (id) => { const x = parseInt($(id).value, 10); return isNaN(x) ? undefined : x; };
  return { replicates: num("replicates"), weeks: num("weeks"), seed: num("seed") };
}

// ---------------------------------------------------------------- controls

function buildSliders() {
  const box = $("sliders");
  box.textContent = "";
  for (const c of CONTROLS) {
    if (c.group) {
      const h = document.createElement("div");
      h.className = "group-title";
      h.textContent = c.group();
      box.appendChild(h);
      continue;
    }
    const row = document.createElement("div");
    row.className = "row";
    row.innerHTML = `<div class="label"><span class="name"></span><span class="hint"></span></div><div class="pair"></div>`;
    row.querySelector(".name").textContent = c.label();
    row.querySelector(".hint").textContent = c.hint();
    for (const which of ["a", "b"]) {
      const ctl = document.createElement("div");
      ctl.className = `ctl ${which}`;
      ctl.id = `ctl-${which}-${c.id}`;
      const input = document.createElement("input");
      input.id = `in-${which}-${c.id}`;
      input.setAttribute("aria-label", t("aria_control", { control: c.label(), design: which.toUpperCase() }));
      input.dataset.which = which;
      input.dataset.id = c.id;
      if (c.kind === "bool") {
        input.type = "checkbox";
        input.addEventListener("change", () => { state.d[which].values[c.id] = input.checked; refreshControl(which, c); changed(); });
        ctl.appendChild(input);
        const o = document.createElement("output");
        ctl.appendChild(o);
      } else {
        input.type = "range";
        input.min = c.min; input.max = c.max; input.step = c.step;
        input.addEventListener("input", () => { state.d[which].values[c.id] = parseFloat(input.value); refreshControl(which, c); changed(); });
        ctl.appendChild(input);
        const o = document.createElement("output");
        ctl.appendChild(o);
      }
      row.querySelector(".pair").appendChild(ctl);
    }
    box.appendChild(row);
  }
}

function refreshControl(which, c) {
  const d = state.d[which];
  const ctl = $(`ctl-${which}-${c.id}`);
  const input = $(`in-${which}-${c.id}`);
  const out = ctl.querySelector("output");
  const v = d.values[c.id], b = d.base[c.id];
  if (c.kind === "bool") {
    input.checked = !!v;
    out.textContent = v ? t("on") : t("off");
    ctl.classList.toggle("changed", v !== b);
    return;
  }
  const disabled = v === undefined || isNaN(v);
  input.disabled = disabled;
  ctl.classList.toggle("disabled", disabled);
  if (disabled) { out.textContent = "–"; ctl.title = t("not_in_scenario"); return; }
  ctl.title = "";
  if (document.activeElement !== input) input.value = v;
  out.textContent = num(c.kind === "size" && c.id === "group_size" ? String(Math.round(v)) : c.id === "ratio" ? v.toFixed(1) : v.toFixed(2));
  ctl.classList.toggle("changed", Math.abs(v - b) > 1e-9);
}

function refreshControls() {
  for (const which of ["a", "b"]) {
    for (const c of CONTROLS) if (c.id) refreshControl(which, c);
    $(`scenario-${which}`).value = state.d[which].scenario;
    $(`desc-${which}`).textContent = state.d[which].info.description;
    // The activity choice, shown when the scenario has several designs.
    const info = state.d[which].info, sel = $(`activity-${which}`);
    sel.hidden = info.activities.length < 2;
    sel.textContent = "";
    for (const a of info.activities) {
      const o = document.createElement("option");
      o.value = a.key;
      o.textContent = t("activity_option", { key: a.key, kind: a.kind });
      sel.appendChild(o);
    }
    sel.value = state.d[which].activity;
  }
  const listing = (w) => `${w.toUpperCase()}: ${state.d[w].scenario}${state.d[w].info.activities.length > 1 ? " / " + state.d[w].activity : ""}\n` + (overrides(state.d[w]).join("\n") || t("no_overrides"));
  $("overrides-a").textContent = listing("a");
  $("overrides-b").textContent = listing("b");
}

function resetRun() {
  const info = state.d.a.info;
  $("weeks").value = info.classroom.weeks;
  $("seed").value = info.seed;
  $("replicates").value = info.classroom.replicates;
}

function changed() {
  refreshControls();
  schedule();
}

// ---------------------------------------------------------------- server

async function post(path, body) {
  // The server words its refusals in the page's language.
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(Object.assign({ lang: state.lang }, body)) });
  const text = await res.text();
  let data;
  try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function showError(msg) {
  const e = $("error");
  if (!msg) { e.hidden = true; e.textContent = ""; return; }
  e.hidden = false;
  e.textContent = msg;
}

function schedule() {
  if (state.inflight) { state.pending = true; return; }
  update();
}

async function update() {
  state.inflight = true;
  state.pending = false;
  $("status").classList.add("busy");
  const body = Object.assign({ a: designRequest("a"), b: designRequest("b") }, runSettings());
  const t0 = performance.now();
  try {
    const data = await post("/api/compare", body);
    state.lastMs = performance.now() - t0;
    state.lastData = data;
    drawCharts(data);
    state.updates += 1;
    document.body.dataset.updates = String(state.updates);
    showError(null);
    $("status").textContent = t("status_updated", { replicates: data.replicates, weeks: data.weeks, seed: data.seed, ms: Math.round(state.lastMs) });
    syncReplayRange(data.weeks);
  } catch (err) {
    showError(String(err.message || err));
    $("status").textContent = t("status_failed");
  } finally {
    $("status").classList.remove("busy");
    state.inflight = false;
    if (state.pending) update(); else scheduleReplay();
  }
}

// ---------------------------------------------------------------- charts

function svgEl(tag, attrs, parent) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
// The week axis under a chart: a tick label every nice step of weeks at height `tickY`, and
// the axis title "week" centred at (labelX, labelY).
function weekAxis(svg, px, weeks, { tickY, tickSize, labelX, labelY, labelSize }) {
  const wstep = niceStep(weeks, 6);
  for (let w = wstep; w <= weeks; w += wstep) {
    const lab = svgEl("text", { x: px(w), y: tickY, "text-anchor": "middle", "font-size": tickSize }, svg);
    lab.textContent = String(w);
  }
  const xl = svgEl("text", { x: labelX, y: labelY, "text-anchor": "middle", "font-size": labelSize }, svg);
  xl.textContent = t("axis_week");
}

function niceStep(range, n) {
  const raw = range / Math.max(1, n);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}
function niceCeil(x) {
  if (!(x > 0)) return 1;
  const s = niceStep(x, 4);
  return Math.ceil(x / s - 1e-9) * s;
}

// Paths of a series with gaps where values are missing.
function linePath(xs, ys) {
  let d = "", pen = false;
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] === null || ys[i] === undefined) { pen = false; continue; }
    d += (pen ? "L" : "M") + xs[i].toFixed(1) + " " + ys[i].toFixed(1);
    pen = true;
  }
  return d;
}
function bandPath(xs, lo, hi) {
  let d = "";
  let i = 0;
  while (i < xs.length) {
    while (i < xs.length && (lo[i] === null || hi[i] === null)) i++;
    const start = i;
    while (i < xs.length && lo[i] !== null && hi[i] !== null) i++;
    if (i - start < 1) continue;
    let seg = "M" + xs[start].toFixed(1) + " " + hi[start].toFixed(1);
    for (let k = start + 1; k < i; k++) seg += "L" + xs[k].toFixed(1) + " " + hi[k].toFixed(1);
    for (let k = i - 1; k >= start; k--) seg += "L" + xs[k].toFixed(1) + " " + lo[k].toFixed(1);
    d += seg + "Z";
  }
  return d;
}

const SHARES = new Set(["spoken_for_rate", "dependency_help_share", "mean_agency", "bridging_tie_strength", "founding_volunteers_retained"]);

// Chart size in CSS pixels, so that text stays readable on any screen.
function chartWidth(svg) {
  const w = svg.getBoundingClientRect().width;
  return Math.max(300, Math.round(w || 600));
}
const tick = (v) => num(String(Number(v.toFixed(4))));

function lineChart(svg, ind, weeks, mark) {
  // The top margin holds the replayed-week label, above the curves.
  const W = chartWidth(svg), H = Math.round(clamp(W * 0.5, 220, 310)), m = { l: 50, r: 14, t: 24, b: 40 };
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.textContent = "";
  const vals = [];
  for (const s of [ind.a, ind.b]) for (const k of ["mean", "p05", "p95"]) for (const v of s[k]) if (v !== null) vals.push(v);
  let top = niceCeil(Math.max(0, ...vals));
  if (SHARES.has(ind.key)) top = Math.min(1, top);
  if (ind.key === "voice_parity") top = Math.max(top, 1.2);
  const bottom = Math.min(0, ...vals);
  const px = (w) => m.l + ((w - 1) / Math.max(1, weeks - 1)) * (W - m.l - m.r);
  const py = (v) => m.t + (1 - (v - bottom) / (top - bottom || 1)) * (H - m.t - m.b);
  const step = niceStep(top - bottom, 4);
  for (let v = bottom; v <= top + 1e-9; v += step) {
    svgEl("line", { x1: m.l, x2: W - m.r, y1: py(v), y2: py(v), class: "grid" }, svg);
    const lab = svgEl("text", { x: m.l - 8, y: py(v) + 5, "text-anchor": "end", "font-size": 15 }, svg);
    lab.textContent = tick(v);
  }
  weekAxis(svg, px, weeks, { tickY: H - m.b + 20, tickSize: 15, labelX: (m.l + W - m.r) / 2, labelY: H - 4, labelSize: 14 });
  svgEl("line", { x1: m.l, x2: W - m.r, y1: py(bottom), y2: py(bottom), class: "axis" }, svg);
  svgEl("line", { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, class: "axis" }, svg);
  if (ind.key === "voice_parity") {
    svgEl("line", { x1: m.l, x2: W - m.r, y1: py(1), y2: py(1), class: "ref" }, svg);
    const lab = svgEl("text", { x: W - m.r - 4, y: py(1) - 6, "text-anchor": "end", "font-size": 14 }, svg);
    lab.textContent = t("parity");
  }
  if (mark && mark >= 1 && mark <= weeks) {
    // The line crosses the plot; its label sits in the top margin, clear of the curves.
    svgEl("line", { x1: px(mark), x2: px(mark), y1: m.t - 4, y2: H - m.b, class: "mark" }, svg);
    const right = px(mark) > W - 160;
    const label = svgEl("text", { x: px(mark) + (right ? -5 : 5), y: m.t - 9, "text-anchor": right ? "end" : "start", "font-size": 13, class: "mark-label" }, svg);
    label.textContent = t("replayed_week", { week: mark });
  }
  const xs = [];
  for (let w = 1; w <= weeks; w++) xs.push(px(w));
  const map = (arr) => arr.map((v) => (v === null ? null : py(v)));
  for (const which of ["a", "b"]) {
    const s = ind[which];
    svgEl("path", { d: bandPath(xs, map(s.p05), map(s.p95)), class: `band-${which}` }, svg);
  }
  for (const which of ["a", "b"]) {
    const s = ind[which];
    const p = svgEl("path", { d: linePath(xs, map(s.mean)), class: `line-${which}`, "data-key": ind.key }, svg);
    const title = svgEl("title", {}, p);
    title.textContent = t("line_title", { design: which.toUpperCase() });
  }
}

function diffChart(svg, inds, replicates) {
  // One row per indicator: its name, then the difference with its CI — on the same line when
  // both fit with room between them, else on a line of its own — and the bar below.
  const W = chartWidth(svg), top = 30, lx = 10, rx = W - 10;
  svg.textContent = "";
  svg.setAttribute("viewBox", `0 0 ${W} 400`);
  let maxAbs = 0;
  for (const i of inds) for (const v of [i.diff.mean, i.diff.ci_low, i.diff.ci_high]) if (v !== null) maxAbs = Math.max(maxAbs, Math.abs(v));
  const lim = niceCeil(maxAbs || 0.01);
  const px = (v) => lx + ((v + lim) / (2 * lim)) * (rx - lx);
  const rows = [];
  let y0 = top;
  for (const ind of inds) {
    const label = svgEl("text", { x: lx, y: y0 + 16, "font-size": 14, "font-weight": 600, class: "diff-label" }, svg);
    label.textContent = `${indicatorWords(ind)[0]} — ${whomWord(ind.whom)}`;
    const d = ind.diff;
    const value = svgEl("text", { x: rx, y: y0 + 16, "text-anchor": "end", "font-size": 14, class: "diff-value" }, svg);
    if (d.mean === null) value.textContent = t("not_defined");
    else {
      const fewer = d.n < replicates ? `  n=${d.n}/${replicates}` : "";
      value.textContent = `${signed(d.mean)}  [${signed(d.ci_low)}, ${signed(d.ci_high)}]${fewer}`;
    }
    let lineY = y0 + 16;
    if (label.getComputedTextLength() + value.getComputedTextLength() + 18 > rx - lx) {
      lineY = y0 + 34;
      value.setAttribute("y", lineY);
    }
    rows.push({ ind, y: lineY + 20 });
    y0 = lineY + 42;
  }
  const H = y0 + 26;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const left = svgEl("text", { x: px(0) - 8, y: 18, "text-anchor": "end", "font-size": 14, "font-weight": 600, class: "fill-a" }, svg);
  left.textContent = t("a_higher");
  const right = svgEl("text", { x: px(0) + 8, y: 18, "font-size": 14, "font-weight": 600, class: "fill-b" }, svg);
  right.textContent = t("b_higher");
  for (const v of [-lim, -lim / 2, 0, lim / 2, lim]) {
    const g = svgEl("line", { x1: px(v), x2: px(v), y1: top - 4, y2: H - 22, class: v === 0 ? "zero" : "grid" }, svg);
    svg.insertBefore(g, svg.firstChild);
    const lab = svgEl("text", { x: px(v), y: H - 6, "text-anchor": v === -lim ? "start" : v === lim ? "end" : "middle", "font-size": 13 }, svg);
    lab.textContent = v === 0 ? "0" : signed(v);
  }
  for (const { ind, y } of rows) {
    const d = ind.diff;
    if (d.mean === null) continue;
    const x0 = px(0), x1 = px(d.mean);
    svgEl("rect", { x: Math.min(x0, x1), y: y - 9, width: Math.max(1.5, Math.abs(x1 - x0)), height: 18, class: "bar" + (d.mean < 0 ? " neg" : ""), "data-key": ind.key }, svg);
    if (d.ci_low !== null && d.ci_high !== null) {
      svgEl("line", { x1: px(d.ci_low), x2: px(d.ci_high), y1: y, y2: y, class: "whisker" }, svg);
      svgEl("line", { x1: px(d.ci_low), x2: px(d.ci_low), y1: y - 7, y2: y + 7, class: "whisker" }, svg);
      svgEl("line", { x1: px(d.ci_high), x2: px(d.ci_high), y1: y - 7, y2: y + 7, class: "whisker" }, svg);
    }
  }
}

function chartCard(id, cls) {
  let card = $(id);
  if (!card) {
    card = document.createElement("div");
    card.id = id;
    card.className = "chart " + (cls || "");
    card.innerHTML = `<h3><span class="title"></span><span class="finals"></span></h3><p class="meaning"></p>`;
    svgEl("svg", { role: "img" }, card);
    $("charts").appendChild(card);
  }
  return card;
}

function drawCharts(data) {
  for (const ind of data.indicators) {
    const card = chartCard(`chart-${ind.key}`);
    const [title, meaning] = indicatorWords(ind);
    card.querySelector(".title").textContent = title;
    card.querySelector(".finals").innerHTML = `<span class="fa">A ${show(ind.final.a)}</span> · <span class="fb">B ${show(ind.final.b)}</span>`;
    card.querySelector(".meaning").textContent = t("chart_meaning", { meaning, whom: whomWord(ind.whom), week: data.weeks });
    const svg = card.querySelector("svg");
    svg.setAttribute("aria-label", t("chart_aria", { title, weeks: data.weeks }));
    lineChart(svg, ind, data.weeks, replayWeek());
  }
  const card = chartCard("chart-diff", "diff");
  card.querySelector(".title").textContent = t("diff_title", { week: data.weeks });
  card.querySelector(".finals").textContent = "";
  card.querySelector(".meaning").textContent = t("diff_meaning", { replicates: data.replicates });
  diffChart(card.querySelector("svg"), data.indicators, data.replicates);
  // Keep the difference chart last.
  $("charts").appendChild(card);
}

// ---------------------------------------------------------------- replay: fetch

function replayWeek() {
  return parseInt($("replay-week").value, 10) || 1;
}

function syncReplayRange(weeks) {
  const r = $("replay-week");
  r.max = weeks;
  if (parseInt(r.value, 10) > weeks) { r.value = weeks; $("replay-week-out").textContent = weeks; }
}

function scheduleReplay() {
  clearTimeout(state.replayTimer);
  state.replayTimer = setTimeout(replay, 120);
}

async function replay() {
  const which = document.querySelector("input[name=replay-design]:checked").value;
  const run = runSettings();
  const body = {
    design: designRequest(which),
    weeks: run.weeks,
    seed: run.seed,
    week: parseInt($("replay-week").value, 10) || 1,
    replicate: parseInt($("replay-replicate").value, 10) || 0,
    group: parseInt($("replay-group").value, 10) || 0,
  };
  const seq = ++state.replaySeq;
  const box = $("transcript");
  try {
    const data = await post("/api/trace", body);
    if (seq !== state.replaySeq) return;
    $("replay-group").max = Math.max(0, data.groups_total - 1);
    showTranscript(data.lines);
    state.traceBody = body;
    box.dataset.usurped = String(data.usurped);
    box.dataset.design = which;
    state.trace = data;
    state.traceDesign = which;
    buildSteps(data);
    stopPlaying();
    state.step = 0;
    drawMeeting();
    drawNetwork();
    if (!state.follow || !data.cast.some((m) => m.name === state.follow)) {
      const first = data.cast.find((m) => m.active && (m.role === "participant") && !data.people[m.slot].majority) || data.cast.find((m) => m.active) || data.cast[0];
      state.follow = first ? first.name : null;
    }
    fillFollowChoice();
    drawFollow();
    document.body.dataset.replays = String(Number(document.body.dataset.replays || 0) + 1);
  } catch (err) {
    if (seq !== state.replaySeq) return;
    box.textContent = "";
    const div = document.createElement("div");
    div.className = "pane l-note";
    div.textContent = t("cannot_replay", { message: err.message || err });
    box.appendChild(div);
  }
}

// The transcript (the server's text, in the language the page asked for): the meeting on the
// left, what it left behind on the right (from the last heading on, the end of the week).
function showTranscript(lines) {
  const box = $("transcript");
  box.textContent = "";
  const left = document.createElement("div"), right = document.createElement("div");
  left.className = "pane meeting";
  right.className = "pane after";
  let end = -1;
  lines.forEach((l, i) => { if (l.kind === "heading") end = i; });
  lines.forEach((l, i) => {
    const div = document.createElement("div");
    div.className = "l-" + l.kind;
    div.textContent = l.text;
    (i >= end ? right : left).appendChild(div);
  });
  box.appendChild(left);
  box.appendChild(right);
}

// After a language switch: the same week's transcript asked for again in the new language (the
// replay's steps, the step shown and the person followed stay as they are).
async function retellTranscript() {
  if (!state.traceBody) return;
  const seq = state.replaySeq;
  try {
    const data = await post("/api/trace", state.traceBody);
    if (seq !== state.replaySeq) return;
    showTranscript(data.lines);
    state.trace.lines = data.lines;
    state.trace.text = data.text;
    state.trace.cast = data.cast;
  } catch (err) {
    showError(t("cannot_replay", { message: err.message || err }));
  }
}

// ---------------------------------------------------------------- replay: steps from the events

const who = (p) => (p && p.name) || "?";

// One step per thing worth watching in the engine's event stream: a turn (taken, hesitated,
// or finished by someone else), help, an independent attempt, a proposal and decision, a host
// starting to count a participant as an exception; the week's end (limbo, agency) last.
function buildSteps(data) {
  const steps = [];
  let meeting = 0, turn = 0, present = new Set();
  const exceptions = new Set();
  for (const p of data.people_before || []) for (const v of p.exception_for || []) exceptions.add(`${v}-${p.slot}`);
  const push = (s) => steps.push(Object.assign({ meeting, turn, present: new Set(present), exceptions: new Set(exceptions) }, s));
  for (const e of data.events) {
    switch (e.event) {
      case "meeting-start":
        meeting = e.meeting; turn = 0; present = new Set();
        break;
      case "attended":
        present.add(e.person.slot);
        break;
      case "meeting-cancelled":
        push({ kind: "cancelled", text: t("ev_cancelled", { meeting: (e.meeting || 0) + 1 }) });
        break;
      case "turn":
        turn = e.turn;
        push({ kind: "turn", speaker: e.speaker.slot, text: t("ev_turn", { speaker: who(e.speaker) }) });
        break;
      case "hesitated":
        turn = e.turn;
        push({ kind: "hesitated", speaker: e.speaker.slot, text: t("ev_hesitated", { speaker: who(e.speaker) }) });
        break;
      case "usurped":
        turn = e.turn;
        push({ kind: "usurped", speaker: e.speaker.slot, by: e.by.slot, text: t("ev_usurped", { by: who(e.by), speaker: who(e.speaker) }) });
        break;
      case "help":
        push({ kind: e.dependency ? "help-dependency" : "help-autonomy", from: e.helper.slot, to: e.participant.slot,
          text: e.dependency ? t("ev_help_dependency", { helper: who(e.helper), participant: who(e.participant) }) : t("ev_help_autonomy", { helper: who(e.helper), participant: who(e.participant) }) });
        break;
      case "independent-attempt":
        push({ kind: "attempt", speaker: e.participant.slot, text: t("ev_attempt", { participant: who(e.participant), outcome: attemptWord(e.outcome) }) });
        break;
      case "proposal":
        push({ kind: "proposal", speaker: e.by.slot, text: t("ev_proposal", { person: who(e.by) }) });
        break;
      case "decision":
        push({ kind: "decision", speaker: e.adopted.slot, text: t("ev_decision", { person: who(e.adopted) }) });
        break;
      case "perceived": {
        const k = `${e.volunteer.slot}-${e.participant.slot}`;
        if (e.subtyped && !exceptions.has(k)) {
          exceptions.add(k);
          push({ kind: "exception", from: e.volunteer.slot, to: e.participant.slot, text: t("ev_exception", { volunteer: who(e.volunteer), participant: who(e.participant) }) });
        }
        break;
      }
      default:
        break;
    }
  }
  const limbo = data.people.filter((p) => p.limbo).map((p) => p.name);
  meeting = 0; turn = 0; present = new Set(data.cast.filter((m) => m.active).map((m) => m.slot));
  push({ kind: "end", text: limbo.length ? t("ev_end_limbo", { week: data.week, names: limbo.join(", ") }) : t("ev_end", { week: data.week }), limbo: new Set(data.people.filter((p) => p.limbo).map((p) => p.slot)) });
  state.steps = steps;
}
function attemptWord(o) {
  switch (o) {
    case "acknowledged": return t("attempt_acknowledged");
    case "ignored": return t("attempt_ignored");
    case "failed": return t("attempt_failed");
    default: return t("attempt_pre_empted");
  }
}

// ---------------------------------------------------------------- replay: the table

// Seats around an oval table: (x, y, angle) of slot i of n, with padding (px, py) to the edge.
function seats(n, W, H, padX, padY) {
  const cx = W / 2, cy = H / 2, rx = W / 2 - padX, ry = H / 2 - (padY === undefined ? padX : padY);
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    out.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a), a]);
  }
  return out;
}
// Where a seat's words go: beside it on the table's flanks, above or below it at the ends,
// always away from the table, so that neighbours' words do not collide.
function labelPlace(x, y, a, r) {
  const c = Math.cos(a), s = Math.sin(a);
  if (Math.abs(c) > 0.55) return { x: x + Math.sign(c) * (r + 13), y: y - 8, anchor: c > 0 ? "start" : "end" };
  return s < 0 ? { x, y: y - r - 38, anchor: "middle" } : { x, y: y + r + 20, anchor: "middle" };
}
function roleClass(m, people) {
  const p = people && people[m.slot];
  if (m.role === "volunteer") return "r-volunteer";
  if (m.role === "staff") return "r-staff";
  if (p && p.majority) return "r-local";
  return m.role === "co-organizer" ? "r-co" : "r-newcomer";
}
function arrowDefs(svg) {
  const defs = svgEl("defs", {}, svg);
  for (const [id, cls] of [["ah-usurp", "usurp"], ["ah-dep", "help-dependency"], ["ah-auto", "help-autonomy"], ["ah-exc", "exception"]]) {
    const mk = svgEl("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    svgEl("path", { d: "M0 0 L10 5 L0 10 z", class: `head ${cls}` }, mk);
  }
}
// An arrow from seat a to seat b, stopping short of both discs, bowed a little.
function arrow(svg, a, b, cls, marker, r) {
  const [x1, y1] = a, [x2, y2] = b;
  const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
  const ux = dx / len, uy = dy / len;
  const sx = x1 + ux * (r + 4), sy = y1 + uy * (r + 4), ex = x2 - ux * (r + 6), ey = y2 - uy * (r + 6);
  const mx = (sx + ex) / 2 - uy * len * 0.12, my = (sy + ey) / 2 + ux * len * 0.12;
  return svgEl("path", { d: `M${sx.toFixed(1)} ${sy.toFixed(1)} Q${mx.toFixed(1)} ${my.toFixed(1)} ${ex.toFixed(1)} ${ey.toFixed(1)}`, class: `arrow ${cls}`, "marker-end": `url(#${marker})` }, svg);
}

function drawMeeting() {
  const data = state.trace, svg = $("table-svg");
  if (!data) return;
  const W = 900, H = 540, R = 24;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.textContent = "";
  arrowDefs(svg);
  const n = data.cast.length;
  const pos = seats(n, W, H, 200, 80);
  svgEl("ellipse", { cx: W / 2, cy: H / 2, rx: W / 2 - 262, ry: H / 2 - 140, class: "table-top" }, svg);
  const cur = state.step > 0 ? state.steps[state.step - 1] : null;
  const present = cur ? cur.present : new Set(data.cast.filter((m) => m.active).map((m) => m.slot));
  const exceptions = cur ? cur.exceptions : new Set();
  const excTo = new Set([...exceptions].map((k) => Number(k.split("-")[1])));
  // Arrows first, under the seats.
  if (cur && cur.kind === "usurped") arrow(svg, pos[cur.by], pos[cur.speaker], "usurp", "ah-usurp", R);
  if (cur && cur.kind === "help-dependency") arrow(svg, pos[cur.from], pos[cur.to], "help-dependency", "ah-dep", R);
  if (cur && cur.kind === "help-autonomy") arrow(svg, pos[cur.from], pos[cur.to], "help-autonomy", "ah-auto", R);
  if (cur && cur.kind === "exception") arrow(svg, pos[cur.from], pos[cur.to], "exception", "ah-exc", R);
  for (const m of data.cast) {
    const [x, y, a] = pos[m.slot];
    const here = m.active && (cur === null || cur.kind === "end" || present.has(m.slot));
    const g = svgEl("g", { class: `seat ${roleClass(m, data.people)}${here ? "" : " away"}`, "data-slot": m.slot, "data-name": m.name, tabindex: 0 }, svg);
    const speaking = cur && cur.speaker === m.slot;
    if (speaking) g.classList.add(cur.kind === "usurped" ? "cut-off" : cur.kind === "hesitated" ? "hesitating" : "speaking");
    if (cur && cur.kind === "usurped" && cur.by === m.slot) g.classList.add("usurper");
    if (state.follow === m.name) g.classList.add("followed");
    svgEl("circle", { cx: x, cy: y, r: R + 7, class: "halo" }, g);
    svgEl("circle", { cx: x, cy: y, r: R, class: "disc" }, g);
    const ini = svgEl("text", { x, y: y + 6, "text-anchor": "middle", "font-size": 17, "font-weight": 700, class: "initial" }, g);
    ini.textContent = m.name.slice(0, 2);
    const lp = labelPlace(x, y, a, R);
    const nm = svgEl("text", { x: lp.x, y: lp.y, "text-anchor": lp.anchor, "font-size": 15, "font-weight": 700, class: "who" }, g);
    nm.textContent = m.name;
    // Role and origin on lines of their own, so that neighbours' words stay apart.
    const role = svgEl("text", { x: lp.x, y: lp.y + 14, "text-anchor": lp.anchor, "font-size": 12, class: "meta" }, g);
    role.textContent = roleWord(m.role);
    const origin = svgEl("text", { x: lp.x, y: lp.y + 27, "text-anchor": lp.anchor, "font-size": 12, class: "meta" }, g);
    origin.textContent = m.origin;
    // Marks go on the line under her words: an exception (subtyped), limbo at the week's end.
    const marks = [];
    if (excTo.has(m.slot)) marks.push(["exception", "★ " + t("badge_exception")]);
    if (cur && cur.kind === "end" && cur.limbo.has(m.slot)) marks.push(["limbo", "◌ " + t("badge_limbo")]);
    marks.forEach(([cls, word], k) => {
      const b = svgEl("text", { x: lp.x, y: lp.y + 41 + 14 * k, "text-anchor": lp.anchor, "font-size": 12, "font-weight": 700, class: `badge ${cls}` }, g);
      b.textContent = word;
    });
    if (!m.active) {
      const tt = svgEl("title", {}, g);
      tt.textContent = t("not_taking_part");
    }
    g.addEventListener("click", () => { state.follow = m.name; fillFollowChoice(); drawFollow(); drawMeeting(); drawNetwork(); });
  }
  // Caption in the table's middle: what happens now.
  const cap = $("step-caption");
  const total = state.steps.length;
  if (!cur) cap.textContent = data.met ? t("caption_start", { week: data.week }) : t("caption_no_meeting", { week: data.week });
  else cap.textContent = cur.text;
  cap.className = "caption " + (cur ? "k-" + cur.kind : "");
  const counter = $("turn-counter");
  counter.dataset.step = String(state.step);
  counter.dataset.turn = String(cur ? cur.turn : 0);
  counter.dataset.meeting = String(cur ? cur.meeting : 0);
  counter.dataset.kind = cur ? cur.kind : "";
  counter.textContent = cur && cur.meeting
    ? t("counter", { meeting: cur.meeting, meetings: data.meetings_per_week, turn: cur.turn || "–", turns: data.turns_per_meeting, step: state.step, steps: total })
    : t("counter_idle", { step: state.step, steps: total });
  $("play").textContent = state.playing ? t("pause") : t("play");
  $("play").setAttribute("aria-pressed", state.playing ? "true" : "false");
  // The legend names the roles that are there (no staff entry without staff).
  const roles = new Set(data.cast.map((m) => roleClass(m, data.people)));
  for (const li of document.querySelectorAll("#table-legend [data-role]")) li.hidden = !roles.has(li.dataset.role);
}

function stepForward() {
  if (state.step < state.steps.length) state.step += 1;
  drawMeeting();
  if (state.step >= state.steps.length) stopPlaying();
}
function stopPlaying() {
  if (state.playing) clearInterval(state.playing);
  state.playing = null;
  if (state.trace) drawMeeting();
}
function play() {
  if (state.playing) { stopPlaying(); return; }
  if (state.step >= state.steps.length) state.step = 0;
  state.playing = setInterval(stepForward, 900 / state.speed);
  drawMeeting();
}
function nextOf(kind) {
  stopPlaying();
  const i = state.steps.findIndex((s, k) => k >= state.step && s.kind === kind);
  if (i >= 0) state.step = i + 1;
  drawMeeting();
  return i >= 0;
}

// ---------------------------------------------------------------- the tie network

// The tie types as ties.csv writes them (TieType in the model): a tie between a newcomer and a
// local volunteer or staff member is both bridging and linking.
const TIE_KINDS = ["bonding", "bridging", "linking", "bridging+linking", "other"];
function tieWord(k) {
  switch (k) {
    case "bonding": return t("tie_bonding");
    case "bridging": return t("tie_bridging");
    case "linking": return t("tie_linking");
    case "bridging+linking": return t("tie_bridging_linking");
    default: return t("tie_other");
  }
}
// A tie as drawn: its stroke (a bridging+linking tie has the bridging stroke) and, on a tie that
// is also linking, the linking mark on top.
function drawTie(x1, y1, x2, y2, kind, width, parent) {
  const stroke = kind === "bridging+linking" ? "bridging" : kind;
  svgEl("line", { x1, y1, x2, y2, class: `tie t-${stroke}`, "stroke-width": width, "data-kind": kind }, parent);
  if (kind === "bridging+linking") {
    svgEl("line", { x1, y1, x2, y2, class: "tie-mark t-linking", "stroke-width": Math.max(2, width / 2).toFixed(1), "data-kind": kind }, parent);
  }
}
function drawNetwork() {
  const data = state.trace, svg = $("network-svg");
  if (!data) return;
  const W = 560, H = 492, R = 17, plot = H - 126;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.textContent = "";
  const pos = seats(data.cast.length, W, plot, 60, 40);
  const edges = data.network.edges;
  for (const e of edges) {
    const [x1, y1] = pos[e.a], [x2, y2] = pos[e.b];
    drawTie(x1, y1, x2, y2, e.kind, (1 + 6 * e.w).toFixed(1), svg);
  }
  for (const m of data.cast) {
    const [x, y] = pos[m.slot];
    const g = svgEl("g", { class: `node ${roleClass(m, data.people)}${m.active ? "" : " away"}${state.follow === m.name ? " followed" : ""}` }, svg);
    svgEl("circle", { cx: x, cy: y, r: R, class: "disc" }, g);
    const nm = svgEl("text", { x, y: y + (y > plot / 2 ? R + 15 : -R - 6), "text-anchor": "middle", "font-size": 13, "font-weight": 600 }, g);
    nm.textContent = m.name;
  }
  // Legend: the stroke of each tie kind, drawn as it is drawn above, with its count.
  const ly = plot + 16;
  const counts = {};
  for (const e of edges) counts[e.kind] = (counts[e.kind] || 0) + 1;
  const lg = svgEl("g", { class: "tie-legend" }, svg);
  TIE_KINDS.forEach((k, i) => {
    const x = 10, y = ly + i * 22;
    drawTie(x, y, x + 38, y, k, 4, lg);
    const lab = svgEl("text", { x: x + 46, y: y + 5, "font-size": 13, "data-kind": k, "data-count": counts[k] || 0 }, lg);
    lab.textContent = `${tieWord(k)} (${counts[k] || 0})`;
  });
  $("network-caption").textContent = t("network_caption", { week: data.week, edges: edges.length, threshold: data.network.threshold });
  svg.dataset.edges = String(edges.length);
}

// ---------------------------------------------------------------- follow one person

// The slot of the followed person and, per week, whether the slot held her.
function followed() {
  const data = state.trace;
  if (!data || !state.follow) return null;
  for (let s = 0; s < data.history.slots.length; s++) {
    const h = data.history.slots[s];
    const spans = h.names;
    const weeks = [];
    let held = false;
    for (let w = 1; w <= data.history.weeks; w++) {
      const span = spans.filter((x) => x[0] <= w).pop();
      weeks.push(span && span[1] === state.follow);
      if (span && span[1] === state.follow) held = true;
    }
    if (held) return { slot: s, h, mine: weeks };
  }
  return null;
}
function fillFollowChoice() {
  const sel = $("follow-person"), data = state.trace;
  if (!data) return;
  sel.textContent = "";
  for (const m of data.cast) {
    const o = document.createElement("option");
    o.value = m.name;
    o.textContent = `${m.name} — ${roleWord(m.role)}, ${m.origin}`;
    sel.appendChild(o);
  }
  if (state.follow) sel.value = state.follow;
}
function drawFollow() {
  const svg = $("follow-svg"), f = followed(), data = state.trace;
  svg.textContent = "";
  if (!f) return;
  const weeks = data.history.weeks;
  const W = 560, H = 400, m = { l: 44, r: 12, t: 30, b: 34 }, gap = 46;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  // Top panel: agency, true and perceived competence (0–1). Bottom: tie strength by kind.
  const topH = (H - m.t - m.b - gap) * 0.6, botH = (H - m.t - m.b - gap) * 0.4;
  const px = (w) => m.l + ((w - 1) / Math.max(1, weeks - 1)) * (W - m.l - m.r);
  const only = (arr) => arr.map((v, i) => (f.mine[i] ? v : null));
  const panel = (y0, h, top, series, title) => {
    const py = (v) => y0 + (1 - v / top) * h;
    const ttl = svgEl("text", { x: m.l, y: y0 - 8, "font-size": 13, "font-weight": 700 }, svg);
    ttl.textContent = title;
    for (const v of [0, top / 2, top]) {
      svgEl("line", { x1: m.l, x2: W - m.r, y1: py(v), y2: py(v), class: "grid" }, svg);
      const lab = svgEl("text", { x: m.l - 6, y: py(v) + 4, "text-anchor": "end", "font-size": 12 }, svg);
      lab.textContent = tick(v);
    }
    svgEl("line", { x1: m.l, x2: m.l, y1: y0, y2: y0 + h, class: "axis" }, svg);
    const xs = [];
    for (let w = 1; w <= weeks; w++) xs.push(px(w));
    for (const [key, cls] of series) {
      const ys = only(f.h[key]).map((v) => (v === null ? null : py(Math.min(v, top))));
      svgEl("path", { d: linePath(xs, ys), class: `fl ${cls}`, "data-series": key }, svg);
    }
    const wk = data.week;
    svgEl("line", { x1: px(wk), x2: px(wk), y1: y0, y2: y0 + h, class: "mark" }, svg);
  };
  panel(m.t, topH, 1, [["agency", "f-agency"], ["competence", "f-competence"], ["perceived", "f-perceived"]], t("follow_top", { name: state.follow }));
  const tieMax = Math.max(0.5, ...["bonding", "bridging", "linking"].flatMap((k) => only(f.h[k]).filter((v) => v !== null)));
  const topTie = niceCeil(tieMax);
  panel(m.t + topH + gap, botH, topTie, [["bonding", "t-bonding"], ["bridging", "t-bridging"], ["linking", "t-linking"]], t("follow_bottom"));
  weekAxis(svg, px, weeks, { tickY: H - m.b + 16, tickSize: 12, labelX: (m.l + W - m.r) / 2, labelY: H - 6, labelSize: 13 });
  // Legend in words, under the title.
  const items = [["f-agency", t("follow_agency")], ["f-competence", t("follow_competence")], ["f-perceived", t("follow_perceived")]];
  const leg = $("follow-legend");
  leg.textContent = "";
  for (const [cls, word] of items.concat([["t-bonding", tieWord("bonding")], ["t-bridging", tieWord("bridging")], ["t-linking", tieWord("linking")]])) {
    const span = document.createElement("span");
    span.className = "key";
    span.innerHTML = `<svg width="30" height="10" aria-hidden="true"><line x1="1" x2="29" y1="5" y2="5" class="fl ${cls}"/></svg>`;
    span.appendChild(document.createTextNode(word));
    leg.appendChild(span);
  }
  // Her role over the weeks, in words, when it changed.
  const roles = f.h.roles;
  const changes = [];
  for (let i = 1; i < roles.length; i++) if (roles[i] !== roles[i - 1] && f.mine[i] && f.mine[i - 1]) changes.push(t("follow_role_change", { week: i + 1, role: roleLetterWord(roles[i]) }));
  $("follow-note").textContent = changes.join(" · ");
  svg.dataset.person = state.follow;
}
function roleLetterWord(c) {
  switch (c) {
    case "v": return t("role_volunteer");
    case "s": return t("role_staff");
    case "c": return t("role_co_organizer");
    case "p": return t("role_participant");
    default: return t("role_gone");
  }
}

// ---------------------------------------------------------------- download

async function download(which) {
  const run = runSettings();
  const body = { design: designRequest(which), weeks: run.weeks, seed: run.seed, label: which };
  try {
    const res = await fetch("/api/scenario.toml", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) { let m = text; try { m = JSON.parse(text).error; } catch (e) {} throw new Error(m); }
    const cd = res.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(cd);
    const fname = m ? m[1] : `${state.d[which].scenario}-${which}.toml`;
    const url = URL.createObjectURL(new Blob([text], { type: "application/toml" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = fname;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    showError(t("download_failed", { message: err.message || err }));
  }
}

// ---------------------------------------------------------------- language

// Redraws every word on the page in the language now loaded.
function redrawWords() {
  applyStaticStrings();
  buildSliders();
  refreshControls();
  if (state.info) $("about").textContent = t("about");
  if (state.lastData) {
    drawCharts(state.lastData);
    const d = state.lastData;
    $("status").textContent = t("status_updated", { replicates: d.replicates, weeks: d.weeks, seed: d.seed, ms: Math.round(state.lastMs || 0) });
  }
  if (state.trace) {
    retellTranscript();
    buildSteps(state.trace);
    state.step = Math.min(state.step, state.steps.length);
    drawMeeting();
    drawNetwork();
    fillFollowChoice();
    drawFollow();
  }
}
function fillLanguages() {
  const sel = $("lang");
  sel.textContent = "";
  for (const l of state.languages) {
    const o = document.createElement("option");
    o.value = l.code;
    o.textContent = l.name;
    sel.appendChild(o);
  }
  sel.value = state.lang;
}
async function switchLanguage(code) {
  try {
    await loadStrings(code);
  } catch (err) {
    showError(String(err.message || err));
    return;
  }
  fillLanguages();
  const params = new URLSearchParams(location.search);
  params.set("lang", state.lang);
  history.replaceState(null, "", "?" + params.toString());
  redrawWords();
}

// ---------------------------------------------------------------- start

async function start() {
  const params = new URLSearchParams(location.search);
  try {
    await loadStrings(params.get("lang") || document.documentElement.dataset.lang || "");
  } catch (err) {
    await loadStrings("").catch(() => {});
  }
  applyStaticStrings();
  fillLanguages();
  $("lang").addEventListener("change", () => switchLanguage($("lang").value));
  buildSliders();
  let info;
  try {
    const res = await fetch("/api/scenarios");
    info = await res.json();
  } catch (err) {
    showError(t("cannot_reach", { message: err }));
    return;
  }
  state.info = info;
  $("about").textContent = t("about");
  for (const s of info.scenarios) if (!s.error) state.byName[s.name] = s;
  for (const which of ["a", "b"]) {
    const sel = $(`scenario-${which}`);
    for (const s of info.scenarios) {
      if (s.error) continue;
      const o = document.createElement("option");
      o.value = s.name;
      o.textContent = s.name;
      sel.appendChild(o);
    }
    sel.addEventListener("change", () => {
      // A scenario of several designs: B starts on its second design when A shows the first.
      const other = state.d[which === "a" ? "b" : "a"];
      const acts = state.byName[sel.value].activities;
      const pickAct = acts.length > 1 && other.scenario === sel.value && other.activity === acts[0].key ? acts[1].key : undefined;
      state.d[which] = newDesign(sel.value, pickAct);
      if (which === "a") resetRun();
      changed();
    });
    $(`activity-${which}`).addEventListener("change", () => {
      state.d[which] = newDesign(state.d[which].scenario, $(`activity-${which}`).value);
      changed();
    });
  }
  const pick = (n, fallback) => (state.byName[n] ? n : fallback);
  const first = info.scenarios.find((s) => !s.error).name;
  state.d.a = newDesign(pick(params.get("a") || "knitting-cafe", first));
  state.d.b = newDesign(pick(params.get("b") || "co-designed-cafe", first));
  resetRun();
  for (const id of ["replicates", "weeks", "seed"]) $(id).addEventListener("change", changed);
  $("copy-ab").addEventListener("click", () => {
    state.d.b = newDesign(state.d.a.scenario, state.d.a.activity);
    state.d.b.values = Object.assign({}, state.d.a.values);
    changed();
  });
  $("reset").addEventListener("click", () => {
    state.d.a = newDesign(state.d.a.scenario, state.d.a.activity);
    state.d.b = newDesign(state.d.b.scenario, state.d.b.activity);
    resetRun();
    changed();
  });
  $("download-a").addEventListener("click", () => download("a"));
  $("download-b").addEventListener("click", () => download("b"));
  $("replay-week").addEventListener("input", () => {
    $("replay-week-out").textContent = $("replay-week").value;
    if (state.lastData) drawCharts(state.lastData);
    scheduleReplay();
  });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (state.lastData) drawCharts(state.lastData); }, 150);
  });
  for (const id of ["replay-replicate", "replay-group"]) $(id).addEventListener("change", scheduleReplay);
  for (const r of document.querySelectorAll("input[name=replay-design]")) r.addEventListener("change", scheduleReplay);
  $("play").addEventListener("click", play);
  $("step").addEventListener("click", () => { stopPlaying(); stepForward(); });
  $("restart").addEventListener("click", () => { stopPlaying(); state.step = 0; drawMeeting(); });
  $("next-usurp").addEventListener("click", () => { if (!nextOf("usurped")) $("step-caption").textContent = t("no_more_usurp"); });
  $("speed").addEventListener("change", () => {
    state.speed = parseFloat($("speed").value) || 1;
    if (state.playing) { clearInterval(state.playing); state.playing = setInterval(stepForward, 900 / state.speed); }
  });
  $("follow-person").addEventListener("change", () => { state.follow = $("follow-person").value; drawFollow(); drawMeeting(); drawNetwork(); });
  changed();
}

start();
