// locate.js: how tiyan names and excerpts an element, shared by the page-side scripts of the
// layout and a11y probes. It is an expression; the probes pass its value to their scripts. A finding's fingerprint includes the locator, so it must not change from
// day to day: it uses ids and data-* keys that look hand-written, tag and class names, and the
// short text of controls, never positions (nth-child) that shift when a row is added.
(() => {
  // Generated ids and classes (framework counters, CSS-in-JS hashes) change between builds.
  const generated = /\d{3,}|^(?:ember|react-|vue-|el-id|rc-|:r|css-|sc-|jsx-|svelte-)|__[A-Za-z0-9_-]{5,}$/;
  // Classes that say what state an element is in, not what it is.
  const stateClass = /^(?:active|on|off|hover|focus|selected|current|open|opened|show|shown|hide|hidden|visible|disabled|checked|is-.*|has-.*|ng-.*|router-link.*)$/i;
  const preferredData = ['data-element', 'data-material', 'data-testid', 'data-test', 'data-key', 'data-name', 'data-field', 'data-code'];
  const unstableData = /^data-(?:v-.*|index|idx|state|active|open|selected|time|timestamp|ts|count|page|row|col|x|y)$/i;

  const cssString = (v) => JSON.stringify(v);

  // key names an element by itself: a hand-written id or a data-* key.
  function key(el) {
    if (el.id && !generated.test(el.id)) return '#' + CSS.escape(el.id);
    for (const a of preferredData) {
      const v = el.getAttribute(a);
      if (v) return '[' + a + '=' + cssString(v) + ']';
    }
    for (const a of el.attributes) {
      if (a.name.startsWith('data-') && a.value && a.value.length <= 40 && !unstableData.test(a.name)) {
        return '[' + a.name + '=' + cssString(a.value) + ']';
      }
    }
    return '';
  }

  // describe is tag and up to three meaningful classes: "a.btn.tiny-dl".
  function describe(el) {
    const classes = [...el.classList].filter((c) => !generated.test(c) && !stateClass.test(c)).slice(0, 3);
    return el.localName + classes.map((c) => '.' + CSS.escape(c)).join('');
  }

  const controlTags = new Set(['a', 'button', 'label', 'summary', 'select', 'option']);
  function isControl(el) {
    const role = el.getAttribute('role');
    return controlTags.has(el.localName) || role === 'button' || role === 'link' || role === 'tab' ||
      (el.localName === 'input' && /^(?:button|submit|reset|image)$/i.test(el.type));
  }

  // name is an element's short visible name, digits folded so a count in it does not matter: a
  // control's label, or the text of an element itself (not of what it contains, which changes
  // with the content).
  function name(el) {
    let t = isControl(el) ? el.getAttribute('aria-label') || el.innerText || el.value || el.title || '' : ownText(el);
    t = String(t).replace(/\s+/g, ' ').trim().replace(/\d+/g, '#');
    return t && t.length <= 16 ? '「' + t + '」' : '';
  }

  function ownText(el) {
    let t = '';
    for (const n of el.childNodes) if (n.nodeType === 3) t += n.data;
    return t || el.getAttribute('alt') || '';
  }

  function anchorOf(el) {
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const k = key(a);
      if (k) return k;
    }
    return '';
  }

  // locate returns the stable locator of el.
  function locate(el) {
    const own = key(el);
    if (own) return own;
    if (el === document.documentElement || el === document.body) return el.localName;
    const anchor = anchorOf(el);
    let self = describe(el);
    if (isControl(el) || !anchor) self += name(el);
    if (anchor) return anchor + ' ' + self;
    const parent = el.parentElement;
    if (parent && parent !== document.body && parent !== document.documentElement) return describe(parent) + ' > ' + self;
    return self;
  }

  const htmlLimit = 300;
  function html(el) {
    const h = el.outerHTML || '';
    return h.length > htmlLimit ? h.slice(0, htmlLimit) + '…' : h;
  }

  // box is el's border box in document CSS px.
  function box(el) {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  }

  // text is what a person reads on el, shortened for a finding's title.
  function text(el) {
    const t = String(el.getAttribute('aria-label') || el.innerText || el.value || el.title || el.alt || '').replace(/\s+/g, ' ').trim();
    return t.length > 30 ? t.slice(0, 30) + '…' : t;
  }

  // info is everything a finding says about one element.
  function info(el) {
    return { locator: locate(el), text: text(el), box: box(el), html: html(el) };
  }

  return { locate, describe, info, box, html, key };
})()
