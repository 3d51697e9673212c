// Pond's dashboard: live snapshots from /events (Server-Sent Events), drawn as tables and charts.
(function () {
  'use strict';
  const LIFECYCLE = ['lifecycle:prospect', 'lifecycle:new', 'lifecycle:active', 'lifecycle:sleeping', 'lifecycle:churned'];
  const COLORS = ['#9aa5b1', '#4f9dde', '#2e7d32', '#f9a825', '#c62828', '#6a1b9a', '#00838f', '#ef6c00'];
  let lifecycleChart = null;
  let triggerChart = null;
  let triggerTypes = [];

  function cell(text, cls, segment) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    if (segment) td.dataset.segment = segment;
    return td;
  }

  function fmt(n) { return n.toLocaleString('en-US'); }

  function render(s) {
    const rows = document.getElementById('segments');
    rows.replaceChildren();
    let asOf = 0;
    for (const seg of s.segments) {
      if (seg.members === 0 && seg.entered === 0 && seg.exited === 0) continue;
      const tr = document.createElement('tr');
      tr.append(cell(seg.segment), cell(fmt(seg.members), 'members', seg.segment),
                cell('+' + fmt(seg.entered), 'entered', seg.segment), cell('-' + fmt(seg.exited), 'exited', seg.segment));
      rows.append(tr);
      asOf = Math.max(asOf, seg.windowEnd);
    }
    document.getElementById('asOf').textContent = asOf ? new Date(asOf).toISOString() : '-';

    const trig = document.getElementById('triggers');
    trig.replaceChildren();
    for (const [type, n] of Object.entries(s.triggers)) {
      const tr = document.createElement('tr');
      const c = cell(fmt(n), 'count');
      c.dataset.type = type;
      tr.append(cell(type), c);
      trig.append(tr);
    }

    const share = document.getElementById('share');
    share.textContent = s.sleepingShare === null ? '-' : (100 * s.sleepingShare).toFixed(1) + '%';
    const alert = document.getElementById('alert');
    alert.className = s.alert && s.alert.raised ? 'raised' : '';
    if (s.alert) {
      share.textContent += s.alert.raised
        ? ' - ALERT: above ' + (100 * s.alert.threshold).toFixed(0) + '% since ' + new Date(s.alert.windowEnd).toISOString()
        : ' (under the ' + (100 * s.alert.threshold).toFixed(0) + '% alert)';
    }
    drawLifecycle(s);
    drawTriggers(s);
  }

  // One line per lifecycle stage, stepped: a count holds until the next minute that changed.
  function drawLifecycle(s) {
    const bySegment = {};
    for (const seg of s.segments) bySegment[seg.segment] = seg.series || [];
    const times = new Set();
    for (const name of LIFECYCLE) for (const p of (bySegment[name] || [])) times.add(p[0]);
    const xs = Array.from(times).sort((a, b) => a - b);
    const data = [xs.map(t => t / 1000)];
    for (const name of LIFECYCLE) {
      const points = bySegment[name] || [];
      let i = 0, last = null;
      data.push(xs.map(t => { while (i < points.length && points[i][0] <= t) last = points[i++][1]; return last; }));
    }
    const opts = { width: 560, height: 240, series: [{}].concat(LIFECYCLE.map((name, k) => ({
      label: name.substring(10), stroke: COLORS[k], width: 2, paths: uPlot.paths.stepped({ align: 1 }) }))) };
    if (lifecycleChart) lifecycleChart.setData(data);
    else lifecycleChart = new uPlot(opts, data, document.getElementById('lifecycleChart'));
  }

  function drawTriggers(s) {
    const types = Array.from(new Set(s.triggersPerHour.flatMap(h => Object.keys(h.byType)))).sort();
    const data = [s.triggersPerHour.map(h => h.hour / 1000)].concat(types.map(t => s.triggersPerHour.map(h => h.byType[t] || 0)));
    if (!triggerChart || types.join() !== triggerTypes.join()) {
      if (triggerChart) triggerChart.destroy();
      triggerTypes = types;
      triggerChart = new uPlot({ width: 560, height: 240, series: [{}].concat(types.map((t, k) => ({
        label: t, stroke: COLORS[(k + 1) % COLORS.length], width: 2 }))) }, data, document.getElementById('triggerChart'));
    } else {
      triggerChart.setData(data);
    }
  }

  // The server sends a snapshot at once and a new one whenever records arrived. ?frames=N stops
  // after N of them (a headless browser that prints the page waits for the network to go quiet).
  const frames = Number(new URLSearchParams(location.search).get('frames')) || Infinity;
  let seen = 0;
  const events = new EventSource('/events');
  events.addEventListener('snapshot', e => {
    render(JSON.parse(e.data));
    document.getElementById('status').textContent = 'live';
    if (++seen >= frames) events.close();
  });
  events.onerror = () => { document.getElementById('status').textContent = 'reconnecting'; };
})();
