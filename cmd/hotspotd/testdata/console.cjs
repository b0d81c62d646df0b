// console.cjs — opens the console in headless Chromium as its users would
// and reports what they see, as JSON on stdout, for TestConsole to check
// against the API. CommonJS, so that playwright-core is found on NODE_PATH.
//
// Usage: node console.cjs OPTIONS_JSON, with {base, scheduler, viewer,
// chromium, shots (a folder for screenshots), mode ("plain": no basemap,
// the whole walk through the console; "basemap": the datum checks), and
// for "basemap" wgs and gcj: one road vertex in WGS-84 and in GCJ-02}.
const { chromium } = require('playwright-core');

// WebGL without a GPU: SwiftShader through ANGLE. The background-networking
// flags keep Chromium from calling out of this closed network.
const ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn in the page (page.evaluate: the console's CSP forbids waitForFunction's eval) until it is truthy. */
async function until(page, fn, arg, what, timeout = 60000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(50);
  }
}

// In the page: the rendered hexagons as a signature (sorted h3:value), or
// '' before any; [prev, 'diff'] waits for another one, [prev, 'same'] for prev.
const cells = ([prev, want] = []) => {
  const m = window.hotspotMap;
  if (!m || !m.getLayer('cells-fill') || !m.loaded()) return '';
  const fs = m.queryRenderedFeatures({ layers: ['cells-fill'] });
  const sig = [...new Set(fs.map((f) => `${f.properties.h3}:${f.properties.count ?? f.properties.value}`))].sort().join(' ');
  if (want === 'diff') return sig && sig !== prev ? sig : '';
  if (want === 'same') return sig === prev ? sig : '';
  return sig;
};
// In the page: the ranking table's text; with prev, '' until it differs.
const ranking = (prev) => {
  const text = (document.querySelector('#ranking .rank-table') || {}).textContent || '';
  return prev === undefined || (text && text !== prev) ? text : '';
};

