// Grid viewer: polls the HTTP API (docs/api.md) and shows one stream live over its WebSocket.
// Plain script, no build step. Every request carries the API key from sessionStorage as
// "Authorization: Bearer <key>"; WebSockets, which cannot carry headers from a browser, send it as ?access_token=.
'use strict';

const POLL_MS = 2000;
const EVALUATION_POLL_MS = 10000;
const KEY_ITEM = 'grid.apiKey';
const TENANT_ITEM = 'grid.tenant';

const state = {
  selected: null,       // stream name being watched
  socket: null,
  nextSequence: null,   // where a reconnect resumes
  shown: 0,             // frames displayed (a frame that arrives while the previous one is still decoding replaces it)
  received: [],         // sequence numbers received on this selection, the last 20
  objectUrl: null,
  lastEvaluation: 0,
  streams: new Map(),
};

const $ = (id) => document.getElementById(id);

function apiKey() { return sessionStorage.getItem(KEY_ITEM) || ''; }
function tenant() { return sessionStorage.getItem(TENANT_ITEM) || ''; }

function headers() {
  const h = { Accept: 'application/json' };
  if (apiKey()) h.Authorization = 'Bearer ' + apiKey();
  if (tenant()) h['X-Grid-Tenant'] = tenant();
  return h;
}

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(path) {
  const response = await fetch(path, { headers: headers(), cache: 'no-store' });
  if (!response.ok) {
    let code = 'http_' + response.status;
    let message = response.statusText;
    try {
      const body = await response.json();
      code = body.code || code;
      message = body.message || message;
    } catch { /* not the API's error body */ }
    throw new ApiError(response.status, code, message);
  }
  return response.json();
}

function showError(error) {
  const banner = $('error');
  if (!error) { banner.hidden = true; banner.textContent = ''; return; }
  let text = error.message || String(error);
  if (error.status === 401) text = 'This silo needs an API key: enter it above. (' + text + ')';
  if (error.status === 403) text = 'The API key may not do this: ' + text;
  banner.textContent = text;
  banner.hidden = false;
}

// ---- formatting -------------------------------------------------------------------------------------------

function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = -1;
  do { value /= 1024; unit++; } while (value >= 1024 && unit < units.length - 1);
  return value.toFixed(value < 10 ? 2 : 1) + ' ' + units[unit];
}

function ago(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 90) return seconds.toFixed(0) + ' s ago';
  if (seconds < 5400) return (seconds / 60).toFixed(0) + ' min ago';
  if (seconds < 129600) return (seconds / 3600).toFixed(1) + ' h ago';
  return new Date(iso).toLocaleString();
}

// Raw RGB (3 bytes a pixel) over what the stream stores.
function ratio(stream) {
  if (!stream.stored_bytes) return null;
  return (stream.frames * stream.width * stream.height * 3) / stream.stored_bytes;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function fill(tbody, items, render) {
  const rows = items.map((item) => { const tr = document.createElement('tr'); render(tr, item); return tr; });
  tbody.replaceChildren(...rows);
}

// ---- panels -----------------------------------------------------------------------------------------------

function renderCluster(status) {
  $('current-model').textContent = status.current_model ? 'v' + status.current_model : 'none';
  $('trainer-leader').textContent = status.trainer_leader || 'none';
  fill($('silos').tBodies[0], status.silos, (tr, silo) => {
    tr.dataset.silo = silo.name;
    cell(tr, silo.name).title = silo.url;
    cell(tr, silo.device);
    cell(tr, 'v' + silo.model_version);
    cell(tr, silo.queue_depth + ' / ' + silo.queue_capacity, 'number');
    cell(tr, silo.status);
    cell(tr, String(silo.activations), 'number');
    cell(tr, String(silo.completed_requests), 'number');
    cell(tr, ago(silo.last_seen));
  });
}

function renderModels(models) {
  fill($('models').tBodies[0], models.slice().reverse(), (tr, model) => {
    tr.dataset.version = model.version;
    if (model.current) tr.className = 'current';
    const metrics = model.metrics || {};
    const psnr = metrics.heldout_psnr ?? metrics.mean_psnr;
    const codes = metrics.heldout_codes_used ?? metrics.codes_used;
    cell(tr, 'v' + model.version);
    cell(tr, model.parent ? 'v' + model.parent : '');
    cell(tr, ago(model.created));
    cell(tr, model.fingerprint);
    cell(tr, psnr === undefined ? '' : psnr.toFixed(2), 'number');
    cell(tr, codes === undefined ? '' : String(codes), 'number');
  });
}

function renderStreams(streams) {
  state.streams = new Map(streams.map((s) => [s.stream, s]));
  fill($('streams').tBodies[0], streams, (tr, stream) => {
    tr.dataset.stream = stream.stream;
    tr.dataset.frames = stream.frames;
    if (stream.stream === state.selected) tr.classList.add('selected');
    tr.addEventListener('click', () => select(stream.stream));
    const r = ratio(stream);
    cell(tr, stream.stream);
    cell(tr, String(stream.frames), 'number');
    cell(tr, stream.width + 'x' + stream.height);
    cell(tr, bytes(stream.stored_bytes), 'number');
    cell(tr, r === null ? '' : r.toFixed(1) + 'x', 'number');
    cell(tr, ago(stream.updated));
  });
  const frames = streams.reduce((sum, s) => sum + s.frames, 0);
  const stored = streams.reduce((sum, s) => sum + s.stored_bytes, 0);
  const raw = streams.reduce((sum, s) => sum + s.frames * s.width * s.height * 3, 0);
  $('streams-total').textContent = streams.length === 0
    ? 'No streams for this tenant yet.'
    : streams.length + ' streams, ' + frames + ' frames, ' + bytes(stored) + ' stored'
      + (stored ? ' (' + (raw / stored).toFixed(1) + 'x smaller than raw RGB)' : '');
}

function definitionList(entries) {
  const dl = document.createElement('dl');
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }
  return dl;
}

