package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"

	"tiyan/internal/browser"
	"tiyan/scenarios"
)

// resolverJS finds a target the way a person would and marks it with data-tiyan-target=tok, so
// that chromedp can act on it by CSS. It is one function for every kind of target, so that the
// rules (visible before hidden, exact text before partial, controls before wrappers) live in one
// place. want is "" or "file" (an upload: the file input of the slot the target names).
const resolverJS = `(function(by, value, name, tok, want, slotSel) {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const strip = s => norm(s).replace(/[\s*＊:：]+$/, '').replace(/^[\s*＊]+/, '');
  const visible = e => {
    if (!e || !e.isConnected) return false;
    const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    return (r.width > 0 || r.height > 0) && cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const innermost = list => list.find(e => !list.some(o => o !== e && e.contains(o)));
  const clickable = 'a,button,input[type=button],input[type=submit],input[type=reset],[role=button],[role=link],summary,label,option';
  const pick = list => { const v = list.filter(visible); const l = v.length ? v : list; return l.find(e => e.matches(clickable)) || innermost(l); };
  const byMatch = (list, get, want) => {
    want = want === undefined ? value : want;
    let l = list.filter(e => get(e) === want); if (l.length) return pick(l);
    l = list.filter(e => get(e).startsWith(want)); if (l.length) return pick(l);
    l = list.filter(e => get(e).includes(want)); if (l.length) return pick(l);
    return null;
  };
  const control = l => l.control || l.querySelector('input,select,textarea,button');
  const labelOf = e => {
    if (e.getAttribute('aria-label')) return norm(e.getAttribute('aria-label'));
    const ids = e.getAttribute('aria-labelledby');
    if (ids) return norm(ids.split(/\s+/).map(i => (document.getElementById(i) || {}).innerText || '').join(' '));
    if (e.labels && e.labels.length) return strip(e.labels[0].innerText);
    return '';
  };
  const implicitRole = e => {
    const t = e.tagName.toLowerCase(), type = (e.getAttribute('type') || '').toLowerCase();
    if (t === 'button' || (t === 'input' && ['button', 'submit', 'reset', 'image'].includes(type))) return 'button';
    if (t === 'a' && e.hasAttribute('href')) return 'link';
    if (t === 'input' && type === 'checkbox') return 'checkbox';
    if (t === 'input' && type === 'radio') return 'radio';
    if (t === 'select') return 'combobox';
    if (t === 'textarea' || (t === 'input' && ['', 'text', 'tel', 'email', 'search', 'url', 'number', 'password'].includes(type))) return 'textbox';
    if (/^h[1-6]$/.test(t)) return 'heading';
    if (t === 'li') return 'listitem';
    if (t === 'table') return 'table';
    if (t === 'img') return 'img';
    return '';
  };
  const accName = e => labelOf(e) || strip(e.innerText) || norm(e.value) || norm(e.getAttribute('title')) || norm(e.getAttribute('alt'));
  let el = null;
  const all = () => Array.from(document.querySelectorAll('body *'));
  if (by === 'label') {
    const labels = Array.from(document.querySelectorAll('label'));
    const l = byMatch(labels, x => strip(x.innerText));
    if (l) el = control(l) || l;
    if (!el) el = byMatch(all().filter(e => e.hasAttribute('aria-label') || e.hasAttribute('aria-labelledby')), labelOf);
    if (!el) {
      // a term and its value: th/td, dt/dd, "承诺时限：…"
      const terms = Array.from(document.querySelectorAll('th,dt'));
      const t = byMatch(terms, x => strip(x.innerText));
      if (t) el = t.nextElementSibling || t;
    }
  } else if (by === 'text') {
    const cands = all().filter(e => !['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(e.tagName));
    const text = e => e.matches('input[type=button],input[type=submit]') ? norm(e.value) : norm(e.innerText);
    let l = cands.filter(e => text(e) === value);
    if (!l.filter(visible).length) l = cands.filter(e => text(e).includes(value));
    if (l.length) el = pick(l);
  } else if (by === 'placeholder') {
    el = byMatch(Array.from(document.querySelectorAll('[placeholder]')), e => norm(e.getAttribute('placeholder')));
  } else if (by === 'role') {
    const l = all().filter(e => (e.getAttribute('role') || implicitRole(e)) === value);
    if (!name) el = pick(l); else el = byMatch(l, accName, name);
  } else if (by === 'css') {
    try { el = document.querySelector(value); } catch (err) { return {error: 'CSS 选择器无效 (invalid selector): ' + err.message}; }
  }
  if (el && want === 'file' && !(el.tagName === 'INPUT' && el.type === 'file')) {
    const slot = (slotSel && el.closest(slotSel)) || el.parentElement;
    el = el.querySelector('input[type=file]') || (slot && slot.querySelector('input[type=file]')) || null;
  }
  if (!el) return {found: false};
  document.querySelectorAll('[data-tiyan-target]').forEach(e => e.removeAttribute('data-tiyan-target'));
  el.setAttribute('data-tiyan-target', tok);
  return {found: true, visible: visible(el), tag: el.tagName.toLowerCase(), type: el.type || '', checked: !!el.checked};
})`

// excerptJS returns the outerHTML around the marked target (the largest ancestor still under 4 KB),
// or the start of the body when nothing is marked.
const excerptJS = `(function(tok) {
  let e = tok && document.querySelector('[data-tiyan-target="' + tok + '"]');
  if (!e) return (document.body ? document.body.outerHTML : document.documentElement.outerHTML).slice(0, 4096);
  while (e.parentElement && e.parentElement !== document.body && e.parentElement.outerHTML.length <= 4096) e = e.parentElement;
  return e.outerHTML.slice(0, 4096);
})`

// found is what the resolver reports about a target.
type found struct {
	Found   bool   `json:"found"`
	Visible bool   `json:"visible"`
	Tag     string `json:"tag"`
	Type    string `json:"type"`
	Checked bool   `json:"checked"`
	Error   string `json:"error"`
	Look    string `json:"look"` // the page's look (see lookJS), to tell whether it changed since a screenshot
	sel     string
	tok     string
}

var tokens atomic.Uint64

// resolve runs the resolver once. sel in the result is the CSS selector of the marked element.
func resolve(ctx context.Context, t scenarios.Target, want, slotSel string) (found, error) {
	tok := "t" + strconv.FormatUint(tokens.Add(1), 36)
	args, _ := json.Marshal([]string{string(t.By), t.Value, t.Name, tok, want, slotSel})
	js := "Object.assign(" + resolverJS + "(..." + string(args) + "), {look: " + lookNow + "})"
	f, err := browser.EvalJSON[found](ctx, js)
	if err != nil {
		return f, err
	}
	if f.Error != "" {
		return f, fmt.Errorf("%s", f.Error)
	}
	f.tok = tok
	f.sel = `[data-tiyan-target="` + tok + `"]`
	return f, nil
}
