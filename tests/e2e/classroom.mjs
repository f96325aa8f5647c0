// Drives the classroom page of `dugnad serve` in Debian's chromium (started by run.sh).
// Env: BASE_URL (the page), DUGNAD_BIN (the binary, for `dugnad check`), OUT_DIR (test
// screenshots), SHOTS_DIR (the screenshots kept as CI artifacts: output/screenshots/).
import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const base = process.env.BASE_URL;
const bin = process.env.DUGNAD_BIN;
const out = process.env.OUT_DIR || ".";
const shots = process.env.SHOTS_DIR || out;
assert.ok(base && bin, "BASE_URL and DUGNAD_BIN must be set (run through run.sh)");

const profile = mkdtempSync(join(tmpdir(), "dugnad-chromium-"));
const downloads = mkdtempSync(join(tmpdir(), "dugnad-downloads-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1600, height: 1000 },
  acceptDownloads: true,
});

let failed = false;
try {
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  let expect400 = false; // while the over-limit request is tested
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (expect400 && /status of 400/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  // Nothing may leave this computer: every request goes to the dugnad server.
  page.on("request", (r) => { if (!/^(blob|data):/.test(r.url()) && !r.url().startsWith(base)) problems.push(`off-site request: ${r.url()}`); });

  const updates = () => page.evaluate(() => Number(document.body.dataset.updates || 0));
  const waitUpdates = (n) => page.waitForFunction((n) => Number(document.body.dataset.updates || 0) >= n, n, { timeout: 20000 });
  // An update, or a message from the server: then fail with the message.
  const waitUpdateOrError = async (n, what) => {
    await page.waitForFunction((n) => Number(document.body.dataset.updates || 0) >= n || !document.getElementById("error").hidden, n, { timeout: 20000 });
    assert.equal(await page.isHidden("#error"), true, `${what}: ${await page.textContent("#error")}`);
  };
  const lines = () => page.$$eval("#charts path[class^=line-]", (ps) => ps.map((p) => p.getAttribute("d")));
  const diffBars = () => page.$$eval("#chart-diff rect.bar", (rs) => rs.map((r) => `${r.getAttribute("x")} ${r.getAttribute("width")}`));

  await page.goto(base);
  await waitUpdates(1);
  const charts = await page.$$eval("#charts .chart", (cs) => cs.map((c) => c.id));
  console.log("charts:", charts.join(", "));
  for (const k of ["voice_parity", "spoken_for_rate", "dependency_help_share", "mean_agency", "bridging_tie_strength", "founding_volunteers_retained", "diff"]) {
    assert.ok(charts.includes(`chart-${k}`), `chart ${k} is drawn`);
  }
  const before = await lines();
  const barsBefore = await diffBars();
  assert.equal(before.length, 12, "six charts × (A, B) mean lines");
  assert.ok(before.every((d) => d && d.startsWith("M")), "lines have path data");

  // The replay panel shows a transcript, and its usurp lines match the engine's count.
  await page.waitForSelector("#transcript .l-title", { timeout: 20000 });
  const replayed = await page.$eval("#transcript", (t) => ({ usurped: Number(t.dataset.usurped), lines: t.querySelectorAll(".l-usurped").length, all: t.querySelectorAll(".pane > div").length }));
  console.log(`replay: ${replayed.all} lines, ${replayed.lines} usurped turns (engine: ${replayed.usurped})`);
  assert.equal(replayed.lines, replayed.usurped, "one transcript line per usurped turn");

  // Move B's facilitation slider one step at a time, timing each update as a user sees it.
  const slider = page.locator("#in-b-facilitation");
  await slider.focus();
  const times = [];
  for (let i = 0; i < 6; i++) {
    const n = await updates();
    const t0 = Date.now();
    await page.keyboard.press("ArrowRight");
    await waitUpdates(n + 1);
    times.push(Date.now() - t0);
  }
  // A bigger jump, as a drag would make.
  {
    const n = await updates();
    const t0 = Date.now();
    await slider.fill("1");
    await waitUpdates(n + 1);
    times.push(Date.now() - t0);
  }
  // Two sliders of design A (a design lever and a population trait).
  for (const [id, v] of [["#in-a-co_design", "0.6"], ["#in-a-need_to_help", "0.9"]]) {
    const n = await updates();
    const t0 = Date.now();
    await page.locator(id).fill(v);
    await waitUpdates(n + 1);
    times.push(Date.now() - t0);
  }
  await page.waitForFunction(() => !window.dugnad.inflight && !window.dugnad.pending);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`update latency per slider move (ms): ${times.join(", ")}; median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted[sorted.length - 1]}`);
  assert.ok(sorted[sorted.length - 1] < 3000, "every update arrives within 3 s");

  const after = await lines();
  const changed = after.filter((d, i) => d !== before[i]).length;
  console.log(`mean lines changed: ${changed} of ${after.length}`);
  assert.ok(changed >= 2, "the charts changed after moving the sliders");
  assert.notDeepEqual(await diffBars(), barsBefore, "the difference bars changed");
  const overridesB = await page.$eval("#overrides-b", (e) => e.textContent);
  assert.match(overridesB, /activity\.facilitation=1/, "the slider became an override");

  // A request over the limits shows the server's message, and the page recovers.
  {
    const n = await updates();
    expect400 = true;
    await page.fill("#replicates", "5000");
    await page.dispatchEvent("#replicates", "change");
    await page.waitForSelector("#error:not([hidden])", { timeout: 20000 });
    const msg = await page.textContent("#error");
    console.log(`error shown: ${msg.slice(0, 100)}…`);
    assert.match(msg, /replicates/);
    await page.fill("#replicates", "40");
    await page.dispatchEvent("#replicates", "change");
    await waitUpdates(n + 1);
    expect400 = false;
    assert.equal(await page.isHidden("#error"), true, "the message goes away after a good update");
  }

  // Replay week 20 of design B.
  await page.check("input[name=replay-design][value=b]");
  await page.locator("#replay-week").fill("20");
  await page.waitForFunction(() => document.querySelector("#transcript .l-title")?.textContent.includes("week 20"), null, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector("#transcript").dataset.design === "b", null, { timeout: 20000 });
  const usurp = await page.$eval("#transcript", (t) => [t.querySelectorAll(".l-usurped").length, Number(t.dataset.usurped)]);
  assert.equal(usurp[0], usurp[1], "usurp lines match the engine's count in the replayed week");

  // Download design B and check it with the command line.
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20000 }), page.click("#download-b")]);
  const file = join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  const toml = readFileSync(file, "utf8");
  console.log(`downloaded ${download.suggestedFilename()} (${toml.length} bytes)`);
  assert.match(toml, /facilitation = 1/, "the download carries the slider's value");
  const check = spawnSync(bin, ["check", file], { encoding: "utf8" });
  if (check.status !== 0) console.error(check.stderr);
  assert.equal(check.status, 0, "`dugnad check` accepts the downloaded scenario");
  const again = spawnSync(bin, ["check", file], { encoding: "utf8" });
  assert.equal(again.stdout, check.stdout, "the check is stable");

  // ---- Watch a meeting: play, pause, step, the turn counter, what is drawn.
  const counter = () => page.$eval("#turn-counter", (c) => ({ step: Number(c.dataset.step), turn: Number(c.dataset.turn), meeting: Number(c.dataset.meeting), kind: c.dataset.kind, text: c.textContent }));
  const replays = () => page.evaluate(() => Number(document.body.dataset.replays || 0));
  // Design A, knitting café, week 4 (a week with sentences finished by others, see tests/serve.rs).
  {
    const r = await replays();
    await page.check("input[name=replay-design][value=a]");
    await page.locator("#replay-week").fill("4");
    await page.waitForFunction((r) => Number(document.body.dataset.replays || 0) > r && document.querySelector("#transcript").dataset.design === "a" && window.dugnad.trace.week === 4, r, { timeout: 20000 });
  }
  const seated = await page.$$eval("#table-svg g.seat", (gs) => gs.length);
  const cast = await page.evaluate(() => window.dugnad.trace.cast.length);
  assert.equal(seated, cast, "one seat per person of the group");
  assert.equal((await counter()).step, 0, "the replay starts before the first event");
  // Step: one event at a time; the counter follows; the speaker is marked.
  await page.click("#step");
  let c = await counter();
  assert.equal(c.step, 1, "one step forward");
  assert.ok(c.meeting >= 1 && c.turn >= 1, `the counter shows a meeting and a turn: ${c.text}`);
  assert.equal(await page.$$eval("#table-svg g.seat.speaking, #table-svg g.seat.hesitating, #table-svg g.seat.cut-off", (g) => g.length), 1, "the speaker is marked");
  await page.click("#step");
  await page.click("#step");
  assert.equal((await counter()).step, 3, "three steps");
  // Play: the counter runs on its own at 4×; pause stops it.
  await page.selectOption("#speed", "4");
  await page.click("#play");
  await page.waitForFunction(() => Number(document.querySelector("#turn-counter").dataset.step) >= 8, null, { timeout: 10000 });
  await page.click("#play"); // pause
  const paused = (await counter()).step;
  await page.waitForTimeout(800);
  assert.equal((await counter()).step, paused, "pause stops the replay");
  assert.ok(paused >= 8, `play advanced the replay (step ${paused})`);
  // The next sentence finished by someone else: an arrow from the one who finishes it to her.
  const usurpsInWeek = await page.evaluate(() => window.dugnad.steps.filter((s) => s.kind === "usurped").length);
  const engineUsurps = await page.$eval("#transcript", (t) => Number(t.dataset.usurped));
  assert.equal(usurpsInWeek, engineUsurps, "one usurp step per sentence the engine counts as finished by another");
  assert.ok(usurpsInWeek > 0, "week 4 of the knitting café has a sentence finished by another");
  await page.click("#restart");
  await page.click("#next-usurp");
  c = await counter();
  assert.equal(c.kind, "usurped", "next cut-off lands on a usurp");
  assert.equal(await page.$$eval("#table-svg path.arrow.usurp", (p) => p.length), 1, "an arrow is drawn on a usurp");
  assert.equal(await page.$$eval("#table-svg g.seat.cut-off", (g) => g.length), 1, "the one cut off is marked");
  assert.equal(await page.$$eval("#table-svg g.seat.usurper", (g) => g.length), 1, "the one who finishes her sentence is marked");
  const caption = await page.textContent("#step-caption");
  const u = await page.evaluate(() => window.dugnad.steps[window.dugnad.step - 1]);
  const pair = await page.evaluate((u) => [window.dugnad.trace.cast[u.by].name, window.dugnad.trace.cast[u.speaker].name], u);
  assert.ok(caption.includes(pair[0]) && caption.includes(pair[1]), `the caption names both: ${caption}`);
  console.log(`replay: ${seated} seats, step ${c.step}: ${caption}`);
  await page.locator("#watch").scrollIntoViewIfNeeded();
  await page.locator("#watch").screenshot({ path: join(shots, "replay-mid-meeting.png") });
  // The end of the week: limbo marked where the engine counts it.
  const steps = await page.evaluate(() => window.dugnad.steps.length);
  for (let i = c.step; i < steps; i++) await page.click("#step");
  assert.equal((await counter()).kind, "end", "the last step is the week's end");
  const limboDrawn = await page.$$eval("#table-svg .badge.limbo", (b) => b.length);
  const limboEngine = await page.evaluate(() => window.dugnad.trace.people.filter((p) => p.limbo).length);
  assert.equal(limboDrawn, limboEngine, "a limbo mark per person in limbo");

  // ---- The tie network at a chosen week: edges drawn, three stroke kinds in the legend.
  {
    const r = await replays();
    await page.locator("#replay-week").fill("40");
    await page.waitForFunction((r) => Number(document.body.dataset.replays || 0) > r && window.dugnad.trace.week === 40, r, { timeout: 20000 });
  }
  const edges = await page.$$eval("#network-svg > line.tie", (ls) => ls.map((l) => l.dataset.kind));
  const served = await page.evaluate(() => window.dugnad.trace.network.edges.length);
  assert.ok(edges.length > 0, "ties are drawn");
  assert.equal(edges.length, served, "one line per tie the server sends");
  const legend = await page.$$eval("#network-svg .tie-legend line", (ls) => ls.map((l) => [l.dataset.kind, getComputedStyle(l).strokeDasharray, getComputedStyle(l).stroke]));
  const kinds = legend.map((l) => l[0]);
  for (const k of ["bonding", "bridging", "linking"]) assert.ok(kinds.includes(k), `the legend shows ${k}`);
  const strokes = new Set(legend.filter((l) => ["bonding", "bridging", "linking"].includes(l[0])).map((l) => `${l[1]} ${l[2]}`));
  assert.equal(strokes.size, 3, `three different strokes for bonding, bridging, linking: ${[...strokes].join(" | ")}`);
  // The legend counts each type as ties.csv does; a newcomer–local-volunteer tie is bridging with
  // the linking mark on top (the café's cafés used to show 0 bridging ties).
  const counts = await page.$$eval("#network-svg .tie-legend text", (ts) => Object.fromEntries(ts.map((t) => [t.dataset.kind, Number(t.dataset.count)])));
  const servedCounts = await page.evaluate(() => window.dugnad.trace.network.edges.reduce((c, e) => ({ ...c, [e.kind]: (c[e.kind] || 0) + 1 }), {}));
  for (const k of ["bonding", "bridging", "linking", "bridging+linking", "other"]) assert.equal(counts[k], servedCounts[k] || 0, `legend count of ${k}`);
  assert.ok(counts["bridging+linking"] > 0, "the café's newcomer–volunteer ties are drawn as bridging and linking");
  const marks = await page.$$eval("#network-svg > line.tie-mark.t-linking", (ls) => ls.length);
  assert.equal(marks, counts["bridging+linking"], "a linking mark on every bridging+linking tie");
  console.log(`network: ${edges.length} ties in week 40 (${JSON.stringify(counts)})`);
  await page.locator(".network-card").screenshot({ path: join(shots, "network.png") });

  // ---- Follow one person: choose her, her lines are drawn over the weeks.
  const person = await page.evaluate(() => window.dugnad.trace.cast.find((m) => m.role === "participant" && !window.dugnad.trace.people[m.slot].majority).name);
  await page.selectOption("#follow-person", person);
  await page.waitForFunction((p) => document.querySelector("#follow-svg").dataset.person === p, person, { timeout: 5000 });
  const followLines = await page.$$eval("#follow-svg path.fl", (ps) => ps.map((p) => [p.dataset.series, (p.getAttribute("d") || "").length]));
  for (const k of ["agency", "competence", "perceived", "bonding", "bridging", "linking"]) {
    assert.ok(followLines.some(([s, n]) => s === k && n > 0), `following ${person}: ${k} drawn`);
  }
  assert.ok(await page.$eval(`#table-svg g.seat[data-name="${person}"]`, (g) => g.classList.contains("followed")), "the followed person is marked at the table");
  console.log(`follow: ${person} (${followLines.length} lines)`);
  await page.locator(".follow-card").screenshot({ path: join(shots, "follow.png") });

  // ---- The charts: the replayed week's label sits above the plot, not on the curves.
  {
    const clear = await page.$$eval("#charts .chart svg", (svgs) => svgs.filter((s) => s.querySelector(".mark-label")).map((s) => {
      const label = s.querySelector(".mark-label").getBBox();
      const grid = [...s.querySelectorAll("line.grid")].map((l) => Number(l.getAttribute("y1")));
      return label.y + label.height <= Math.min(...grid) + 1;
    }));
    assert.ok(clear.length >= 6 && clear.every(Boolean), "the replayed-week label is above every plot");
    const overlaps = await page.$eval("#chart-diff svg", (s) => {
      const ls = [...s.querySelectorAll(".diff-label")].map((t) => t.getBBox());
      const vs = [...s.querySelectorAll(".diff-value")].map((t) => t.getBBox());
      return ls.filter((l, i) => { const v = vs[i]; return v && l.x + l.width > v.x && Math.abs(l.y - v.y) < l.height; }).length;
    });
    assert.equal(overlaps, 0, "no indicator name runs into its value");
  }

  // ---- The language switch: Norwegian labels, <html lang>, and back to English.
  await page.selectOption("#lang", "nb");
  await page.waitForFunction(() => document.documentElement.lang === "nb", null, { timeout: 5000 });
  const nb = {
    play: await page.textContent("#play"),
    watch: await page.textContent("#watch h2"),
    chart: await page.textContent("#chart-spoken_for_rate .title"),
    slider: await page.textContent("#sliders .row .name"),
    legend: await page.textContent("#network-svg .tie-legend"),
  };
  console.log(`nb: ${JSON.stringify(nb)}`);
  assert.equal(nb.watch, "Se et møte");
  assert.equal(nb.chart, "Setninger fullført av andre");
  assert.match(nb.play, /Spill av|Pause/);
  assert.match(nb.legend, /sammenbindende/);
  assert.equal(nb.slider, "Tjenesteramme");
  assert.match(await page.textContent("#chart-spoken_for_rate .meaning"), /nyankomne/);
  // Whom each chart is about, worded by the page from the server's key: neither café has staff,
  // so the volunteer chart is about the volunteers alone, in bokmål.
  assert.match(await page.textContent("#chart-founding_volunteers_retained .meaning"), /Gjelder frivillige\./);
  const nbWhom = await page.$$eval("#chart-diff .diff-label", (ls) => ls.map((l) => l.textContent.split(" — ")[1]));
  console.log(`nb whom: ${JSON.stringify(nbWhom)}`);
  assert.deepEqual(nbWhom, ["nyankomne", "nyankomne", "nyankomne", "nyankomne", "nyankomne", "frivillige"]);
  assert.match(page.url(), /lang=nb/, "the address keeps the language");
  // The replay's transcript is asked for again in bokmål; the end of the week stays on the right.
  await page.waitForFunction(() => / — uke \d+, gruppe /.test(document.querySelector("#transcript .l-title")?.textContent || ""), null, { timeout: 20000 });
  assert.match(await page.textContent("#transcript .pane.after .l-heading"), /^Slutten av uke \d+$/);
  assert.equal(await page.$("#transcript-note"), null, "no note that the transcript is English");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "norwegian.png") });
  await page.selectOption("#lang", "en");
  await page.waitForFunction(() => document.documentElement.lang === "en", null, { timeout: 5000 });
  assert.equal(await page.textContent("#watch h2"), "Watch a meeting", "back in English");
  assert.equal(await page.textContent("#chart-spoken_for_rate .title"), "Sentences finished by others");
  assert.match(await page.textContent("#chart-founding_volunteers_retained .meaning"), /About volunteers\./);
  assert.equal(await page.textContent("#sliders .row .name"), "Service frame");
  await page.waitForFunction(() => / — week \d+, group /.test(document.querySelector("#transcript .l-title")?.textContent || ""), null, { timeout: 20000 });
  assert.match(await page.textContent("#transcript .pane.after .l-heading"), /^End of week \d+$/);

  // ---- One activity per design: municipality's designs are charted one at a time.
  {
    const n = await updates();
    await page.selectOption("#scenario-a", "municipality");
    await waitUpdateOrError(n + 1, "municipality (a)");
    assert.equal(await page.isVisible("#activity-a"), true, "municipality offers a choice of activity");
    const acts = await page.$$eval("#activity-a option", (os) => os.map((o) => o.value));
    assert.ok(acts.length >= 2, "several activities");
    const n2 = await updates();
    await page.selectOption("#activity-a", acts[1]);
    await waitUpdateOrError(n2 + 1, `municipality / ${acts[1]}`);
    assert.match(await page.textContent("#overrides-a"), new RegExp(`municipality / ${acts[1]}`));
    await page.click("#reset");
    const n3 = await updates();
    await page.selectOption("#scenario-a", "knitting-cafe");
    await waitUpdateOrError(n3 + 1, "back to knitting-cafe");
  }

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, "classroom.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(600); // the charts redraw for the new width
  await page.screenshot({ path: join(out, "classroom-720p.png") });
  console.log(`screenshots: ${join(out, "classroom.png")}, ${join(out, "classroom-720p.png")}`);

  // Every bundled scenario loads and updates on both sides (large ones with fewer groups).
  const names = await page.$$eval("#scenario-a option", (os) => os.map((o) => o.value));
  for (const name of names) {
    for (const which of ["a", "b"]) {
      if ((await page.inputValue(`#scenario-${which}`)) === name) continue;
      const n = await updates();
      await page.selectOption(`#scenario-${which}`, name);
      await waitUpdateOrError(n + 1, `${name} (${which})`);
    }
    // Group size and ratio of this scenario become valid counts.
    for (const [id, v] of [["group_size", "20"], ["ratio", "1.5"], ["language", "0.9"], ["stereotype", "0.8"], ["protectiveness", "0.1"], ["care_load", "0"]]) {
      const input = page.locator(`#in-b-${id}`);
      if (await input.isDisabled()) continue; // not in this scenario (e.g. no volunteers)
      const n = await updates();
      await input.fill(v);
      await waitUpdateOrError(n + 1, `${name}: ${id} = ${v}`);
    }
  }
  console.log(`scenarios checked: ${names.join(", ")}`);

  assert.deepEqual(problems, [], "no page errors, console errors or off-site requests");
  console.log("e2e: all checks passed");
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
