// Drives the classroom page of `dugnad serve` in Debian's chromium (started by run.sh).
// Env: BASE_URL (the page), DUGNAD_BIN (the binary, for `dugnad check`), OUT_DIR (screenshot).
import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const base = process.env.BASE_URL;
const bin = process.env.DUGNAD_BIN;
const out = process.env.OUT_DIR || ".";
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
