// dugnad classroom page. No libraries: the sliders become `--set` style overrides, the server
// runs both designs on the same seed, and the charts are plain SVG drawn here.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

// The controls, in display order. `kind` says how a value becomes overrides.
const CONTROLS = [
  { group: "The activity's design" },
  { id: "service_frame", label: "Service frame", hint: "volunteers provide, participants receive", kind: "activity", min: 0, max: 1, step: 0.05 },
  { id: "co_design", label: "Co-design", hint: "participants shape the agenda", kind: "activity", min: 0, max: 1, step: 0.05 },
  { id: "facilitation", label: "Facilitation", hint: "a turn-taking norm: let people finish", kind: "activity", min: 0, max: 1, step: 0.05 },
  { id: "pathway", label: "Pathway", hint: "participants can become co-organizers and volunteers", kind: "bool" },
  { id: "group_size", label: "Group size", hint: "people per group", kind: "size", min: 3, max: 40, step: 1 },
  { id: "ratio", label: "Participants per volunteer", hint: "how many each volunteer hosts", kind: "size", min: 0.2, max: 12, step: 0.1 },
  { group: "The people" },
  { id: "need_to_help", label: "Need to help", hint: "volunteers", kind: "trait", who: "volunteers", min: 0, max: 1, step: 0.05 },
  { id: "protectiveness", label: "Protectiveness", hint: "volunteers: mothering, speaking for", kind: "trait", who: "volunteers", min: 0, max: 1, step: 0.05 },
  { id: "initiative", label: "Initiative", hint: "participants' go-ahead spirit", kind: "trait", who: "newcomers", min: 0, max: 1, step: 0.05 },
  { id: "language", label: "Language", hint: "participants: 0 none, 1 fluent", kind: "trait", who: "newcomers", min: 0, max: 1, step: 0.05 },
  { id: "care_load", label: "Care load", hint: "participants: children at home", kind: "trait", who: "newcomers", min: 0, max: 1, step: 0.05 },
  { id: "stereotype", label: "Stereotype", hint: "locals' prior view of participants' competence", kind: "stereotype", min: 0, max: 1, step: 0.05 },
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
};
window.dugnad = state; // for the browser test and the curious

// ---------------------------------------------------------------- numbers

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const fmt = (x) => String(Number(x.toFixed(3)));
function show(x, digits) {
  if (x === null || x === undefined || !isFinite(x)) return "–";
  const d = digits !== undefined ? digits : Math.abs(x) < 0.1 && x !== 0 ? 3 : 2;
  return x.toFixed(d);
}
const signed = (x) => (x > 0 ? "+" : x < 0 ? "−" : "±") + show(Math.abs(x));

// ---------------------------------------------------------------- scenario → base values

function firstActivityPops(info) {
  const keys = info.activities[0].populations;
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
function sizes(info) {
  const pops = firstActivityPops(info);
  const sum = (role) => pops.filter((p) => p.role === role).reduce((s, p) => s + p.count, 0);
  return { staff: sum("staff"), volunteers: sum("volunteer"), participants: sum("participant") };
}
function baseValues(info) {
  const v = {};
  const acts = info.activities;
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
  const z = sizes(info);
  v.group_size = z.staff + z.volunteers + z.participants;
  v.ratio = z.volunteers > 0 ? z.participants / z.volunteers : NaN;
  return v;
}
function newDesign(name) {
  const info = state.byName[name];
  const base = baseValues(info);
  return { scenario: name, info, base, values: Object.assign({}, base) };
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
  const z = sizes(info);
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
  const first = firstActivityPops(info).map((p) => p.key);
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
  return { scenario: d.scenario, overrides: overrides(d) };
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
      h.textContent = c.group;
      box.appendChild(h);
      continue;
    }
    const row = document.createElement("div");
    row.className = "row";
    row.innerHTML = `<div class="label">${c.label}<span class="hint">${c.hint}</span></div><div class="pair"></div>`;
    for (const which of ["a", "b"]) {
      const ctl = document.createElement("div");
      ctl.className = `ctl ${which}`;
      ctl.id = `ctl-${which}-${c.id}`;
      const input = document.createElement("input");
      input.id = `in-${which}-${c.id}`;
      input.setAttribute("aria-label", `${c.label}, design ${which.toUpperCase()}`);
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
    out.textContent = v ? "on" : "off";
    ctl.classList.toggle("changed", v !== b);
    return;
  }
  const disabled = v === undefined || isNaN(v);
  input.disabled = disabled;
  ctl.classList.toggle("disabled", disabled);
  if (disabled) { out.textContent = "–"; ctl.title = "not in this scenario"; return; }
  ctl.title = "";
  if (document.activeElement !== input) input.value = v;
  out.textContent = c.kind === "size" && c.id === "group_size" ? String(Math.round(v)) : c.id === "ratio" ? v.toFixed(1) : v.toFixed(2);
  ctl.classList.toggle("changed", Math.abs(v - b) > 1e-9);
}

