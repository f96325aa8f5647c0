// Opens SVG charts written by the command line (a forest plot of `dugnad compare`, a heatmap of
// `dugnad sweep`) in Debian's chromium and saves a screenshot of each, as a reader would see it.
// Usage: node charts.mjs OUT_DIR NAME=FILE.svg ... (started by run.sh).
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const [out, ...charts] = process.argv.slice(2);
assert.ok(out && charts.length, "usage: node charts.mjs OUT_DIR NAME=FILE.svg ...");
const profile = mkdtempSync(join(tmpdir(), "dugnad-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1400, height: 900 },
});
let failed = false;
try {
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  for (const spec of charts) {
    const [name, file] = spec.split("=");
    // The SVG inline in an empty page (chromium does not screenshot a bare SVG document).
    const svgText = readFileSync(file, "utf8").replace(/^<\?xml[^>]*>\s*/, "");
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svgText}</body></html>`);
    // The chart draws: an <svg> of a real size, with words (title, axes, legend) in it.
    const drawn = await page.evaluate(() => {
      const svg = document.querySelector("svg");
      if (!svg) return null;
      const box = svg.getBoundingClientRect();
      return { w: box.width, h: box.height, texts: svg.querySelectorAll("text").length };
    });
    assert.ok(drawn && drawn.w > 200 && drawn.h > 100, `${name}: the SVG has a size (${JSON.stringify(drawn)})`);
    assert.ok(drawn.texts >= 5, `${name}: the chart has words (${drawn.texts} text elements)`);
    await page.setViewportSize({ width: Math.ceil(drawn.w), height: Math.ceil(drawn.h) });
    const png = join(out, `${name}.png`);
    await page.screenshot({ path: png, fullPage: true });
    console.log(`${name}: ${Math.round(drawn.w)}×${Math.round(drawn.h)}, ${drawn.texts} text elements → ${png}`);
  }
  assert.deepEqual(problems, [], "no page errors");
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
