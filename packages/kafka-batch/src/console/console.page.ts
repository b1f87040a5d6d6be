/**
 * The console's page: one HTML document with its style and script inline, so that it needs no CDN,
 * no build step and no static-file middleware. It reads `api/state` every 2 s, relative to its own
 * URL, and draws every figure from it.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kafka batch listeners</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2430; }
  header { background: #1d2430; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  main { padding: 16px 20px; display: grid; gap: 16px; }
  section.listener { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 12px 16px; }
  .row { display: flex; flex-wrap: wrap; gap: 24px; align-items: center; }
  .figure b { display: block; font-size: 20px; }
  .figure span { color: #5b6574; font-size: 12px; }
  .state { padding: 2px 8px; border-radius: 10px; font-weight: 600; }
  .state.running { background: #d9f2e3; color: #17603a; } .state.paused { background: #fff0c2; color: #7a5a00; }
  .state.failed, .state.stopped { background: #fbdada; color: #8a1c1c; }
  table { border-collapse: collapse; width: 100%; margin-top: 8px; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eef0f3; font-variant-numeric: tabular-nums; }
  th { color: #5b6574; font-weight: 500; font-size: 12px; } th.num { text-align: right; }
  td.num { text-align: right; }
  button { padding: 4px 12px; border: 1px solid #b8c0cc; background: #fff; border-radius: 4px; cursor: pointer; }
  button:disabled { opacity: .5; cursor: default; }
  .errors li { color: #8a1c1c; font-family: ui-monospace, monospace; font-size: 12px; }
  details { margin-top: 8px; } summary { cursor: pointer; color: #2a5bd7; }
  input { padding: 3px 6px; border: 1px solid #b8c0cc; border-radius: 4px; }
  .muted { color: #5b6574; } pre { white-space: pre-wrap; font-size: 12px; margin: 0; }
  svg.spark { vertical-align: middle; }
</style>
</head>
<body>
<header><h1>Kafka batch listeners</h1><span id="updated" class="muted"></span><span id="mode"></span></header>
<main id="listeners"><p class="muted">Loading…</p></main>
<script>
'use strict';
const api = (path) => new URL(path, location.origin + location.pathname.replace(/\\/?$/, '/'));
let readOnly = true;
const open = new Set();
const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const number = (n) => (n === undefined || n === null ? '–' : Math.round(n).toLocaleString('en-US'));
function spark(values, width = 120, height = 24) {
  const points = values.filter((v) => typeof v === 'number');
  if (points.length < 2) return '<svg class="spark" width="' + width + '" height="' + height + '"></svg>';
  const max = Math.max(...points, 1);
  const step = width / (points.length - 1);
  const path = points.map((v, i) => (i ? 'L' : 'M') + (i * step).toFixed(1) + ',' + (height - 1 - (v / max) * (height - 2)).toFixed(1)).join(' ');
  return '<svg class="spark" width="' + width + '" height="' + height + '"><path d="' + path + '" fill="none" stroke="#2a5bd7" stroke-width="1.5"/></svg>';
}
function figure(label, value, extra = '') {
  return '<div class="figure"><b data-figure="' + escape(label) + '">' + value + '</b><span>' + escape(label) + '</span>' + extra + '</div>';
}
function listenerHtml(l) {
  const state = l.paused && l.state === 'running' ? 'paused' : l.state;
  const history = l.history || [];
  const lag = l.lag || { partitions: [] };
  const rows = (lag.partitions || []).map((p) => {
    const key = p.topic + '/' + p.partition;
    return '<tr data-partition="' + escape(key) + '"><td>' + escape(p.topic) + '</td><td class="num">' + p.partition + '</td><td class="num" data-lag>' + number(p.lag) +
      '</td><td class="num">' + (p.lagSeconds === undefined ? '–' : p.lagSeconds.toFixed(1)) + '</td><td>' + spark(history.map((h) => h.partitions[key])) + '</td><td>' + escape(p.status || '') + '</td></tr>';
  }).join('');
  const errors = (l.lastErrors || []).map((e) => '<li>' + new Date(e.at).toLocaleTimeString() + ' ' + escape(e.message) + '</li>').join('');
  const disabled = readOnly ? ' disabled' : '';
  return '<section class="listener" data-listener="' + escape(l.id) + '">' +
    '<div class="row"><h2 style="margin:0;font-size:16px">' + escape(l.id) + '</h2><span class="state ' + escape(state) + '" data-state>' + escape(state) + '</span>' +
    '<span class="muted">group ' + escape(l.groupId) + ' · ' + escape(l.topics.join(', ')) + ' · ' + l.assignment.length + ' partitions · concurrency ' + l.concurrency + '</span>' +
    '<button data-action="' + (l.paused ? 'resume' : 'pause') + '"' + disabled + '>' + (l.paused ? 'Resume' : 'Pause') + '</button></div>' +
    '<div class="row" style="margin-top:8px">' +
    figure('lag (records)', number(lag.totalLag), spark(history.map((h) => h.totalLag))) +
    figure('lag (seconds)', lag.maxLagSeconds === undefined ? '–' : lag.maxLagSeconds.toFixed(1), spark(history.map((h) => h.maxLagSeconds))) +
    figure('records/s', number(history.length ? history[history.length - 1].throughput : undefined), spark(history.map((h) => h.throughput))) +
    figure('in flight', number(l.inFlightRecords)) + figure('batches running', number(l.batchesInFlight)) +
    figure('handled', number(l.counts.records)) + figure('failed invocations', number(l.counts.failedInvocations)) +
    figure('to retry topics', number(l.counts.retried)) + figure('dead-lettered', number(l.counts.deadLettered)) + '</div>' +
    (l.error ? '<p class="errors">' + escape(l.error) + '</p>' : '') +
    '<table><thead><tr><th>topic</th><th class="num">partition</th><th class="num">lag</th><th class="num">lag s</th><th>last minutes</th><th>status</th></tr></thead><tbody>' + rows + '</tbody></table>' +
    (errors ? '<h3 style="font-size:13px">Last errors</h3><ul class="errors">' + errors + '</ul>' : '') +
    '<details data-panel="seek"' + (open.has(l.id + 'seek') ? ' open' : '') + '><summary>Seek a partition</summary>' +
    '<input name="topic" placeholder="topic" value="' + escape(l.topics[0]) + '"> <input name="partition" placeholder="partition" size="4"> ' +
    '<input name="to" placeholder="offset, beginning or end" size="18"> <button data-action="seek"' + disabled + '>Seek</button></details>' +
    '<details data-panel="dlt"' + (open.has(l.id + 'dlt') ? ' open' : '') + '><summary>Dead letters (' + escape(l.deadLetterTopics.join(', ')) + ')</summary>' +
    '<button data-action="preview">Show the newest</button> <span data-preview-status class="muted"></span><div data-preview></div>' +
    '<p>Redrive: <input name="exception" placeholder="exception class (regex)"> <input name="message" placeholder="message (regex)"> ' +
    '<label><input type="checkbox" name="dryRun" checked> dry run</label> <button data-action="redrive"' + disabled + '>Start</button></p></details>' +
    '</section>';
}
function redrivesHtml(runs) {
  if (!runs.length) return '';
  return '<section class="listener"><h2 style="margin:0;font-size:16px">Redrives</h2><table><thead><tr><th>#</th><th>from</th><th>mode</th><th>read</th><th>sent</th><th>state</th></tr></thead><tbody>' +
    runs.map((r) => '<tr><td>' + r.id + '</td><td>' + escape(r.deadLetterTopic) + '</td><td>' + (r.dryRun ? 'dry run' : 'redrive') + '</td><td class="num">' + number(r.progress && r.progress.read) +
      '</td><td class="num">' + number(r.progress && r.progress.sent) + '</td><td>' + escape(r.failure ? 'failed: ' + r.failure : r.endedAt ? 'done' : 'running') + '</td></tr>').join('') +
    '</tbody></table></section>';
}
async function refresh() {
  try {
    const response = await fetch(api('api/state'), { credentials: 'same-origin' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const state = await response.json();
    readOnly = state.readOnly;
    const main = document.getElementById('listeners');
    // What the user typed and opened survives the redraw.
    const kept = {};
    main.querySelectorAll('[data-listener]').forEach((s) => {
      const inputs = {};
      s.querySelectorAll('input').forEach((i) => (inputs[i.name] = i.type === 'checkbox' ? i.checked : i.value));
      kept[s.dataset.listener] = { preview: s.querySelector('[data-preview]').innerHTML, inputs };
    });
    main.innerHTML = state.listeners.map(listenerHtml).join('') + redrivesHtml(state.redrives);
    main.querySelectorAll('[data-listener]').forEach((s) => {
      const k = kept[s.dataset.listener];
      if (!k) return;
      s.querySelector('[data-preview]').innerHTML = k.preview;
      s.querySelectorAll('input').forEach((i) => {
        if (!(i.name in k.inputs)) return;
        if (i.type === 'checkbox') i.checked = k.inputs[i.name];
        else i.value = k.inputs[i.name];
      });
    });
    document.getElementById('updated').textContent = 'updated ' + new Date(state.now).toLocaleTimeString();
    document.getElementById('mode').textContent = readOnly ? 'read-only' : '';
  } catch (err) {
    document.getElementById('updated').textContent = 'cannot refresh: ' + err.message;
  }
}
async function post(path, body) {
  const response = await fetch(api(path), { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).message || 'HTTP ' + response.status);
  return response.status === 204 ? undefined : response.json();
}
document.addEventListener('toggle', (e) => {
  const section = e.target.closest && e.target.closest('[data-listener]');
  if (section) (e.target.open ? open.add : open.delete).call(open, section.dataset.listener + e.target.dataset.panel);
}, true);
document.addEventListener('click', async (e) => {
  const button = e.target.closest('button[data-action]');
  if (!button) return;
  const section = button.closest('[data-listener]');
  const id = section.dataset.listener;
  const field = (name) => section.querySelector('[name="' + name + '"]');
  const base = 'api/listeners/' + encodeURIComponent(id) + '/';
  try {
    button.disabled = true;
    const action = button.dataset.action;
    if (action === 'pause' || action === 'resume') await post(base + action);
    if (action === 'seek') {
      const to = field('to').value.trim();
      await post(base + 'seek', { topic: field('topic').value.trim(), partition: Number(field('partition').value), to: /^\\d+$/.test(to) ? Number(to) : to });
    }
    if (action === 'redrive') await post(base + 'redrive', { exception: field('exception').value || undefined, message: field('message').value || undefined, dryRun: field('dryRun').checked });
    if (action === 'preview') {
      const letters = await (await fetch(api(base + 'dead-letters?limit=20'), { credentials: 'same-origin' })).json();
      section.querySelector('[data-preview]').innerHTML = '<table><thead><tr><th>letter</th><th>from</th><th>exception</th><th>value</th></tr></thead><tbody>' +
        letters.map((d) => '<tr><td>' + escape(d.topic + '/' + d.partition + '@' + d.offset) + '</td><td>' + escape((d.originalTopic || '?') + '/' + (d.originalPartition || '?') + '@' + (d.originalOffset || '?')) +
          '</td><td>' + escape((d.exceptionClass || '') + ': ' + (d.exceptionMessage || '')) + '</td><td><pre>' + escape(d.value) + '</pre></td></tr>').join('') + '</tbody></table>';
      section.querySelector('[data-preview-status]').textContent = letters.length + ' shown';
    }
    await refresh();
  } catch (err) {
    alert(err.message);
  } finally {
    button.disabled = false;
  }
});
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