function refreshControls() {
  for (const which of ["a", "b"]) {
    for (const c of CONTROLS) if (c.id) refreshControl(which, c);
    $(`scenario-${which}`).value = state.d[which].scenario;
    $(`desc-${which}`).textContent = state.d[which].info.description;
  }
  $("overrides-a").textContent = "A: " + state.d.a.scenario + "\n" + (overrides(state.d.a).join("\n") || "(no overrides)");
  $("overrides-b").textContent = "B: " + state.d.b.scenario + "\n" + (overrides(state.d.b).join("\n") || "(no overrides)");
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
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
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
    $("status").textContent = `${data.replicates} replicates × ${data.weeks} weeks per design · seed ${data.seed} · updated in ${Math.round(state.lastMs)} ms`;
    syncReplayRange(data.weeks);
  } catch (err) {
    showError(String(err.message || err));
    $("status").textContent = "not updated — see the message";
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
const tick = (v) => String(Number(v.toFixed(4)));

function lineChart(svg, ind, weeks, mark) {
  const W = chartWidth(svg), H = Math.round(clamp(W * 0.5, 210, 300)), m = { l: 50, r: 14, t: 12, b: 40 };
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
    const t = svgEl("text", { x: m.l - 8, y: py(v) + 5, "text-anchor": "end", "font-size": 15 }, svg);
    t.textContent = tick(v);
  }
  const wstep = niceStep(weeks, 6);
  for (let w = wstep; w <= weeks; w += wstep) {
    const t = svgEl("text", { x: px(w), y: H - m.b + 20, "text-anchor": "middle", "font-size": 15 }, svg);
    t.textContent = String(w);
  }
  const xl = svgEl("text", { x: (m.l + W - m.r) / 2, y: H - 4, "text-anchor": "middle", "font-size": 14 }, svg);
  xl.textContent = "week";
  svgEl("line", { x1: m.l, x2: W - m.r, y1: py(bottom), y2: py(bottom), class: "axis" }, svg);
  svgEl("line", { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, class: "axis" }, svg);
  if (ind.key === "voice_parity") {
    svgEl("line", { x1: m.l, x2: W - m.r, y1: py(1), y2: py(1), class: "ref" }, svg);
    const t = svgEl("text", { x: W - m.r - 4, y: py(1) - 6, "text-anchor": "end", "font-size": 14 }, svg);
    t.textContent = "parity";
  }
  if (mark && mark >= 1 && mark <= weeks) {
    svgEl("line", { x1: px(mark), x2: px(mark), y1: m.t, y2: H - m.b, class: "mark" }, svg);
    const t = svgEl("text", { x: px(mark) + (px(mark) > W - 140 ? -6 : 6), y: m.t + 14, "text-anchor": px(mark) > W - 140 ? "end" : "start", "font-size": 13, class: "mark-label" }, svg);
    t.textContent = `replayed week ${mark}`;
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
    title.textContent = `Design ${which.toUpperCase()}: mean over replicates (band: 5th–95th percentile)`;
  }
}

