// kientruc serve: the page. Lists the workspace's views, draws one (the SVG comes laid out and
// escaped from the server), pans and zooms, searches, shows an element's details, and follows
// the workspace: each `analysis` event from /api/events fetches the view again without reloading
// the page. Every model string is set with textContent; nothing is loaded from another origin.
'use strict';

const TEXTS = {
  vi: {
    view: 'Khung nhìn', search: 'Tìm', reference_model: 'Mô hình tham chiếu', severity: 'Mức độ',
    fit: 'Vừa khung', language: 'Ngôn ngữ', error: 'Lỗi', warning: 'Cảnh báo', info: 'Thông tin',
    properties: 'Thuộc tính', relations: 'Quan hệ', findings: 'Phát hiện', none: 'Không có',
    neighbourhood: 'Xem vùng lân cận', close: 'Đóng', citation: 'Căn cứ', fix: 'Cách khắc phục',
    diagnostics: 'Mô hình có lỗi đầu vào; khung nhìn có thể chưa đầy đủ:',
    stale: 'Khung nhìn này lấy từ lần phân tích hợp lệ gần nhất (mô hình hiện tại có lỗi).',
    no_view: 'Không vẽ được khung nhìn này.', no_match: 'Không tìm thấy phần tử nào.',
    live: 'Đang theo dõi thay đổi', offline: 'Mất kết nối với máy chủ', analysis: 'Phân tích',
    kind: 'Loại', layer: 'Tầng', file: 'Tệp', to: '→', from: '←',
    baselined: 'đã chấp nhận', waived: 'được miễn trừ',
  },
  en: {
    view: 'View', search: 'Search', reference_model: 'Reference model', severity: 'Severity',
    fit: 'Fit', language: 'Language', error: 'Error', warning: 'Warning', info: 'Info',
    properties: 'Properties', relations: 'Relations', findings: 'Findings', none: 'None',
    neighbourhood: 'Show its neighbourhood', close: 'Close', citation: 'Citation', fix: 'Fix',
    diagnostics: 'The model has input errors; the view may be incomplete:',
    stale: 'This view comes from the last valid analysis (the current model has errors).',
    no_view: 'This view cannot be drawn.', no_match: 'No element matches.',
    live: 'Following changes', offline: 'Lost the connection to the server', analysis: 'Analysis',
    kind: 'Kind', layer: 'Layer', file: 'File', to: '→', from: '←',
    baselined: 'accepted', waived: 'waived',
  },
};
const MODELS = ['BRM', 'DRM', 'ARM', 'TRM', 'SRM'];
const SEVERITIES = ['error', 'warning', 'info'];

const state = {
  language: 'vi',
  version: 0,
  views: [],
  viewId: null,
  payload: null,
  box: null, // the SVG viewBox shown: {x, y, width, height}
  element: null, // the element in the side panel
  instance: null, // the server run the page listens to
  elements: [], // every element of the model, for the search
  models: new Set(),
  severities: new Set(),
};

const $ = (id) => document.getElementById(id);
const t = (key) => (TEXTS[state.language] || TEXTS.vi)[key] || key;

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Diacritics-insensitive comparison: "Hà Nội" matches "ha noi", "Đ" matches "d".
function fold(text) {
  return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd').toLowerCase();
}

async function getJson(path) {
  const separator = path.includes('?') ? '&' : '?';
  const response = await fetch(`${path}${separator}lang=${state.language}`, { cache: 'no-store' });
  if (!response.ok && response.status !== 404) throw new Error(`${response.status} ${path}`);
  return { ok: response.ok, body: await response.json() };
}

function applyTexts() {
  document.documentElement.lang = state.language;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  for (const input of document.querySelectorAll('#severity-filter input')) {
    input.nextSibling.textContent = t(input.value);
  }
}

function buildFilters() {
  const add = (fieldset, values, set) => {
    for (const value of values) {
      const label = make('label', 'check');
      const input = make('input');
      input.type = 'checkbox';
      input.value = value;
      input.addEventListener('change', () => {
        if (input.checked) set.add(value); else set.delete(value);
        applyFilters();
        if (state.element) showElement(state.element);
      });
      label.append(input, make('span', null, value));
      fieldset.append(label);
    }
  };
  add($('model-filter'), MODELS, state.models);
  add($('severity-filter'), SEVERITIES, state.severities);
}

function findingPasses(finding) {
  return (state.models.size === 0 || state.models.has(finding.reference_model))
    && (state.severities.size === 0 || state.severities.has(finding.severity));
}