const fixed = (digits) => (x) => (x === undefined || x === null ? undefined : Number(x).toFixed(digits));

function renderEvaluation(models, cycles) {
  const parts = [];
  const current = models.find((m) => m.current);
  if (current) {
    const m = current.metrics || {};
    const title = document.createElement('h3');
    title.textContent = 'Model v' + current.version + (current.parent ? ' (refreshed from v' + current.parent + ')' : '');
    parts.push(title, definitionList([
      ['PSNR (dB)', fixed(2)(m.heldout_psnr ?? m.mean_psnr)],
      ['parent PSNR (dB)', fixed(2)(m.parent_heldout_psnr)],
      ['bits per pixel', fixed(3)(m.mean_bpp)],
      ['codes used', m.heldout_codes_used ?? m.codes_used],
      ['perplexity', fixed(1)(m.heldout_perplexity ?? m.perplexity)],
      ['note', current.note],
    ]));
  }
  const finished = cycles.find((c) => c.metrics);
  if (finished) {
    const m = finished.metrics;
    const title = document.createElement('h3');
    title.textContent = 'Refresh cycle ' + finished.id + ': ' + finished.status;
    parts.push(title, definitionList([
      ['held-out PSNR before (dB)', fixed(2)(m.psnr_before)],
      ['held-out PSNR after (dB)', fixed(2)(m.psnr_after)],
      ['codes used before / after', m.codes_used_before + ' / ' + m.codes_used_after],
      ['held-out samples', finished.data ? finished.data.held_out_samples : undefined],
      ['finished', finished.finished ? ago(finished.finished) : undefined],
      ['reason', finished.reason],
    ]));
  }
  if (parts.length === 0) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = 'No model and no finished refresh cycle yet.';
    parts.push(p);
  }
  $('evaluation').replaceChildren(...parts);
  $('cycles').hidden = cycles.length === 0;
  fill($('cycles').tBodies[0], cycles.slice(0, 5), (tr, cycle) => {
    tr.dataset.cycle = cycle.id;
    const m = cycle.metrics;
    cell(tr, cycle.id);
    cell(tr, cycle.status + (cycle.version ? ' v' + cycle.version : ''));
    cell(tr, cycle.trigger);
    cell(tr, m ? m.psnr_before.toFixed(2) + ' / ' + m.psnr_after.toFixed(2) : '', 'number');
    cell(tr, cycle.finished ? ago(cycle.finished) : '');
  });
}

// ---- polling ----------------------------------------------------------------------------------------------

async function poll() {
  try {
    const [status, streams, models] = await Promise.all([api('v1/status'), api('v1/streams'), api('v1/models')]);
    renderCluster(status);
    renderStreams(streams);
    renderModels(models);
    if (Date.now() - state.lastEvaluation > EVALUATION_POLL_MS) {
      const cycles = await api('v1/models/cycles?count=10');
      renderEvaluation(models, cycles);
      state.lastEvaluation = Date.now();
    }
    $('updated').textContent = new Date().toLocaleTimeString();
    document.body.dataset.state = 'ok';
    showError(null);
    if (!state.selected) {
      const wanted = new URLSearchParams(location.hash.slice(1)).get('stream');
      if (wanted && state.streams.has(wanted)) select(wanted);
    }
  } catch (error) {
    document.body.dataset.state = 'error';
    showError(error);
  }
}