function diffChart(svg, inds, replicates) {
  // One row per indicator: its name and the difference with its CI on a line, the bar below.
  const W = chartWidth(svg), rowH = 58, top = 30, H = top + inds.length * rowH + 26;
  const lx = 10, rx = W - 10;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.textContent = "";
  let maxAbs = 0;
  for (const i of inds) for (const v of [i.diff.mean, i.diff.ci_low, i.diff.ci_high]) if (v !== null) maxAbs = Math.max(maxAbs, Math.abs(v));
  const lim = niceCeil(maxAbs || 0.01);
  const px = (v) => lx + ((v + lim) / (2 * lim)) * (rx - lx);
  const left = svgEl("text", { x: px(0) - 8, y: 18, "text-anchor": "end", "font-size": 14, "font-weight": 600, class: "fill-a" }, svg);
  left.textContent = "← A higher";
  const right = svgEl("text", { x: px(0) + 8, y: 18, "font-size": 14, "font-weight": 600, class: "fill-b" }, svg);
  right.textContent = "B higher →";
  for (const v of [-lim, -lim / 2, 0, lim / 2, lim]) {
    svgEl("line", { x1: px(v), x2: px(v), y1: top - 4, y2: H - 22, class: v === 0 ? "zero" : "grid" }, svg);
    const t = svgEl("text", { x: px(v), y: H - 6, "text-anchor": v === -lim ? "start" : v === lim ? "end" : "middle", "font-size": 13 }, svg);
    t.textContent = v === 0 ? "0" : signed(v);
  }
  inds.forEach((ind, r) => {
    const y0 = top + r * rowH;
    const label = svgEl("text", { x: lx, y: y0 + 16, "font-size": 14, "font-weight": 600 }, svg);
    label.textContent = `${ind.title} — ${ind.whom}`;
    const d = ind.diff;
    const value = svgEl("text", { x: rx, y: y0 + 16, "text-anchor": "end", "font-size": 14 }, svg);
    if (d.mean === null) { value.textContent = "not defined"; return; }
    const fewer = d.n < replicates ? `  n=${d.n}/${replicates}` : "";
    value.textContent = `${signed(d.mean)}  [${signed(d.ci_low)}, ${signed(d.ci_high)}]${fewer}`;
    const y = y0 + 36;
    const x0 = px(0), x1 = px(d.mean);
    svgEl("rect", { x: Math.min(x0, x1), y: y - 10, width: Math.max(1.5, Math.abs(x1 - x0)), height: 20, class: "bar" + (d.mean < 0 ? " neg" : ""), "data-key": ind.key }, svg);
    if (d.ci_low !== null && d.ci_high !== null) {
      svgEl("line", { x1: px(d.ci_low), x2: px(d.ci_high), y1: y, y2: y, class: "whisker" }, svg);
      svgEl("line", { x1: px(d.ci_low), x2: px(d.ci_low), y1: y - 7, y2: y + 7, class: "whisker" }, svg);
      svgEl("line", { x1: px(d.ci_high), x2: px(d.ci_high), y1: y - 7, y2: y + 7, class: "whisker" }, svg);
    }
  });
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
    card.querySelector(".title").textContent = ind.title;
    card.querySelector(".finals").innerHTML = `<span class="fa">A ${show(ind.final.a)}</span> · <span class="fb">B ${show(ind.final.b)}</span>`;
    card.querySelector(".meaning").textContent = `${ind.meaning}. About ${ind.whom}. Week ${data.weeks}.`;
    const svg = card.querySelector("svg");
    svg.setAttribute("aria-label", `${ind.title} over ${data.weeks} weeks, designs A and B`);
    lineChart(svg, ind, data.weeks, replayWeek());
  }
  const card = chartCard("chart-diff", "diff");
  card.querySelector(".title").textContent = `Difference B − A in week ${data.weeks}`;
  card.querySelector(".finals").textContent = "";
  card.querySelector(".meaning").textContent = `Mean difference over the ${data.replicates} paired replicates (same random draws), 95 % confidence interval in brackets.`;
  diffChart(card.querySelector("svg"), data.indicators, data.replicates);
  // Keep the difference chart last.
  $("charts").appendChild(card);
}

// ---------------------------------------------------------------- replay

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
    box.textContent = "";
    // The meeting on the left, what it left behind (end of week) on the right.
    const left = document.createElement("div"), right = document.createElement("div");
    left.className = "pane meeting";
    right.className = "pane after";
    let pane = left;
    for (const l of data.lines) {
      if (l.kind === "heading" && l.text.startsWith("End of week")) pane = right;
      const div = document.createElement("div");
      div.className = "l-" + l.kind;
      div.textContent = l.text;
      pane.appendChild(div);
    }
    box.appendChild(left);
    box.appendChild(right);
    box.dataset.usurped = String(data.usurped);
    box.dataset.design = which;
  } catch (err) {
    if (seq !== state.replaySeq) return;
    box.textContent = "";
    const div = document.createElement("div");
    div.className = "pane l-note";
    div.textContent = "Cannot replay: " + (err.message || err);
    box.appendChild(div);
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
    const name = m ? m[1] : `${state.d[which].scenario}-${which}.toml`;
    const url = URL.createObjectURL(new Blob([text], { type: "application/toml" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    showError("Download failed: " + (err.message || err));
  }
}

// ---------------------------------------------------------------- start

async function start() {
  buildSliders();
  let info;
  try {
    const res = await fetch("/api/scenarios");
    info = await res.json();
  } catch (err) {
    showError("Cannot reach the dugnad server: " + err);
    return;
  }
  state.info = info;
  $("about").textContent = `The charts are about ${info.subject}, unless a chart says otherwise. ${info.not_a_forecast}`;
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
      state.d[which] = newDesign(sel.value);
      if (which === "a") resetRun();
      changed();
    });
  }
  const pick = (n, fallback) => (state.byName[n] ? n : fallback);
  const first = info.scenarios.find((s) => !s.error).name;
  const params = new URLSearchParams(location.search);
  state.d.a = newDesign(pick(params.get("a") || "knitting-cafe", first));
  state.d.b = newDesign(pick(params.get("b") || "co-designed-cafe", first));
  resetRun();
  for (const id of ["replicates", "weeks", "seed"]) $(id).addEventListener("change", changed);
  $("copy-ab").addEventListener("click", () => {
    state.d.b = newDesign(state.d.a.scenario);
    state.d.b.values = Object.assign({}, state.d.a.values);
    changed();
  });
  $("reset").addEventListener("click", () => {
    state.d.a = newDesign(state.d.a.scenario);
    state.d.b = newDesign(state.d.b.scenario);
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
  changed();
}

start();