// With a filter on, elements with a matching open finding stand out and the others fade.
function applyFilters() {
  const active = state.models.size > 0 || state.severities.size > 0;
  const matching = new Set();
  for (const finding of (state.payload && state.payload.findings) || []) {
    if (findingPasses(finding)) matching.add(finding.element);
  }
  for (const node of document.querySelectorAll('#stage [data-element]')) {
    const hit = matching.has(node.dataset.element);
    node.classList.toggle('filter-match', active && hit);
    node.classList.toggle('filter-out', active && !hit);
  }
}

function showDiagnostics(list) {
  const section = $('diagnostics');
  section.replaceChildren();
  if (!list || list.length === 0) { section.hidden = true; return; }
  section.append(make('p', 'heading', t('diagnostics')));
  const items = make('ul');
  for (const diagnostic of list) {
    const item = make('li', `diagnostic ${diagnostic.severity}`);
    const place = [diagnostic.file, diagnostic.line, diagnostic.column].filter((part) => part !== null && part !== undefined).join(':');
    item.append(make('code', 'place', place), ' ', make('code', 'code', diagnostic.code), ' ', make('span', 'message', diagnostic.message));
    items.append(item);
  }
  section.append(items);
  section.hidden = false;
}

function fillViewList() {
  const select = $('view-select');
  select.replaceChildren();
  for (const view of state.views) {
    const option = make('option', null, view.title);
    option.value = view.id;
    select.append(option);
  }
  if (state.viewId && state.viewId.startsWith('neighbourhood:')) {
    const option = make('option', null, state.payload ? state.payload.title : state.viewId);
    option.value = state.viewId;
    select.append(option);
  }
  if (state.viewId) select.value = state.viewId;
}

async function loadElements() {
  const { body } = await getJson('/api/elements');
  state.elements = body;
  const names = $('element-list');
  names.replaceChildren();
  for (const element of body) {
    const option = make('option');
    option.value = element.name;
    option.label = element.id;
    names.append(option);
  }
}

async function loadViews() {
  const { body } = await getJson('/api/views');
  state.views = body.views;
  if (body.architecture && body.architecture.name) $('architecture').textContent = body.architecture.name;
  showDiagnostics(body.diagnostics);
  return body;
}

