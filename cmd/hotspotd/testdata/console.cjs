// console.cjs — opens the console in headless Chromium as its users would
// and reports what they see, as JSON on stdout, for TestConsole to check
// against the API. Usage: node console.cjs BASE SCHEDULER_KEY VIEWER_KEY CHROMIUM [SCREENSHOT]
// CommonJS, so that playwright-core is found on NODE_PATH.
const { chromium } = require('playwright-core');

async function main() {
  const [base, schedulerKey, viewerKey, executablePath, screenshot] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  const out = { errors: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => out.errors.push(e.message));
    await page.goto(`${base}#key=${schedulerKey}&sel=houtai-xilu:4`);
    const wait = (sel) => page.waitForSelector(sel, { state: 'attached', timeout: 90000 });
    await wait('.plan-table tr.visit');
    await wait('path.seg[stroke]');
    await wait('.zone-list');
    await wait('#selection-merchants .notice');
    await wait('#evaluation .event-chart, #evaluation p.failed');
    const count = (sel) => page.locator(sel).count();
    out.rows = await count('.plan-table tr.visit');
    out.markers = await count('.marks .mark');
    out.zones = await count('.zone-list > li');
    out.eventPoints = await count('.event-chart circle');
    out.evaluationFailed = await count('#evaluation p.failed');
    out.merchantTags = await page.locator('#selection-merchants .vtag').allTextContents();
    out.notice = await page.locator('#selection-merchants .notice').textContent();
    out.planTitle = await page.locator('.plan-title').textContent();
    await page.locator('.plan-table tr.visit td.seg button').first().click();
    out.hashAfterClick = await page.evaluate(() => decodeURIComponent(location.hash));
    out.markerSelected = await count('.marks .mark.selected');
    if (screenshot) await page.screenshot({ path: screenshot });
    await page.emulateMedia({ media: 'print' });
    out.print = await page.evaluate(() => ({
      ranking: getComputedStyle(document.getElementById('card-ranking')).display,
      plan: getComputedStyle(document.getElementById('card-plan')).display,
      reason: getComputedStyle(document.querySelector('.plan-table .reason')).display,
      form: getComputedStyle(document.getElementById('plan-form')).display,
    }));
    const viewer = await browser.newPage();
    await viewer.goto(`${base}#key=${viewerKey}`);
    await viewer.waitForSelector('#plan p.muted >> text=scheduler', { timeout: 90000 });
    out.viewerPlan = await viewer.locator('#plan p.muted').textContent();
  } catch (e) {
    out.errors.push(String(e));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main();
