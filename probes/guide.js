// Reads a service guide through the site profile: the guide's elements, materials, process steps
// and the 在线办理 entrance, with the boxes of what it found. `cfg` is the channel's part of the
// profile; the script returns plain JSON.
(cfg) => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const bare = s => norm(s).replace(/[：:]$/, '');
  const boxOf = e => {
    const r = e.getBoundingClientRect();
    return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};
  };
  const html = e => (e.outerHTML || '').slice(0, 400);
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const terms = () => Array.from(document.querySelectorAll('th,dt,label,strong,b,span,div'));

  const byLabel = label => {
    for (const t of terms()) {
      if (bare(t.textContent) === label && t.children.length === 0) {
        const v = t.nextElementSibling;
        if (v) return v;
      }
    }
    for (const t of terms()) { // "承诺办结时限：20个工作日" in one element
      const s = norm(t.textContent);
      if (t.children.length === 0 && (s.startsWith(label + '：') || s.startsWith(label + ':'))) return t;
    }
    return null;
  };
  const byHeading = text => {
    const h = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).find(h => bare(h.textContent) === text);
    return h ? h.nextElementSibling : null;
  };
  const find = loc => {
    if (!loc) return null;
    if (loc.by === 'label') return byLabel(loc.value);
    if (loc.by === 'heading') return byHeading(loc.value);
    try { return document.querySelector(loc.value); } catch (e) { return null; }
  };
  const valueOf = (e, label) => {
    let s = norm(e.innerText);
    for (const p of [label + '：', label + ':']) if (s.startsWith(p)) s = s.slice(p.length).trim();
    return s;
  };

  const elements = {};
  for (const [name, loc] of Object.entries(cfg.elements || {})) {
    const e = find(loc);
    elements[name] = e ? {found: true, value: valueOf(e, loc.value), box: boxOf(e), html: html(e)} : {found: false};
  }

  const materials = [];
  const table = find(cfg.materials.table);
  if (table) {
    const heads = Array.from(table.querySelectorAll('thead th, tr:first-child th')).map(h => bare(h.textContent));
    const col = name => name ? heads.indexOf(name) : -1;
    const cols = cfg.materials.columns || {}, cells = cfg.materials.cells || {};
    const cell = (row, sel, name) => {
      if (sel) { const c = row.querySelector(sel); return c ? norm(c.innerText) : ''; }
      const i = col(name);
      return i >= 0 && row.children[i] ? norm(row.children[i].innerText) : '';
    };
    for (const row of table.querySelectorAll(cfg.materials.row)) {
      const links = Array.from(row.querySelectorAll('a[href]')).map(a => {
        const t = norm(a.textContent);
        const kind = t.includes('样表') ? 'sample' : (t.includes('空表') || t.includes('下载') ? 'blank' : '');
        return {kind, href: a.href, text: t, box: boxOf(a)};
      }).filter(l => l.kind);
      const name = cell(row, cells.name, cols.name).replace(/^\d+[.、．]\s*/, '');
      materials.push({name, requirement: cell(row, cells.requirement, cols.requirement), links, box: boxOf(row), html: html(row)});
    }
  }

  const process = [];
  const list = find(cfg.process);
  if (list) for (const li of list.querySelectorAll('li')) process.push(norm(li.innerText));

  let entrance = {found: false};
  const ent = cfg.entrance || {};
  const cands = Array.from(document.querySelectorAll('a,button,[role=button],input[type=button],input[type=submit]')).filter(visible);
  let e = null;
  if (ent.by === 'text') e = cands.find(c => norm(c.innerText || c.value) === ent.value) || cands.find(c => norm(c.innerText || c.value).includes(ent.value));
  else if (ent.by === 'css') { try { e = document.querySelector(ent.value); } catch (err) { e = null; } }
  else if (ent.by === 'role') e = cands.find(c => !ent.name || norm(c.innerText) === ent.name);
  if (e) entrance = {found: true, href: e.href || '', text: norm(e.innerText || e.value), box: boxOf(e), html: html(e)};

  const body = document.body ? norm(document.body.innerText) : '';
  return {elements, materials, process, entrance, text: body.slice(0, 3000), textLength: body.length, title: document.title};
}
