// Reads a service guide by what a person reads: the elements by their visible labels (a th/td
// row, dt/dd, a label element followed by its value, or "标签：值" text), the materials by a
// header row recognised by its column names or by cards that state a requirement, the 办理流程
// as a list, table or text under its label, and the 在线办理 entrance. Hidden tabs and accordions
// are read from the DOM. `cfg.words` is the table of labels (guidelabels.go); `cfg.overrides` is
// the site profile's part for the channel, whose locators are tried first. Returns plain JSON.
(cfg) => {
  const W = cfg.words;
  const O = cfg.overrides || {};
  const norm = s => (s || '').replace(/[\s\u3000]+/g, ' ').trim();
  const key = s => norm(s).replace(/\s+/g, '').replace(/^[*＊]+/, '').replace(/[：:]+$/, '');
  const noNumber = s => norm(s).replace(/^(第?\d+[.、．)）\s]|[（(]\d+[)）]|[①-⑳])\s*/, '').trim();
  const boxOf = e => {
    if (!e || !e.getBoundingClientRect) return null;
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return null; // hidden in a closed tab
    return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};
  };
  const html = e => (e && e.outerHTML || '').slice(0, 400);
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const skipTags = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD', 'TITLE', 'META', 'OPTION', 'SELECT']);
  const blocks = new Set(['P', 'DIV', 'LI', 'TR', 'DD', 'DT', 'BR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'SECTION', 'ARTICLE', 'UL', 'OL', 'TABLE', 'TBODY', 'DL', 'DETAILS', 'SUMMARY']);

  // text is an element's text with line breaks at blocks, hidden or not (innerText drops them
  // in closed panels).
  const text = n => {
    if (n.nodeType === Node.TEXT_NODE) return n.nodeValue;
    if (n.nodeType !== Node.ELEMENT_NODE || skipTags.has(n.tagName)) return '';
    let s = '';
    for (const c of n.childNodes) s += text(c);
    if (blocks.has(n.tagName)) s = '\n' + s + '\n';
    if (n.tagName === 'TD' || n.tagName === 'TH') s = ' ' + s + ' ';
    return s;
  };
  const lines = n => text(n).split('\n').map(norm).filter(Boolean);
  const flat = n => norm(text(n).replace(/\n+/g, ' '));

  const all = Array.from(document.body ? document.body.querySelectorAll('*') : []).filter(e => !skipTags.has(e.tagName) && !e.closest('script,style,template,select'));

  // Labels: elements whose whole text is one of the known labels, innermost.
  const labelOf = {};
  for (const [name, syns] of Object.entries(W.labels)) for (const s of syns) labelOf[key(s)] = name;
  const sectionOf = {};
  for (const [name, syns] of Object.entries(W.sections)) for (const s of syns) sectionOf[key(s)] = name;
  const short = e => (e.textContent || '').length <= 24;
  const labelEls = all.filter(e => short(e) && (labelOf[key(e.textContent)] || sectionOf[key(e.textContent)]) &&
    !Array.from(e.children).some(c => key(c.textContent) === key(e.textContent)));
  const isLabel = new Set(labelEls);
  const containsLabel = n => n.nodeType === Node.ELEMENT_NODE && (isLabel.has(n) || labelEls.some(l => n.contains(l)));

  // wrapperOf climbs from a label to the outermost element that holds nothing else.
  const wrapperOf = l => {
    let w = l;
    while (w.parentElement && w.parentElement !== document.body && key(w.parentElement.textContent) === key(l.textContent)) w = w.parentElement;
    return w;
  };
  // after is what follows a label up to the next label: its value, or its section's content.
  const after = l => {
    const w = wrapperOf(l);
    const nodes = [];
    for (let n = w.nextSibling; n; n = n.nextSibling) {
      if (containsLabel(n)) break;
      nodes.push(n);
    }
    return {w, nodes};
  };
  const controlled = l => {
    const c = l.closest('[aria-controls]');
    if (c) { const p = document.getElementById(c.getAttribute('aria-controls').split(/\s+/)[0]); if (p) return p; }
    const s = l.closest('summary');
    if (s && s.parentElement && s.parentElement.tagName === 'DETAILS') return s.parentElement;
    return null;
  };

  // Elements.
  const valueFrom = (l, name) => {
    const panel = controlled(l);
    if (panel) return {value: flat(panel).replace(l.textContent.trim(), '').trim(), el: panel, row: panel};
    const {w, nodes} = after(l);
    const value = norm(nodes.map(n => n.nodeType === 1 ? flat(n) : norm(n.nodeValue)).join(' ')).replace(/^[：:]\s*/, '');
    const el = nodes.find(n => n.nodeType === 1) || w.parentElement;
    return {value, el, row: w.parentElement};
  };
  let bodyLines = null;
  const byText = syns => { // "标签：值" within a line of text
    bodyLines = bodyLines || lines(document.body);
    for (const line of bodyLines) {
      for (const s of syns) {
        const m = line.match(new RegExp('^[*＊]?\\s*' + s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*[：:]\\s*(.*)$'));
        if (m) {
          const holder = all.filter(e => e.textContent.includes(s) && flat(e).includes(line)).pop() || document.body;
          return {value: norm(m[1]), el: holder, row: holder};
        }
      }
    }
    return null;
  };
  const findByCSS = loc => { try { return document.querySelector(loc.value); } catch (e) { return null; } };
  const byHeading = t => {
    const h = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).find(h => key(h.textContent) === key(t));
    return h ? h.nextElementSibling : null;
  };
  const elementNamed = name => {
    const loc = (O.elements || {})[name];
    if (loc && (loc.by === 'css' || loc.by === 'heading')) {
      const e = loc.by === 'css' ? findByCSS(loc) : byHeading(loc.value);
      if (e) {
        let v = flat(e);
        for (const p of [loc.value + '：', loc.value + ':']) if (v.startsWith(p)) v = v.slice(p.length).trim();
        return {found: true, value: v, box: boxOf(e), html: html(e)};
      }
    }
    const syns = W.labels[name].concat(loc && loc.by === 'label' ? [loc.value] : []);
    const keys = new Set(syns.map(key));
    let found = null;
    for (const l of labelEls) {
      if (!keys.has(key(l.textContent)) || l.closest('a,button:not([aria-controls]),option')) continue;
      const v = valueFrom(l, name);
      if (!found || (!found.value && v.value)) found = v;
      if (found.value) break;
    }
    if (!found || !found.value) found = byText(syns) || found;
    if (!found) return {found: false};
    return {found: true, value: found.value, box: boxOf(found.el), html: html(found.row)};
  };
  const elements = {};
  for (const name of W.read) elements[name] = elementNamed(name);

  // Materials: tables with a header row recognised by its column names.
  const colKind = {};
  for (const [kind, words] of Object.entries(W.columns)) for (const w of words) colKind[key(w)] = colKind[key(w)] || kind;
  const reqWords = new Set(W.requirements.map(key));
  const scopeOf = () => {
    const m = O.materials || {};
    if (!m.table) return document.body;
    const t = m.table.by === 'css' ? findByCSS(m.table) : (m.table.by === 'heading' ? byHeading(m.table.value) : null);
    return t || document.body;
  };
  const scope = scopeOf();
  const cellsOf = tr => Array.from(tr.children).filter(c => c.tagName === 'TD' || c.tagName === 'TH');
  const headerKinds = tr => {
    const cells = cellsOf(tr);
    const kinds = cells.map(c => key(c.textContent) ? colKind[key(c.textContent)] : '');
    const named = cells.filter(c => key(c.textContent));
    if (named.length < 2 || kinds.some((k, i) => key(cells[i].textContent) && !k) || !kinds.includes('name')) return null;
    return kinds;
  };
  const linkKind = (a, colKindOf) => {
    const t = key(a.textContent) + key(a.getAttribute('title') || '');
    if (/样表|样例|示例|范本|样本/.test(t)) return 'sample';
    if (/空表|空白|模板|表格/.test(t)) return 'blank';
    if (colKindOf === 'sample') return 'sample';
    if (/下载/.test(t) || colKindOf === 'blank') return 'blank';
    return '';
  };
  const linksIn = (unit, colKindOf) => Array.from(unit.querySelectorAll('a[href]')).map(a => {
    const td = a.closest('td,th');
    const kind = linkKind(a, colKindOf ? colKindOf(td) : '');
    return {kind, href: a.href, text: norm(a.textContent), box: boxOf(a)};
  }).filter(l => l.kind);
  const materials = [];
  const tablesRead = new Set();
  for (const tr of scope.querySelectorAll('tr')) {
    const kinds = headerKinds(tr);
    const table = tr.closest('table');
    if (!kinds || !table || tablesRead.has(table)) continue;
    tablesRead.add(table);
    const rows = Array.from(table.rows);
    for (const row of rows.slice(rows.indexOf(tr) + 1)) {
      if (headerKinds(row)) continue;
      const cells = cellsOf(row);
      if (cells.length < 2) continue;
      const at = k => { const i = kinds.indexOf(k); return i >= 0 && cells[i] ? flat(cells[i]) : ''; };
      const name = noNumber(at('name'));
      if (!name) continue;
      let requirement = at('requirement');
      if (!requirement) requirement = (cells.map(c => key(c.textContent)).find(t => reqWords.has(t))) || '';
      materials.push({name, requirement, links: linksIn(row, td => td ? kinds[cells.indexOf(td)] : ''), box: boxOf(row), html: html(row)});
    }
  }

  // Materials as cards or list items: each unit states its requirement once.
  if (materials.length === 0) {
    const labelled = /^(材料)?(必要性|是否必要|是否必须|是否必需|必要程度|材料要求)\s*[：:]\s*([^\s；;，,·|]+)/;
    const reqOf = e => {
      const t = norm(e.textContent);
      if (reqWords.has(key(t))) return key(t);
      const m = t.match(labelled);
      return m && reqWords.has(key(m[3])) ? m[3] : '';
    };
    const markers = Array.from(scope.querySelectorAll('*')).filter(e => !skipTags.has(e.tagName) && reqOf(e) &&
      !Array.from(e.querySelectorAll('*')).some(c => reqOf(c)));
    const count = e => markers.filter(m => e.contains(m)).length;
    const stops = e => e === document.body || e === scope.parentElement || containsLabel(e) || count(e) > 1;
    const cells = (O.materials && O.materials.cells) || {};
    for (const mk of markers) {
      let unit = mk;
      while (unit.parentElement && !stops(unit.parentElement)) unit = unit.parentElement;
      if (unit === mk) continue;
      let name = '';
      if (cells.name) { const c = unit.querySelector(cells.name); if (c) name = noNumber(flat(c)); }
      if (!name) {
        const byLabel = lines(unit).map(l => l.match(/^材料名称\s*[：:]\s*(.+)$/)).find(Boolean);
        if (byLabel) name = norm(byLabel[1]);
      }
      if (!name) {
        for (const line of lines(unit)) {
          if (mk.contains && norm(mk.textContent) && line.startsWith(norm(mk.textContent))) continue;
          const t = noNumber(line).replace(/[：:]$/, '');
          if (t && !colKind[key(t)] && !reqWords.has(key(t)) && !/下载|样表|空表/.test(t)) { name = t; break; }
        }
      }
      if (!name) continue;
      materials.push({name, requirement: reqOf(mk), links: linksIn(unit), box: boxOf(unit), html: html(unit)});
    }
  }

  // 办理流程: under its label, as list items, table rows or numbered text.
  const processCols = new Set(W.processCols.map(key));
  const stepsIn = nodes => {
    const els = nodes.filter(n => n.nodeType === 1);
    const lis = els.flatMap(e => e.tagName === 'LI' ? [e] : Array.from(e.querySelectorAll('li')));
    if (lis.length) return lis.map(li => flat(li)).filter(Boolean);
    const rows = els.flatMap(e => e.tagName === 'TR' ? [e] : Array.from(e.querySelectorAll('tr')));
    if (rows.length) {
      return rows.map(r => cellsOf(r).map(c => flat(c))).filter(cs => !cs.every(c => !c || processCols.has(key(c))))
        .map(cs => { const parts = cs.filter((c, i) => c && !(i === 0 && /^\d+$/.test(c))); return parts.length ? parts[0] + (parts.length > 1 ? '：' + parts.slice(1).join('，') : '') : ''; })
        .filter(Boolean);
    }
    const t = nodes.map(n => n.nodeType === 1 ? text(n) : n.nodeValue).join('\n');
    return t.split(/\n|(?=(?:^|\s)(?:\d+[.、．]|[（(]\d+[)）]|[①-⑳]))|→|->/).map(noNumber).map(s => s.replace(/^[：:]/, '').trim()).filter(Boolean);
  };
  let process = [];
  if (O.process) {
    const e = O.process.by === 'css' ? findByCSS(O.process) : (O.process.by === 'heading' ? byHeading(O.process.value) : null);
    if (e) process = stepsIn([e]);
  }
  if (process.length === 0) {
    const keys = new Set(W.sections['办理流程'].map(key).concat(O.process && O.process.by === 'label' ? [key(O.process.value)] : []));
    for (const l of labelEls) {
      if (!keys.has(key(l.textContent))) continue;
      const panel = controlled(l);
      process = panel ? stepsIn(Array.from(panel.childNodes)).filter(s => !keys.has(key(s))) : stepsIn(after(l).nodes);
      if (process.length) break;
    }
  }

  // The 在线办理 entrance, as the profile names it.
  let entrance = {found: false};
  const ent = cfg.entrance || {};
  const cands = Array.from(document.querySelectorAll('a,button,[role=button],input[type=button],input[type=submit]')).filter(visible);
  let e = null;
  if (ent.by === 'text') e = cands.find(c => norm(c.innerText || c.value) === ent.value) || cands.find(c => norm(c.innerText || c.value).includes(ent.value));
  else if (ent.by === 'css') e = findByCSS(ent);
  else if (ent.by === 'role') e = cands.find(c => !ent.name || norm(c.innerText) === ent.name);
  if (e) entrance = {found: true, href: e.href || '', text: norm(e.innerText || e.value), box: boxOf(e), html: html(e)};

  const body = document.body ? norm(document.body.innerText) : '';
  return {elements, materials, process, entrance, text: body.slice(0, 3000), textLength: body.length, title: document.title};
}