/** Opens a page that records errors (page errors and console.error) and the API requests. */
async function open(browser, viewport) {
  const page = await browser.newPage({ viewport });
  const rec = { errors: [], requests: [] };
  page.on('pageerror', (e) => rec.errors.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') rec.errors.push('console.error: ' + m.text()); });
  page.on('request', (r) => rec.requests.push(r.url()));
  return { page, rec };
}

async function plain(browser, o, out) {
  const { page, rec } = await open(browser, { width: 1600, height: 1000 });
  out.errors = rec.errors;
  const shot = async (name) => { const p = `${o.shots}/${name}.png`; await page.screenshot({ path: p }); out.shots.push(p); };
  const t0 = Date.now();
  await page.goto(`${o.base}#key=${o.scheduler}&sel=houtai-xilu:4`);
  const before = await until(page, cells, [], 'the hexagons');
  out.loadMs = Date.now() - t0;
  // When the first hexagons' answer had arrived, from the navigation's start: the rest is drawing.
  out.answerMs = await page.evaluate(() => Math.round((performance.getEntriesByType('resource')
    .find((e) => e.name.includes('/api/v1/heatmap')) || {}).responseEnd || 0));
  const wait = (sel) => page.waitForSelector(sel, { state: 'attached', timeout: 90000 });
  await wait('.plan-table tr.visit');
  await wait('.zone-list');
  await wait('#selection-merchants .notice');
  await wait('#evaluation .event-chart, #evaluation p.failed');
  await wait('#ranking .rank-table');
  await wait('#trust .trust-chart polyline');
  await until(page, () => document.querySelectorAll('.maplibregl-marker.mark').length > 0, null, 'the plan markers');
  const count = (sel) => page.locator(sel).count();
  out.cells = before.split(' ').length;
  out.rows = await count('.plan-table tr.visit');
  out.markers = await count('.maplibregl-marker.mark');
  out.zones = await count('.zone-list > li');
  out.eventPoints = await count('.event-chart circle');
  out.evaluationFailed = await count('#evaluation p.failed');
  out.merchantTags = await page.locator('#selection-merchants .vtag').allTextContents();
  out.notice = await page.locator('#selection-merchants .notice').textContent();
  out.planTitle = await page.locator('.plan-title').textContent();
  out.rankingRoads = await count('#ranking tbody.rank-road');
  out.trustCurves = await count('#trust .trust-chart polyline');
  out.legend = await page.locator('#legend .legend-title').first().textContent();
  out.basemapNote = await page.evaluate(() => { const n = document.getElementById('basemap-note'); return n.hidden ? '' : n.textContent; });
  out.selectedRendered = await page.evaluate(() => window.hotspotMap.queryRenderedFeatures({ layers: ['seg-selected'] }).length);
  await shot('console');

  // A filter: untick the commonest category; the hexagons and the ranking change.
  const ranking0 = await page.evaluate(ranking);
  await page.locator('#by-category input[value="street-vending"]').uncheck();
  const changed = (p) => p.then(() => true, () => false);
  out.filterCells = await changed(until(page, cells, [before, 'diff'], 'the filtered hexagons'));
  out.filterRanking = await changed(until(page, ranking, ranking0, 'the filtered ranking'));
  out.filterURL = rec.requests.some((u) => u.includes('/api/v1/heatmap') && u.includes('category=') && !u.includes('street-vending'));
  await page.locator('#by-category input[value="street-vending"]').check();

  // The time slider, by keyboard: End is the current week, one step left the last whole week.
  const all = await until(page, cells, [before, 'same'], 'the unfiltered hexagons again');
  const ranking1 = await page.evaluate(ranking);
  await page.locator('#week').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  out.weekLabel = await page.locator('.week-label').textContent();
  out.weekCells = await changed(until(page, cells, [all, 'diff'], 'one week\'s hexagons'));
  out.weekRanking = await changed(until(page, ranking, ranking1, 'one week\'s ranking'));
  out.weekURL = rec.requests.some((u) => u.includes('/api/v1/heatmap') && /datetime=[^&]*%2F2/.test(u));
  out.weekHash = await page.evaluate(() => decodeURIComponent(location.hash));
  await shot('console-week');
  await page.locator('.timeline .play').click();
  await sleep(2000);
  out.playedLabel = await page.locator('.week-label').textContent();
  await page.locator('.timeline .play').click();
  await page.locator('.timeline button', { hasText: '全部' }).click();

  // The plan: clicking a visit selects its segment and its marker.
  await page.locator('.plan-table tr.visit td.seg button').first().click();
  out.hashAfterClick = await page.evaluate(() => decodeURIComponent(location.hash));
  out.markerSelected = await count('.maplibregl-marker.mark.selected');

  // A cell's card: click the busiest hexagon away from roads and markers.
  const at = await page.evaluate(() => {
    const m = window.hotspotMap;
    const canvas = m.getCanvas().getBoundingClientRect();
    const cells = m.queryRenderedFeatures({ layers: ['cells-fill'] }).sort((a, b) => (b.properties.count || 0) - (a.properties.count || 0));
    for (const f of cells) {
      const ring = f.geometry.coordinates[0];
      const c = ring.slice(1).reduce((s, p) => [s[0] + p[0] / (ring.length - 1), s[1] + p[1] / (ring.length - 1)], [0, 0]);
      const p = m.project(c);
      const box = [[p.x - 10, p.y - 10], [p.x + 10, p.y + 10]];
      if (m.queryRenderedFeatures(box, { layers: ['roads-solid', 'roads-dashed'] }).length) continue;
      const x = canvas.left + p.x, y = canvas.top + p.y;
      if (document.elementFromPoint(x, y) !== m.getCanvas()) continue;
      return { x, y, h3: f.properties.h3 };
    }
    return null;
  });
  if (at) {
    await page.mouse.click(at.x, at.y);
    await wait('#card-cell .bar-chart');
    out.cellCard = { h3: at.h3, shown: await page.locator('#card-cell .cell-id').textContent(),
      categories: await count('#card-cell .bar-row'), charts: await count('#card-cell .bar-chart') };
    await page.locator('#card-cell').scrollIntoViewIfNeeded();
    await shot('console-cell');
  }

  // Every hexagon layer draws, and so do the overlays and an officer's track.
  out.metrics = {};
  for (const id of ['rate', 'gistar', 'emerging', 'forecast', 'count']) {
    const sig = await page.evaluate(cells, []);
    await page.locator(`#layerbar button[data-layer="${id}"]`).click();
    await until(page, cells, [sig, 'diff'], id + ' hexagons').catch(() => '');
    out.metrics[id] = await page.evaluate(() => window.hotspotMap.queryRenderedFeatures({ layers: ['cells-fill'] }).length);
  }
  const rendered = (ls) => window.hotspotMap.loaded() && window.hotspotMap.queryRenderedFeatures({ layers: ls }).length;
  await page.locator('#toggle-blind').check();
  await page.locator('#toggle-zones').check();
  // The demo has no blind spot: the overlay is asked for and its legend row says how many.
  out.blind = await until(page, () => [...document.querySelectorAll('#legend .legend-row')]
    .map((r) => r.textContent).find((x) => x.startsWith('盲区')) || '', null, 'the blind-spot legend').catch(() => '');
  out.zonesDrawn = await until(page, rendered, ['zones-fill'], 'the pilot zones').catch(() => 0);
  await page.locator('#tracks button').click();
  await page.waitForSelector('#track-officer', { timeout: 60000 });
  out.tracks = await until(page, rendered, ['tracks-line'], 'an officer\'s track').catch(() => 0);
  await shot('console-overlays');
  await page.locator('#toggle-blind').uncheck();
  await page.locator('#toggle-zones').uncheck();

  // Violations as clustered points, at street level only.
  await page.locator('#toggle-points').check();
  await page.evaluate(() => {
    const f = window.hotspotMap.queryRenderedFeatures({ layers: ['cells-fill'] }).sort((a, b) => (b.properties.count || 0) - (a.properties.count || 0))[0];
    window.hotspotMap.jumpTo({ center: f.geometry.coordinates[0][0], zoom: 17 });
  });
  out.points = await until(page, () => {
    const m = window.hotspotMap;
    return m.loaded() && m.queryRenderedFeatures({ layers: ['points-cluster', 'points-one'] }).length;
  }, null, 'the violation points').catch(() => 0);
  out.pointsURL = rec.requests.filter((u) => u.includes('/api/v1/violations?') && u.includes('bbox=')).length;
  out.pointsNote = await page.locator('#points-note').textContent();
  await shot('console-points');
  await page.locator('#toggle-points').uncheck();
  await page.locator('#reset-view').click();

  // English, and back: the switch is kept in localStorage.
  await page.locator('#lang').click();
  await until(page, () => document.documentElement.lang === 'en', null, 'English');
  await sleep(500);
  out.english = {
    plan: await page.locator('#card-plan h2').innerText(), legend: await page.locator('#legend .legend-title').first().textContent(),
    stored: await page.evaluate(() => localStorage.getItem('hotspot.lang')),
  };
  await shot('console-en');
  await page.locator('#lang').click();

  // Printing keeps the plan, its reasons and a still of the map, and hides the rest.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  out.print = await page.evaluate(() => ({
    ranking: getComputedStyle(document.getElementById('card-ranking')).display,
    plan: getComputedStyle(document.getElementById('card-plan')).display,
    reason: getComputedStyle(document.querySelector('.plan-table .reason')).display,
    form: getComputedStyle(document.getElementById('plan-form')).display,
    map: getComputedStyle(document.getElementById('print-map')).display,
    still: document.getElementById('print-map').src.slice(0, 22),
  }));
  await page.emulateMedia({ media: 'screen' });

  // A phone: the map on top, its controls reachable.
  const phone = await open(browser, { width: 390, height: 844 });
  await phone.page.goto(`${o.base}#key=${o.scheduler}`);
  await until(phone.page, cells, [], 'the hexagons on a phone');
  await sleep(500);
  const p = `${o.shots}/console-phone.png`;
  await phone.page.screenshot({ path: p });
  out.shots.push(p);
  out.errors.push(...phone.rec.errors);

  // A viewer is told that the plan needs a scheduler key; the browser logs
  // the scheduler routes' 403s, which are this page's expected answers.
  const viewer = await open(browser, { width: 1280, height: 900 });
  await viewer.page.goto(`${o.base}#key=${o.viewer}`);
  await viewer.page.waitForSelector('#plan p.muted >> text=scheduler', { timeout: 90000 });
  out.viewerPlan = await viewer.page.locator('#plan p.muted').textContent();
  out.errors.push(...viewer.rec.errors.filter((e) => !/Failed to load resource: .* status of 403/.test(e)));
}

