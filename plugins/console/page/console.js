// The console page: fetches the gateway's state every few seconds and draws it. Plain script, no build
// step; every value reaches the page through textContent, never as markup.
(() => {
  'use strict';

  const base = document.querySelector('meta[name="mana-console-base"]').content;
  const KEY_STORAGE = 'mana-llm-console-key';
  const RECENT_ROWS = 30;
  const $ = (id) => document.getElementById(id);

  let refreshMs = 5000;
  let timer;
  let failingSince = null;
  let lastState = null;
  const charts = {};

  // ---- fetching -------------------------------------------------------------------------------------

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function authHeaders() {
    const key = sessionStorage.getItem(KEY_STORAGE);
    return key ? { Authorization: `Bearer ${key}` } : {};
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
    if (!response.ok) {
      let message = response.statusText;
      try {
        message = (await response.json()).error.message;
      } catch {
        // Not the gateway's error envelope (a proxy's page): the status says enough.
      }
      throw new HttpError(response.status, message);
    }
    return response.json();
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const state = await getJson(`${base}/state`);
      refreshMs = state.refreshSeconds * 1000;
      let usage = null;
      let usageError = null;
      try {
        usage = await getJson('/v1/usage');
      } catch (err) {
        usageError = err;
      }
      failingSince = null;
      lastState = state;
      showBanner(null);
      render(state, usage, usageError);
    } catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
        askForKey(err.status === 401 ? 'This gateway needs an API key to show its state.' : err.message);
        return; // Nothing to refresh until a key is given.
      }
      failingSince = failingSince ?? Date.now();
      const what = err instanceof HttpError ? `The gateway answered ${err.status}: ${err.message}` : 'Cannot reach the gateway';
      const since = lastState ? ` since ${clock(failingSince)}; what is shown below is from ${clock(lastState.now)}` : '';
      showBanner(`${what}${since}. Retrying every ${refreshMs / 1000} s.`);
    }
    timer = setTimeout(refresh, refreshMs);
  }

  function showBanner(text) {
    $('banner').hidden = text === null;
    $('banner').textContent = text ?? '';
  }

  function askForKey(reason) {
    $('content').hidden = true;
    $('key-form').hidden = false;
    $('key-reason').textContent = reason;
    $('key-input').focus();
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $('key-input').value.trim());
    $('key-input').value = '';
    $('key-form').hidden = true;
    refresh();
  });

  $('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE);
    location.reload();
  });

  // ---- drawing --------------------------------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props ?? {})) {
      if (value === undefined || value === null) continue;
      if (name === 'className') node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return node;
  }

  const pill = (text, tone) => el('span', { className: `pill ${tone}` }, text);
  const num = (value) => el('td', { className: 'num' }, value);

  function fillTable(id, rows, columns, emptyText) {
    const body = $(id).tBodies[0];
    body.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { className: 'empty', colspan: columns }, emptyText))]));
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour12: false });
  }

  function hourMinute(epochSeconds) {
    return new Date(epochSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  }

  function ago(ms, now) {
    if (ms === null) return '—';
    const seconds = Math.round((now - ms) / 1000);
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
    return clock(ms);
  }

  function until(ms, now) {
    if (ms === null) return '—';
    const seconds = Math.max(0, Math.round((ms - now) / 1000));
    return `${clock(ms)} (in ${seconds} s)`;
  }

  const usd = (value) => (value === null || value === undefined ? '—' : value === 0 ? '0' : value < 0.01 ? value.toFixed(6) : value.toFixed(4));
  const count = (value) => (value === null || value === undefined ? '—' : value.toLocaleString());
  const ms = (value) => (value === null || value === undefined ? '—' : `${Math.round(value).toLocaleString()} ms`);

  function render(state, usage, usageError) {
    $('key-form').hidden = true;
    $('content').hidden = false;
    $('forget-key').hidden = sessionStorage.getItem(KEY_STORAGE) === null;
    renderHeader(state);
    renderProviders(state);
    renderAliases(state);
    renderCharts(state.series);
    renderUsage(usage, usageError);
    renderRecent(state);
  }

  function renderHeader(state) {
    const configured = state.providers.filter((p) => p.configured);
    const out = configured.filter((p) => !p.healthy);
    const overall = $('overall');
    overall.className = `pill ${out.length ? 'bad' : 'ok'}`;
    overall.textContent = out.length ? `${out.length} of ${configured.length} providers out: ${out.map((p) => p.name).join(', ')}` : `all ${configured.length} providers healthy`;
    $('replica').textContent = `replica ${state.replica} · state ${state.state}`;
    $('updated').textContent = `updated ${clock(state.now)} · refreshes every ${state.refreshSeconds} s`;
    for (const scope of document.querySelectorAll('.activity-scope')) scope.textContent = state.activity === 'shared' ? 'every replica' : `replica ${state.replica} only`;
  }

  function providerPill(p) {
    if (!p.configured) return pill('unconfigured', 'off');
    if (p.state === 'half_open') return pill('half-open', 'warn');
    if (!p.healthy) return pill('out', 'bad');
    return pill(p.consecutiveFailures > 0 ? 'healthy, failing' : 'healthy', p.consecutiveFailures > 0 ? 'warn' : 'ok');
  }

  function renderProviders(state) {
    const rows = state.providers.map((p) =>
      el('tr', { 'data-provider': p.name },
        el('td', null, p.name),
        el('td', null, providerPill(p)),
        el('td', null, p.local ? 'local' : 'cloud'),
        num(p.configured ? p.consecutiveFailures : '—'),
        el('td', { className: 'wrap' }, p.lastError ?? '—'),
        el('td', null, until(p.unhealthyUntil, state.now)),
        el('td', null, p.slots ? `${p.slots.inFlight}/${p.slots.max} busy, ${p.slots.queued} queued` : 'no cap'),
        el('td', null, ago(p.lastProbeAt, state.now))));
    fillTable('providers', rows, 8, 'The profile names no provider.');
  }

  /** The chip's second line: short, from the provider's state; the whole sentence is its tooltip. */
  function entryNote(entry, provider) {
    if (entry.reason === 'circuit_open' && provider) {
      const until = provider.unhealthyUntil === null ? 'until a trial succeeds' : `until ${clock(provider.unhealthyUntil)}`;
      return `${until}${provider.lastError ? ` · ${provider.lastError}` : ''}`;
    }
    if (entry.reason === 'unconfigured') return entry.detail.slice(entry.detail.indexOf(':') + 1).trim();
    // A skip for another reason, or an answer that waits (for a slot) or decides (a trial): say how.
    return entry.detail === 'healthy' ? null : entry.detail;
  }

  function entryChip(entry, provider) {
    const word = entry.action === 'skip' ? `skips: ${entry.reason}` : entry.first ? 'answers now' : 'stands by';
    // An unconfigured entry is the profile's standing choice, not trouble: grey, where an open circuit is red.
    const tone = entry.action === 'skip' ? (entry.reason === 'unconfigured' ? 'off' : 'bad') : entry.first ? 'ok' : 'off';
    const note = entryNote(entry, provider);
    return el('span', { className: `entry ${tone}${entry.first ? ' first' : ''}`, title: entry.detail, 'data-entry': entry.entry, 'data-action': entry.first ? 'answers' : entry.action === 'skip' ? 'skips' : 'stands-by' },
      entry.entry, el('small', null, word), note === null ? null : el('small', null, note));
  }

  function renderAliases(state) {
    const providers = new Map(state.providers.map((p) => [p.name, p]));
    const list = state.aliases.map((alias) => {
      const chips = [];
      alias.chain.forEach((entry, i) => {
        if (i > 0) chips.push(el('span', { className: 'arrow' }, '→'));
        chips.push(entryChip(entry, providers.get(entry.provider)));
      });
      const none = alias.chain.every((entry) => !entry.first) ? pill('no entry can answer now', 'bad') : null;
      return el('div', { className: 'alias', 'data-alias': alias.name }, el('span', { className: 'alias-name' }, alias.name), ...chips, none);
    });
    $('aliases').replaceChildren(...(list.length ? list : [el('p', { className: 'muted' }, 'No aliases are defined.')]));
  }

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function chart(id, series, data) {
    const container = $(id);
    if (!charts[id]) {
      const axis = { stroke: css('--muted'), grid: { stroke: css('--line') }, ticks: { stroke: css('--line') } };
      charts[id] = new uPlot({
        width: Math.max(280, container.clientWidth),
        height: 170,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        // Times as the tables write them (24-hour, this browser's zone), on the axis and in the legend.
        axes: [{ ...axis, values: (_u, splits) => splits.map((t) => hourMinute(t)) }, { ...axis, size: 50 }],
        // Points as well as lines: a minute with traffic between two quiet ones is a point, not nothing.
        series: [{ value: (_u, t) => (t === null ? '--' : hourMinute(t)) }, ...series.map((one) => ({ points: { show: true, size: 4 }, ...one }))],
      }, data, container);
      new ResizeObserver(() => charts[id].setSize({ width: Math.max(280, container.clientWidth), height: 170 })).observe(container);
    } else {
      charts[id].setData(data);
    }
  }

  function renderCharts(s) {
    const ratio = (part) => part.map((value, i) => (s.requests[i] ? Math.round((1000 * value) / s.requests[i]) / 10 : null));
    chart('chart-requests', [
      { label: 'requests', stroke: '#3b82f6', fill: 'rgba(59,130,246,0.12)', width: 1.5 },
      { label: 'failed', stroke: '#dc2626', width: 1.5 },
    ], [s.minutes, s.requests, s.failed]);
    chart('chart-errors', [
      { label: 'failed (5xx) %', stroke: '#dc2626', width: 1.5, spanGaps: false },
      { label: 'refused (4xx) %', stroke: '#d97706', width: 1.5, spanGaps: false },
    ], [s.minutes, ratio(s.failed), ratio(s.refused)]);
    chart('chart-ttft', [
      { label: 'p50', stroke: '#059669', width: 1.5 },
      { label: 'p95', stroke: '#7c3aed', width: 1.5 },
    ], [s.minutes, s.ttftP50, s.ttftP95]);
  }

  function renderUsage(usage, usageError) {
    const note = $('usage-note');
    note.hidden = usageError === null;
    note.textContent = usageError ? `Usage is not available: ${usageError.message}` : '';
    const byCaller = new Map();
    for (const row of usage?.rows ?? []) {
      const total = byCaller.get(row.caller) ?? { requests: 0, prompt: 0, completion: 0, cost: 0, hits: 0, saved: 0 };
      total.requests += row.requests;
      total.prompt += row.prompt_tokens;
      total.completion += row.completion_tokens;
      total.cost += row.cost_usd;
      total.hits += row.cache_hits;
      total.saved += row.saved_usd;
      byCaller.set(row.caller, total);
    }
    const rows = [...byCaller].sort((a, b) => b[1].cost - a[1].cost || b[1].requests - a[1].requests).map(([caller, t]) =>
      el('tr', { 'data-caller': caller }, el('td', null, caller), num(count(t.requests)), num(count(t.prompt)), num(count(t.completion)), num(usd(t.cost)), num(count(t.hits)), num(usd(t.saved))));
    fillTable('usage', rows, 7, usageError ? '—' : 'No requests today.');
  }

  function statusPill(r) {
    const tone = r.status < 400 ? 'ok' : r.status < 500 || r.clientAborted ? 'warn' : 'bad';
    const text = r.clientAborted ? `${r.status} caller left` : r.errorCode ? `${r.status} ${r.errorCode}` : String(r.status);
    return el('span', null, pill(text, tone), r.cache === 'hit' ? ' cached' : null);
  }

  function renderRecent(state) {
    const rows = state.recent.slice(0, RECENT_ROWS).map((r) => {
      const model = r.resolved && r.resolved !== r.requested ? `${r.requested} → ${r.resolved}` : r.resolved ?? `${r.requested} (unanswered)`;
      const tokens = r.promptTokens === null ? '—' : `${count(r.promptTokens)} + ${count(r.completionTokens)}`;
      const attempts = r.attempts.length ? r.attempts.map((a) => `${a.model}: ${a.reason}`).join(', ') : '—';
      return el('tr', { 'data-request': r.requestId },
        el('td', { title: new Date(r.at).toISOString() }, clock(r.at)),
        el('td', null, r.caller),
        el('td', { title: `${r.route}${r.stream ? ', streamed' : ''}` }, model),
        el('td', null, statusPill(r)),
        num(ms(r.durationMs)),
        num(ms(r.ttftMs)),
        num(tokens),
        num(usd(r.costUsd)),
        el('td', { className: 'wrap' }, attempts));
    });
    fillTable('recent', rows, 9, 'No requests yet.');
  }

  refresh();
})();