function svgOf(payload) {
  const parsed = new DOMParser().parseFromString(payload.svg, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (svg.nodeName !== 'svg') return null;
  return document.importNode(svg, true);
}

function setBox(svg, box) {
  state.box = box;
  svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.width} ${box.height}`);
}

function fitBox(payload) {
  return { x: 0, y: 0, width: payload.width, height: payload.height };
}

async function loadView(id, keepBox) {
  const { ok, body } = await getJson(`/api/view/${encodeURIComponent(id)}`);
  const stage = $('stage');
  const notice = $('notice');
  if (!ok) {
    stage.replaceChildren();
    notice.textContent = t('no_view');
    notice.hidden = false;
    state.payload = null;
    return;
  }
  const sameView = state.viewId === id;
  state.viewId = id;
  state.payload = body;
  const svg = svgOf(body);
  stage.replaceChildren();
  if (svg) {
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    stage.append(svg);
    setBox(svg, keepBox && sameView && state.box ? state.box : fitBox(body));
  }
  $('canvas').classList.toggle('stale', Boolean(body.stale));
  notice.textContent = body.stale ? t('stale') : '';
  notice.hidden = !body.stale;
  fillViewList();
  applyFilters();
  highlightSearch(false);
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
}

function currentSvg() {
  return document.querySelector('#stage svg');
}

function zoom(factor, centre) {
  const svg = currentSvg();
  if (!svg || !state.box) return;
  const box = state.box;
  const cx = centre ? centre.x : box.x + box.width / 2;
  const cy = centre ? centre.y : box.y + box.height / 2;
  const width = Math.min(Math.max(box.width * factor, 50), 200000);
  const height = box.height * (width / box.width);
  setBox(svg, {
    x: cx - (cx - box.x) * (width / box.width),
    y: cy - (cy - box.y) * (height / box.height),
    width, height,
  });
}

// The point of the drawing under a mouse event.
function drawingPoint(event) {
  const svg = currentSvg();
  const rect = svg.getBoundingClientRect();
  const scale = Math.max(state.box.width / rect.width, state.box.height / rect.height);
  // preserveAspectRatio xMidYMid meet: the drawing is centred in the element.
  const offsetX = (rect.width - state.box.width / scale) / 2;
  const offsetY = (rect.height - state.box.height / scale) / 2;
  return {
    x: state.box.x + (event.clientX - rect.left - offsetX) * scale,
    y: state.box.y + (event.clientY - rect.top - offsetY) * scale,
    scale,
  };
}

function setUpPanZoom() {
  const canvas = $('canvas');
  let drag = null;
  canvas.addEventListener('wheel', (event) => {
    if (!currentSvg() || !state.box) return;
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, drawingPoint(event));
  }, { passive: false });
  canvas.addEventListener('pointerdown', (event) => {
    if (!currentSvg() || !state.box || event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, box: { ...state.box }, moved: false, scale: drawingPoint(event).scale };
  });
  window.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (drag.moved) {
      setBox(currentSvg(), { ...drag.box, x: drag.box.x - dx * drag.scale, y: drag.box.y - dy * drag.scale });
    }
  });
  window.addEventListener('pointerup', () => {
    if (drag && drag.moved) canvas.dataset.dragged = '1';
    drag = null;
  });
  $('zoom-in').addEventListener('click', () => zoom(1 / 1.3));
  $('zoom-out').addEventListener('click', () => zoom(1.3));
  $('zoom-fit').addEventListener('click', () => {
    if (currentSvg() && state.payload) setBox(currentSvg(), fitBox(state.payload));
  });
}

function nodeById(id) {
  return [...document.querySelectorAll('#stage [data-element]')].find((node) => node.dataset.element === id);
}

function centreOn(id) {
  const node = state.payload && state.payload.nodes.find((candidate) => candidate.id === id);
  const svg = currentSvg();
  if (!node || !svg || !state.box) return;
  const box = state.box;
  setBox(svg, {
    ...box,
    x: node.x + node.width / 2 - box.width / 2,
    y: node.y + node.height / 2 - box.height / 2,
  });
}

// Highlights the elements whose name or id holds the search text; `centre` moves to the first.
function highlightSearch(centre) {
  const query = fold($('search').value.trim());
  const matches = [];
  for (const node of document.querySelectorAll('#stage [data-element]')) {
    node.classList.remove('search-match');
  }
  if (!query || !state.payload) { $('status').textContent = ''; return; }
  for (const node of state.payload.nodes) {
    if (fold(node.name).includes(query) || fold(node.id).includes(query)) matches.push(node.id);
  }
  for (const id of matches) {
    const node = nodeById(id);
    if (node) node.classList.add('search-match');
  }
  $('status').textContent = matches.length === 0 ? t('no_match') : `${matches.length} / ${state.payload.nodes.length}`;
  if (centre && matches.length > 0) centreOn(matches[0]);
  if (centre && matches.length === 0) {
    // Not in this view: the element's neighbourhood, when the model has one that matches.
    const found = state.elements.find((element) => fold(element.id) === query || fold(element.name) === query)
      || state.elements.find((element) => fold(element.name).includes(query) || fold(element.id).includes(query));
    if (found) {
      loadView(`neighbourhood:${found.id}`, false)
        .then(() => { highlightSearch(false); centreOn(found.id); })
        .catch(report);
    }
  }
}

function section(title, children) {
  const part = make('section');
  part.append(make('h3', null, title));
  if (children.length === 0) part.append(make('p', 'none', t('none')));
  else part.append(...children);
  return part;
}

async function showElement(id) {
  const { ok, body } = await getJson(`/api/element/${encodeURIComponent(id)}`);
  const panel = $('panel');
  if (!ok) { panel.hidden = true; state.element = null; return; }
  state.element = id;
  panel.replaceChildren();
  const close = make('button', 'close', t('close'));
  close.type = 'button';
  close.addEventListener('click', () => { panel.hidden = true; state.element = null; });
  panel.append(close, make('h2', null, body.name), make('p', 'id', body.id));
  const facts = make('dl');
  const fact = (label, value) => {
    if (value === null || value === undefined || value === '') return;
    facts.append(make('dt', null, label), make('dd', null, value));
  };
  fact(t('kind'), body.kind_name);
  fact(t('layer'), body.layer);
  fact(t('file'), body.file ? `${body.file}:${body.line}` : null);
  panel.append(facts);
  if (body.doc) panel.append(make('p', 'doc', body.doc));
  const neighbourhood = make('button', 'neighbourhood', t('neighbourhood'));
  neighbourhood.type = 'button';
  neighbourhood.addEventListener('click', () => loadView(body.neighbourhood, false));
  panel.append(neighbourhood);

  const properties = make('dl', 'properties');
  for (const property of body.properties) {
    const value = make('dd');
    if (property.element) {
      const link = make('a', 'element-link', property.value);
      link.href = '#';
      link.addEventListener('click', (event) => { event.preventDefault(); showElement(property.element).catch(report); });
      value.append(link);
    } else {
      value.textContent = property.value;
    }
    properties.append(make('dt', null, property.name), value);
  }
  panel.append(section(t('properties'), body.properties.length ? [properties] : []));

  const relations = make('ul', 'relations');
  for (const relation of body.relations) {
    const item = make('li');
    const other = make('a', 'element-link', relation.element_name || relation.element);
    other.href = '#';
    other.title = relation.element;
    other.addEventListener('click', (event) => { event.preventDefault(); showElement(relation.element).catch(report); });
    item.append(make('span', 'direction', relation.direction === 'out' ? t('to') : t('from')), ' ',
      make('code', null, relation.type), ' ', other);
    if (relation.label) item.append(' ', make('span', 'label', relation.label));
    relations.append(item);
  }
  panel.append(section(t('relations'), body.relations.length ? [relations] : []));

  const findings = make('ul', 'findings');
  for (const finding of body.findings.filter(findingPasses)) {
    const item = make('li', `finding ${finding.severity}`);
    const head = make('p', 'finding-head');
    head.append(make('code', 'rule', finding.rule), ' ', make('span', 'severity', finding.severity_label),
      ' ', make('span', 'model', finding.reference_model));
    if (finding.status !== 'open') head.append(' ', make('span', 'status', t(finding.status)));
    item.append(head, make('p', 'message', finding.message));
    if (finding.citation) item.append(make('p', 'citation', `${t('citation')}: ${finding.citation}`));
    if (finding.fix) item.append(make('p', 'fix', `${t('fix')}: ${finding.fix}`));
    findings.append(item);
  }
  panel.append(section(t('findings'), findings.children.length ? [findings] : []));
  panel.hidden = false;
}

// Fetches everything again (a new analysis, or a language switch) keeping the place.
async function refresh() {
  const views = await loadViews();
  await loadElements();
  const wanted = state.viewId || (views.views[0] && views.views[0].id);
  if (wanted) await loadView(wanted, true);
  else fillViewList();
  if (state.element) await showElement(state.element);
  state.version = views.version;
  document.documentElement.dataset.version = String(views.version);
}

function listen() {
  const source = new EventSource('/api/events');
  source.addEventListener('analysis', (event) => {
    let data = null;
    try { data = JSON.parse(event.data); } catch (_) { return; }
    // A restarted server counts its analyses from 1 again: its first event refreshes the page.
    const restarted = state.instance !== null && data.instance !== state.instance;
    state.instance = data.instance;
    if (restarted || data.version > state.version) refresh().catch(report);
  });
  source.addEventListener('open', () => { $('bar').classList.remove('offline'); });
  source.addEventListener('error', () => { $('bar').classList.add('offline'); });
}

function report(error) {
  $('status').textContent = String(error);
}

async function start() {
  const fromHash = decodeURIComponent(location.hash.slice(1));
  const first = await getJson('/api/views');
  state.language = first.body.language;
  $('language').value = state.language;
  buildFilters();
  applyTexts();
  setUpPanZoom();
  state.viewId = fromHash || null;
  await refresh();
  if (!state.payload && fromHash) { state.viewId = null; await refresh(); }
  $('view-select').addEventListener('change', (event) => loadView(event.target.value, false).catch(report));
  $('language').addEventListener('change', (event) => {
    state.language = event.target.value;
    applyTexts();
    refresh().catch(report);
  });
  $('search').addEventListener('input', () => highlightSearch(false));
  $('search').addEventListener('keydown', (event) => { if (event.key === 'Enter') highlightSearch(true); });
  $('search').addEventListener('change', () => highlightSearch(true));
  $('stage').addEventListener('click', (event) => {
    event.preventDefault();
    if ($('canvas').dataset.dragged) { delete $('canvas').dataset.dragged; return; }
    const node = event.target.closest('[data-element]');
    if (node) showElement(node.dataset.element).catch(report);
  });
  listen();
}

document.addEventListener('DOMContentLoaded', () => { start().catch(report); });
