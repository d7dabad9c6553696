// layout.js: measures every layout rule of RULES.md on the loaded page in one evaluation, so the
// probe pays for one protocol round trip and one style pass. It is a function expression; the
// probe calls it with its options (o) and the value of locate.js (L). It changes nothing on the
// page: the only thing it may do is scroll a key control into view, and it scrolls back.
async (o, L) => {
  // Interactive controls, for the rules about controls.
  const controlSel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[role=button], [role=link], [role=tab], [role=checkbox], [role=switch], [role=menuitem]';
  const shifts = watchShifts();
  // The layout-shift rule watches the first o.shiftWatchMs of the page (a late banner is the
  // classic shift), so wait until then. It counts from when the document was parsed and its
  // scripts started their timers, not from navigation start: on a slow server or a busy machine
  // that would shrink the window, and a banner due 700 ms after parsing came after it.
  const nav = performance.getEntriesByType('navigation')[0];
  const wait = (nav ? nav.domInteractive : 0) + o.shiftWatchMs - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  // scrollingElement is <body> in quirks mode, which many portal pages still use.
  const root = document.scrollingElement || document.documentElement;
  // clientWidth, not innerWidth: under mobile emulation innerWidth grows with the content.
  const vw = root.clientWidth, vh = root.clientHeight;
  // Fixed layers are laid out in the layout viewport, which mobile emulation widens to the
  // content when the page overflows (innerWidth), so a full-width bar is not off screen then.
  const fixedW = Math.max(vw, innerWidth);
  const sx = scrollX, sy = scrollY;
  const els = scan();

  // A rule that throws (a bug, or a page odd enough to break it) costs that rule only, and is
  // reported as the prober's failure.
  const failed = [];
  const guard = (name, rule, none) => {
    try {
      return rule();
    } catch (e) {
      failed.push(name + ': ' + e);
      return none;
    }
  };
  const out = {
    overflow: guard('overflow', overflow, null),
    offscreen: guard('offscreen', offscreen, []),
    overlap: guard('overlap', overlap, []),
    truncated: guard('truncated', truncated, []),
    smallText: guard('small-text', smallText, { count: 0, mainSize: 0 }),
    elder: guard('elder-mode', elder, { found: true }),
    tapTargets: o.touch ? guard('tap-target', tapTargets, []) : [],
    popups: guard('popup', popups, []),
    brokenImages: guard('broken-resource', brokenImages, []),
    shift: guard('shift', shifts, null),
  };
  try {
    out.obscured = await obscured(); // last: it may scroll
  } catch (e) {
    failed.push('obscured: ' + e);
    out.obscured = [];
  }
  out.failed = failed;
  return out;

  // scan reads every rendered element of the body once: its style, box and layer.
  function scan() {
    const list = [];
    const byEl = new Map();
    const skipTags = new Set(['script', 'style', 'noscript', 'template', 'link', 'meta', 'title', 'head', 'br', 'wbr', 'option', 'optgroup']);
    if (!document.body) return list;
    for (const el of document.body.getElementsByTagName('*')) {
      const parent = byEl.get(el.parentElement);
      if (skipTags.has(el.localName) || (parent && parent.skip)) {
        byEl.set(el, { skip: true });
        continue;
      }
      const st = getComputedStyle(el);
      if (st.display === 'none' || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
        byEl.set(el, { skip: true }); // nothing of it shows (or it is SVG, which has no text blocks)
        continue;
      }
      const r = el.getBoundingClientRect();
      const pos = st.position;
      const opacity = (parent ? parent.opacity : 1) * parseFloat(st.opacity || '1');
      const m = {
        el, st, r, pos, opacity,
        fixed: pos === 'fixed' || (parent ? parent.fixed : false),
        outOfFlow: pos === 'fixed' || pos === 'sticky' || pos === 'absolute' || (parent ? parent.outOfFlow : false),
        visible: r.width > 0 && r.height > 0 && st.visibility === 'visible' && opacity > 0.05,
        parent: parent && !parent.skip ? parent : null,
      };
      // Inside a clipped-away box (the visually-hidden idiom) nothing shows, whatever its own box.
      m.clipped = !!m.parent && (m.parent.clipped || clipsAway(m.parent));
      byEl.set(el, m);
      list.push(m);
    }
    return list;
  }

  // hiddenIdiom: the "visually hidden" tricks (a 1 px clipped box, a skip link parked far
  // off the page until it gets focus) hide things from the eye on purpose.
  function hiddenIdiom(m) {
    const b = docBox(m);
    return m.clipped || m.r.width <= 2 || m.r.height <= 2 || m.st.clip !== 'auto' || m.st.clipPath !== 'none' ||
      b.right <= 0 || b.bottom <= 0;
  }

  function clipsAway(m) {
    return m.st.clip !== 'auto' || m.st.clipPath !== 'none' ||
      ((m.r.width <= 2 || m.r.height <= 2) && m.st.overflowX !== 'visible');
  }

  function docBox(m) {
    const ox = m.fixed ? 0 : sx, oy = m.fixed ? 0 : sy;
    return { left: m.r.left + ox, right: m.r.right + ox, top: m.r.top + oy, bottom: m.r.bottom + oy };
  }

  // ownText lists the element's own text nodes that say something: letters or digits, not only
  // punctuation or icon-font glyphs (private-use characters).
  function ownText(el) {
    const nodes = [];
    for (const n of el.childNodes) if (n.nodeType === 3 && meaningful(n.data)) nodes.push(n);
    return nodes;
  }

  function meaningful(s) {
    return /[\p{L}\p{N}]/u.test(s);
  }

  // LAYOUT-OVERFLOW: the document is wider than the viewport; name the outermost element that
  // sticks out furthest.
  function overflow() {
    const sw = root.scrollWidth;
    if (sw <= vw + o.overflowPx) return null;
    let best = null, bestRight = 0;
    for (const m of els) {
      if (!m.visible || m.fixed) continue;
      const right = docBox(m).right;
      if (right <= vw + o.overflowPx) continue;
      if (m.parent && docBox(m.parent).right > vw + o.overflowPx) continue; // not the outermost
      if (clippedInside(m)) continue;
      if (!best || right > bestRight) { best = m; bestRight = right; }
    }
    return { scrollWidth: sw, clientWidth: vw, right: bestRight, el: best ? L.info(best.el) : null };
  }

  // clippedInside: the part of m beyond the viewport is cut off by a scrolling or clipping
  // ancestor (a carousel, a scrollable tab strip), so it neither widens the page nor hides off
  // screen for good.
  function clippedInside(m) {
    if (m.pos === 'fixed') return false;
    let left = m.r.left, right = m.r.right;
    for (let a = m.parent; a; a = a.parent) {
      if (a.st.overflowX !== 'visible') {
        left = Math.max(left, a.r.left);
        right = Math.min(right, a.r.right);
      }
      if (a.pos === 'fixed') break;
    }
    const ox = m.fixed ? 0 : sx;
    return left + ox >= -1 && right + ox <= (m.fixed ? fixedW : vw) + 1;
  }

  // LAYOUT-OFFSCREEN: a control that sticks out of the viewport's width, partly; one wholly
  // outside is the skip-link idiom, not a layout slip.
  function offscreen() {
    const found = [];
    for (const m of els) {
      if (!m.visible || m.r.width < 2 || m.r.height < 2 || !m.el.matches(controlSel)) continue;
      const b = docBox(m), w = m.fixed ? fixedW : vw;
      const partly = (b.left < -1 || b.right > w + 1) && b.right > 0 && b.left < w;
      if (!partly || clippedInside(m)) continue;
      found.push({ el: L.info(m.el), left: b.left, right: b.right, viewport: w });
      if (found.length >= o.maxPerRule) break;
    }
    return found;
  }

  // LAYOUT-OVERLAP: in-flow text and controls whose painted areas overlap. Text is measured by
  // its line boxes (Range rects), not by element boxes, which overlap harmlessly around floats.
  function overlap() {
    const blocks = [];
    const range = document.createRange();
    for (const m of els) {
      if (!m.visible || m.outOfFlow || hiddenIdiom(m)) continue;
      const rects = shapes(m, range);
      if (!rects.length) continue;
      let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity, area = 0;
      for (const r of rects) {
        top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
        left = Math.min(left, r.left); right = Math.max(right, r.right);
        area += (r.right - r.left) * (r.bottom - r.top);
      }
      blocks.push({ m, rects, top, bottom, left, right, area });
    }
    blocks.sort((a, b) => a.top - b.top);
    const found = [];
    for (let i = 0; i < blocks.length && found.length < o.maxPerRule; i++) {
      const a = blocks[i];
      for (let j = i + 1; j < blocks.length && blocks[j].top < a.bottom; j++) {
        const b = blocks[j];
        if (b.left >= a.right || b.right <= a.left) continue;
        if (a.m.el.contains(b.m.el) || b.m.el.contains(a.m.el)) continue;
        const shared = intersection(a.rects, b.rects);
        const share = shared / Math.min(a.area, b.area);
        if (share > o.overlapShare) {
          found.push({ a: L.info(a.m.el), b: L.info(b.m.el), share });
          if (found.length >= o.maxPerRule) break;
        }
      }
    }
    return found;
  }

  // shapes are the rectangles m paints text or a control in, cut to the line boxes (the glyph
  // boxes of tall fonts overlap the next line when line-height is tight) and to m's own clip.
  function shapes(m, range) {
    const el = m.el;
    const control = /^(?:button|input|select|textarea)$/.test(el.localName);
    let rects;
    if (control) {
      rects = [m.r];
    } else {
      rects = [];
      for (const n of ownText(el)) {
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) rects.push(r);
      }
    }
    const lh = parseFloat(m.st.lineHeight); // NaN for "normal": the glyph box is the line
    const clipX = m.st.overflowX !== 'visible', clipY = m.st.overflowY !== 'visible';
    const out = [];
    for (const r of rects) {
      let { left, right, top, bottom } = r;
      if (!control && lh < bottom - top) {
        const cut = (bottom - top - lh) / 2;
        top += cut; bottom -= cut;
      }
      if (clipX) { left = Math.max(left, m.r.left); right = Math.min(right, m.r.right); }
      if (clipY) { top = Math.max(top, m.r.top); bottom = Math.min(bottom, m.r.bottom); }
      if (right - left > 1 && bottom - top > 1) out.push({ left, right, top, bottom });
    }
    return out;
  }

  function intersection(as, bs) {
    let sum = 0;
    for (const a of as) {
      for (const b of bs) {
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0 && h > 0) sum += w * h;
      }
    }
    return sum;
  }

  // LAYOUT-TRUNCATED: a label or value whose text is cut: an ellipsis, a clamp or a clip.
  function truncated() {
    const found = [];
    for (const m of els) {
      const st = m.st;
      const clipX = st.overflowX === 'hidden' || st.overflowX === 'clip';
      const clipY = st.overflowY === 'hidden' || st.overflowY === 'clip';
      if (!m.visible || (!clipX && !clipY) || hiddenIdiom(m)) continue;
      const el = m.el;
      if (!meaningful(el.textContent) || !inlineOnly(el)) continue;
      const fs = parseFloat(st.fontSize);
      const cutX = clipX && el.scrollWidth > el.clientWidth + 1;
      const clamp = st.webkitLineClamp && st.webkitLineClamp !== 'none';
      const cutY = clipY && el.scrollHeight > el.clientHeight + Math.max(2, fs / 2) && (clamp || ownText(el).length > 0);
      if (!cutX && !cutY) continue;
      found.push({
        el: L.info(el), text: el.textContent.replace(/\s+/g, ' ').trim().slice(0, 80),
        scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight,
        ellipsis: st.textOverflow === 'ellipsis', clamp: !!clamp,
      });
      if (found.length >= o.maxPerRule) break;
    }
    return found;
  }

  // inlineOnly: el holds a run of text (a label, a value), not a layout container whose
  // clipping is a design choice.
  function inlineOnly(el) {
    const inner = el.getElementsByTagName('*');
    if (inner.length > 20) return false;
    for (const c of inner) {
      const d = getComputedStyle(c).display;
      if (!d.startsWith('inline') && d !== 'contents' && d !== 'none') return false;
    }
    return true;
  }

  // LAYOUT-SMALL-TEXT: every visible run of text, by its computed size. It also gives the size
  // most of the text is set in, for the elder-mode advice.
  function smallText() {
    let min = Infinity, count = 0, chars = 0, first = null;
    const bySize = new Map();
    for (const m of els) {
      if (!m.visible || hiddenIdiom(m)) continue;
      const nodes = ownText(m.el);
      // Superscripts, subscripts and ruby are small by typographic convention.
      if (!nodes.length || m.el.closest('sup, sub, rt, rp')) continue;
      const fs = parseFloat(m.st.fontSize);
      if (!(fs >= 1)) continue; // font-size: 0 hides text on purpose
      let n = 0;
      for (const t of nodes) n += t.data.replace(/\s+/g, '').length;
      bySize.set(fs, (bySize.get(fs) || 0) + n);
      if (fs < o.minText) {
        count++; chars += n; min = Math.min(min, fs);
        if (!first) first = m.el;
      }
    }
    let main = 0, mainChars = -1;
    for (const [fs, n] of bySize) {
      if (n > mainChars) { main = fs; mainChars = n; }
    }
    return { min: count ? min : 0, count, chars, mainSize: main, el: first ? L.info(first) : null };
  }

  // elder looks for an elder mode by the name of a control (长辈版, 关怀模式, 大字版, 适老化 …),
  // shown or not: a switch tucked in a menu is still offered. The whole name must match, so an
  // item called 老年人优待证办理 is not taken for one. Whether the mode reaches o.elderText cannot
  // be known without switching it on, which would change the page (and the session's cookies) for
  // the probes that follow, so the name is taken on trust.
  function elder() {
    const re = /^(?:切换|进入|开启|打开)?(?:长辈|关怀|大字|适老化?|老年|长者|无障碍)(?:版|模式|浏览|阅读|专区|服务)?$/;
    const clickable = 'a, button, label, summary, [role=button], [role=switch], [role=link], [role=menuitem], [role=tab], [onclick], [tabindex]';
    const walk = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const t = walk.currentNode.data.replace(/\s+/g, '');
      if (!t || t.length > 10 || !re.test(t)) continue;
      const el = walk.currentNode.parentElement;
      if (el && (el.closest(clickable) || getComputedStyle(el).cursor === 'pointer')) return { found: true, name: t };
    }
    for (const el of document.querySelectorAll('[aria-label], [title], img[alt], input[type=button], input[type=checkbox]')) {
      const t = (el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('alt') || el.value || '').replace(/\s+/g, '');
      if (t && t.length <= 10 && re.test(t) && el.closest(clickable + ', input')) return { found: true, name: t };
    }
    return { found: false, name: '' };
  }

  // LAYOUT-TAP-TARGET: controls a finger cannot hit reliably, grouped by kind (tag and classes)
  // so a list of forty identical icons is one finding. A link inside a sentence is exempt, as in
  // WCAG 2.5.8; a checkbox counts together with its label.
  function tapTargets() {
    const groups = new Map();
    for (const m of els) {
      const el = m.el;
      if (!m.visible || hiddenIdiom(m) || !el.matches(controlSel) || el.disabled) continue;
      if (el.localName === 'a' && m.st.display === 'inline' && el.parentElement && ownText(el.parentElement).length) continue;
      let w = m.r.width, h = m.r.height;
      for (const l of el.labels || []) {
        const lr = l.getBoundingClientRect();
        w = Math.max(w, lr.width); h = Math.max(h, lr.height);
      }
      if (w >= o.tapTarget - 0.01 && h >= o.tapTarget - 0.01) continue;
      const kind = L.describe(el);
      let g = groups.get(kind);
      if (!g) groups.set(kind, g = { kind, count: 0, width: w, height: h, el: L.info(el), examples: [] });
      g.count++;
      if (w * h < g.width * g.height) { g.width = w; g.height = h; }
      if (g.examples.length < 5) g.examples.push(L.locate(el));
    }
    return [...groups.values()].slice(0, o.maxPerRule);
  }

  // LAYOUT-POPUP: a dialog, or a fixed layer that is large or has a close button, showing on
  // load before anyone touched the page. A mask behind a dialog is the same popup: only the
  // innermost of nested layers is reported.
  function popups() {
    const closeRe = /^(?:关闭|关闭广告|×|✕|✖|╳|x|X|close|Close|跳过|我知道了|知道了|不再提示)$/;
    const found = [];
    for (const m of els) {
      if (!m.visible) continue;
      const el = m.el;
      const inView = m.r.bottom > 0 && m.r.top < vh && m.r.right > 0 && m.r.left < (m.fixed ? fixedW : vw);
      if (!inView) continue;
      const role = el.getAttribute('role');
      let reason = '';
      if (role === 'dialog' || role === 'alertdialog' || el.getAttribute('aria-modal') === 'true' || (el.localName === 'dialog' && el.open)) {
        reason = 'dialog';
      } else if (m.pos === 'fixed' && !(m.parent && m.parent.fixed)) {
        const w = Math.min(m.r.right, vw) - Math.max(m.r.left, 0), h = Math.min(m.r.bottom, vh) - Math.max(m.r.top, 0);
        const cover = (w * h) / (vw * vh);
        if (cover >= 0.3 && !el.querySelector('main, h1, form')) reason = 'cover';
        else if (hasClose(el, closeRe)) reason = 'close';
      }
      if (reason) found.push({ m, reason });
    }
    // One pop-up, one finding: a layer holding another reported layer, or an empty mask laid
    // behind a dialog as its sibling, is the same pop-up as the dialog.
    const inner = found.filter((f) => !found.some((g) => g !== f &&
      (f.m.el.contains(g.m.el) || (f.reason === 'cover' && !/\S/.test(f.m.el.textContent) && contains(f.m.r, g.m.r)))));
    return inner.slice(0, o.maxPerRule).map((f) => ({ el: L.info(f.m.el), reason: f.reason }));
  }

  function hasClose(el, re) {
    for (const c of el.querySelectorAll('button, a, [role=button], span, i, div, img')) {
      const t = (c.getAttribute('aria-label') || c.getAttribute('title') || c.getAttribute('alt') || c.textContent || '').trim();
      if (re.test(t)) return true;
    }
    return false;
  }

  function contains(outer, inner) {
    return outer.left <= inner.left && outer.right >= inner.right && outer.top <= inner.top && outer.bottom >= inner.bottom;
  }

  // brokenImages are images that did not decode, with their boxes, so the broken-resource
  // finding can point at them.
  function brokenImages() {
    const found = [];
    for (const img of document.images) {
      const url = img.currentSrc || img.src;
      if (url && img.complete && img.naturalWidth === 0) found.push({ url, el: L.info(img) });
    }
    return found;
  }

  // watchShifts starts a buffered layout-shift observer and returns the function that ends it
  // and sums the shifts, in session windows as Chromium's CLS does (gaps under 1 s, at most 5 s).
  function watchShifts() {
    const entries = [];
    let po;
    try {
      po = new PerformanceObserver((list) => entries.push(...list.getEntries()));
      po.observe({ type: 'layout-shift', buffered: true });
    } catch (e) {
      return () => null; // no Layout Instability API
    }
    return () => {
      entries.push(...po.takeRecords());
      po.disconnect();
      return sumShifts(entries);
    };
  }

  // sumShifts: a shift right after input is the page answering the user, not a jump. Chromium's
  // touch emulation can mark load-time shifts as after input although nobody touched the page, so
  // hadRecentInput is trusted only when the page did see an input.
  function sumShifts(entries) {
    const sawInput = performance.getEntriesByType('first-input').length > 0;
    let best = 0, cur = 0, start = -1, last = -1, ignored = 0, top = null;
    entries.sort((a, b) => a.startTime - b.startTime);
    for (const e of entries) {
      if (e.hadRecentInput && sawInput) { ignored += e.value; continue; }
      if (start < 0 || e.startTime - last > 1000 || e.startTime - start > 5000) { cur = 0; start = e.startTime; }
      cur += e.value; last = e.startTime;
      best = Math.max(best, cur);
      if (!top || e.value > top.value) top = e;
    }
    return {
      cls: best, count: entries.length, ignored, sawInput,
      flagged: entries.filter((e) => e.hadRecentInput).length,
      el: top ? shiftSource(top) : null,
    };
  }

  // shiftSource is the largest element the biggest shift moved, where it ended up.
  function shiftSource(e) {
    let best = null, area = -1;
    for (const s of e.sources || []) {
      const r = s.currentRect, a = r.width * r.height;
      if (a > area) { best = s; area = a; }
    }
    if (!best) return null;
    const n = best.node && best.node.nodeType === 1 ? best.node : best.node && best.node.parentElement;
    if (n && n.isConnected) return L.info(n);
    const r = best.currentRect;
    return { locator: '', box: { x: r.x, y: r.y, width: r.width, height: r.height }, html: '' };
  }

  // LAYOUT-OBSCURED: is a key control (在线办理, 提交, 下一步, 上传) the element a click on its
  // centre reaches? One below the fold is scrolled to the centre first, and the page is
  // scrolled back afterwards.
  async function obscured() {
    const keyRe = /^(?:在线办理|立即办理|网上办理|我要办理|马上办理|在线申报|我要申报|在线申请|申请办理|提交|提交申请|确认提交|提交材料|下一步|上传|上传材料|上传文件|选择文件|点击上传)$/;
    const keys = els.filter((m) => m.visible && !hiddenIdiom(m) && m.el.matches(controlSel) && keyRe.test(controlName(m.el)));
    const found = [];
    let scrolled = false;
    try {
      for (const m of keys) {
        let r = m.el.getBoundingClientRect();
        if (!centreInView(r)) {
          m.el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
          scrolled = true;
          await frames(); // scroll listeners reposition floating widgets
          r = m.el.getBoundingClientRect();
          if (!centreInView(r)) continue;
        }
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!hit || hit === m.el || m.el.contains(hit) || hit.contains(m.el)) continue;
        if ([...(m.el.labels || [])].some((l) => l.contains(hit))) continue;
        const cover = coverOf(hit, m.el);
        const info = L.info(m.el), coverInfo = L.info(cover);
        found.push({ el: info, name: controlName(m.el), cover: coverInfo });
        if (found.length >= o.maxPerRule) break;
      }
    } finally {
      if (scrolled) window.scrollTo({ left: sx, top: sy, behavior: 'instant' });
    }
    return found;
  }

  function controlName(el) {
    return String(el.getAttribute('aria-label') || el.innerText || el.value || el.title || '').replace(/\s+/g, '');
  }

  function centreInView(r) {
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    return x >= 0 && x < vw && y >= 0 && y < vh;
  }

  // coverOf names the layer that covers: the nearest positioned ancestor of the element hit (the
  // chat widget, not the icon inside it).
  function coverOf(hit, target) {
    for (let a = hit; a && a !== document.body; a = a.parentElement) {
      if (a.contains(target)) break;
      const p = getComputedStyle(a).position;
      if (p === 'fixed' || p === 'sticky' || p === 'absolute') return a;
    }
    return hit;
  }

  function frames() {
    return new Promise((done) => {
      const t = setTimeout(done, 100); // a hidden tab may not paint
      requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(t); done(); }));
    });
  }
}