// ---- live view --------------------------------------------------------------------------------------------

function liveUrl(stream, from) {
  const url = new URL('v1/streams/' + encodeURIComponent(stream) + '/live', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('format', 'png');
  if (from !== null && from >= 0) url.searchParams.set('from', String(from));
  if (apiKey()) url.searchParams.set('access_token', apiKey());
  if (tenant()) url.searchParams.set('tenant', tenant());
  return url.toString();
}

// One WebSocket message = a record without the "GRS1" magic:
// u64 sequence | u32 model version | i64 unix ms | u32 payload length | payload (little-endian).
function parseRecord(buffer) {
  const view = new DataView(buffer);
  const length = view.getUint32(20, true);
  return {
    sequence: Number(view.getBigUint64(0, true)),
    modelVersion: view.getUint32(8, true),
    timestamp: Number(view.getBigInt64(12, true)),
    payload: new Uint8Array(buffer, 24, length),
  };
}

function select(stream) {
  if (state.selected === stream && state.socket) return;
  closeSocket();
  state.selected = stream;
  state.shown = 0;
  state.received = [];
  const info = state.streams.get(stream);
  // Start from the latest stored frame so there is a picture at once, then follow.
  state.nextSequence = info && info.frames > 0 ? info.last_sequence : null;
  $('live-stream').textContent = stream;
  $('live-caption').textContent = 'Connecting...';
  history.replaceState(null, '', '#stream=' + encodeURIComponent(stream));
  for (const tr of $('streams').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.stream === stream);
  connect();
}

function closeSocket() {
  if (state.socket) {
    state.socket.onclose = null;
    state.socket.close(1000, 'viewer switched streams');
    state.socket = null;
  }
}

function connect() {
  const stream = state.selected;
  const socket = new WebSocket(liveUrl(stream, state.nextSequence));
  socket.binaryType = 'arraybuffer';
  state.socket = socket;
  const image = $('live-image');
  image.dataset.socket = 'connecting';
  socket.onopen = () => { image.dataset.socket = 'open'; };
  socket.onmessage = (event) => {
    const record = parseRecord(event.data);
    state.nextSequence = record.sequence + 1;
    state.received = state.received.concat(record.sequence).slice(-20);
    image.dataset.received = state.received.join(' ');
    const url = URL.createObjectURL(new Blob([record.payload], { type: 'image/png' }));
    const previous = state.objectUrl;
    state.objectUrl = url;
    image.onload = () => {
      if (previous) URL.revokeObjectURL(previous);
      state.shown++;
      image.dataset.sequence = String(record.sequence);
      image.dataset.framesShown = String(state.shown);
      $('live-caption').textContent = 'frame ' + record.sequence + ' \u00b7 model v' + record.modelVersion + ' \u00b7 '
        + image.naturalWidth + 'x' + image.naturalHeight + ' \u00b7 stored ' + new Date(record.timestamp).toLocaleTimeString()
        + ' \u00b7 ' + state.received.length + ' received, ' + state.shown + ' shown';
    };
    image.src = url;
  };
  socket.onclose = (event) => {
    image.dataset.socket = 'closed';
    if (state.socket !== socket) return;
    state.socket = null;
    // 1001: the silo is shutting down; resume from the next sequence (on whichever silo answers).
    if (event.code === 1001 || event.code === 1006) {
      $('live-caption').textContent = 'Reconnecting...';
      setTimeout(() => { if (state.selected === stream && !state.socket) connect(); }, 1000);
    } else {
      $('live-caption').textContent = 'Live view closed (' + event.code + (event.reason ? ': ' + event.reason : '') + ').';
    }
  };
}

// ---- start ------------------------------------------------------------------------------------------------

function start() {
  $('api-key').value = apiKey();
  $('tenant').value = tenant();
  $('credentials').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_ITEM, $('api-key').value.trim());
    sessionStorage.setItem(TENANT_ITEM, $('tenant').value.trim());
    state.lastEvaluation = 0;
    if (state.selected) { const s = state.selected; closeSocket(); state.selected = null; select(s); }
    poll();
  });
  $('forget').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_ITEM);
    sessionStorage.removeItem(TENANT_ITEM);
    $('api-key').value = '';
    $('tenant').value = '';
    closeSocket();
    poll();
  });
  poll();
  setInterval(poll, POLL_MS);
}

start();