async function basemap(browser, o, out) {
  const { page, rec } = await open(browser, { width: 1600, height: 1000 });
  out.errors = rec.errors;
  await page.goto(`${o.base}#key=${o.scheduler}`);
  await until(page, cells, [], 'the hexagons over the basemap');
  await page.locator('#toggle-plan').uncheck();
  // Both the GCJ-02 and the WGS-84 position of the vertex in view (they are ~500 m apart).
  await page.evaluate(([g, w]) => window.hotspotMap.jumpTo({ center: [(g[0] + w[0]) / 2, (g[1] + w[1]) / 2], zoom: 16 }), [o.gcj, o.wgs]);
  await until(page, () => window.hotspotMap.loaded() && window.hotspotMap.areTilesLoaded(), null, 'the tiles at the vertex');
  await sleep(300);
  out.basemapNote = await page.evaluate(() => { const n = document.getElementById('basemap-note'); return n.hidden ? '' : n.textContent; });
  // Where the vertex is drawn: the road's dark pixels at project(gcj), and not at project(wgs).
  out.vertex = await page.evaluate(([gcj, wgs]) => {
    const m = window.hotspotMap;
    m.redraw();
    const src = m.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width; c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const k = src.width / src.clientWidth;
    const dark = (lnglat) => {
      const p = m.project(lnglat);
      const d = ctx.getImageData(Math.round(p.x * k) - 2, Math.round(p.y * k) - 2, 5, 5).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 110 && d[i + 3] > 200) n++;
      return { x: Math.round(p.x), y: Math.round(p.y), dark: n };
    };
    // The drawn road line nearest to project(gcj), in pixels.
    const q = m.project(gcj);
    let best = Infinity;
    for (const f of m.queryRenderedFeatures({ layers: ['roads-solid'] })) {
      const line = f.geometry.coordinates.map((v) => m.project(v));
      for (let i = 1; i < line.length; i++) {
        const a = line[i - 1], b = line[i];
        const dx = b.x - a.x, dy = b.y - a.y;
        const u = Math.max(0, Math.min(1, ((q.x - a.x) * dx + (q.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
        best = Math.min(best, Math.hypot(a.x + u * dx - q.x, a.y + u * dy - q.y));
      }
    }
    return { gcj: dark(gcj), wgs: dark(wgs), nearestLinePx: best };
  }, [o.gcj, o.wgs]);
  const p = `${o.shots}/console-basemap.png`;
  await page.screenshot({ path: p });
  out.shots.push(p);
  const api = rec.requests.filter((u) => /\/api\/v1\/(roads(\?|$)|heatmap|hotspots|forecast|violations|tracks|recommendations\/(pilot-zones|patrol))/.test(u));
  out.layerRequests = api.length;
  out.withoutCRS = api.filter((u) => !u.includes('crs=gcj02'));
  out.tileRequests = rec.requests.filter((u) => u.startsWith(o.tiles)).length;
}

async function main() {
  const o = JSON.parse(process.argv[2]);
  const browser = await chromium.launch({ executablePath: o.chromium, args: ARGS });
  const out = { errors: [], shots: [] };
  try {
    await (o.mode === 'basemap' ? basemap : plain)(browser, o, out);
  } catch (e) {
    out.errors.push(String(e && e.stack || e));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main();
