// Helpers on the online form pages: sign in, fill the application form's fields with synthetic
// values (in the page only: nothing is clicked), press a control the site profile names as safe
// (a 下一步 that does not send the form), and read the upload slots. Called as (op, arg) and
// returning plain JSON. Nothing here clicks a form's submit button.
(op, arg) => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const bare = s => norm(s).replace(/[*＊：:]/g, '').trim();
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const control = l => (l.htmlFor && document.getElementById(l.htmlFor)) || l.querySelector('input,select,textarea');
  const target = t => {
    if (!t) return null;
    if (t.by === 'label') {
      const l = Array.from(document.querySelectorAll('label')).find(l => bare(l.textContent) === t.value);
      return l ? control(l) : null;
    }
    if (t.by === 'placeholder') return document.querySelector(`[placeholder="${CSS.escape(t.value)}"]`);
    if (t.by === 'css') { try { return document.querySelector(t.value); } catch (e) { return null; } }
    const buttons = Array.from(document.querySelectorAll('button,a,input[type=submit],input[type=button],[role=button]')).filter(visible);
    const want = t.by === 'role' ? t.name : t.value;
    return buttons.find(b => !want || norm(b.innerText || b.value) === want) || null;
  };
  const set = (el, v) => {
    const proto = el.tagName === 'SELECT' ? HTMLSelectElement : el.tagName === 'TEXTAREA' ? HTMLTextAreaElement : HTMLInputElement;
    Object.getOwnPropertyDescriptor(proto.prototype, 'value').set.call(el, v);
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
  };
  const labelOf = el => {
    const l = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    return bare(l ? l.textContent : (el.getAttribute('aria-label') || el.name || ''));
  };

  if (op === 'signin') {
    const missing = [];
    for (const [key, t] of Object.entries(arg.fields)) {
      const el = target(t);
      if (!el) { missing.push(key); continue; }
      set(el, arg.values[key]);
    }
    const submit = target(arg.submit);
    if (missing.length || !submit) return {ok: false, missing, submit: !!submit};
    setTimeout(() => submit.click(), 0);
    return {ok: true};
  }
  if (op === 'fill') {
    const p = arg;
    const form = Array.from(document.forms).find(f => f.querySelector('input:not([type=hidden]),select,textarea'));
    if (!form) return {ok: false, fields: []};
    const fields = [];
    for (const el of form.querySelectorAll('input,select,textarea')) {
      const label = labelOf(el), type = (el.type || '').toLowerCase();
      if (type === 'hidden' || type === 'file' || type === 'submit' || type === 'button' || type === 'reset' || type === 'image') continue;
      fields.push(label);
      if (type === 'checkbox' || type === 'radio') { el.checked = true; continue; } // no click: a click handler may act
      if (el.tagName === 'SELECT') { const o = Array.from(el.options).find(o => o.value); if (o) set(el, o.value); continue; }
      let v = '体验测试';
      if (/身份证/.test(label)) v = p.idcard;
      else if (type === 'tel' || /电话|手机/.test(label)) v = p.phone;
      else if (type === 'date' || /日期/.test(label)) v = '2026-01-05';
      else if (/姓名|经办人/.test(label)) v = p.name;
      set(el, v);
    }
    return {ok: true, fields};
  }
  if (op === 'next') {
    // Only a control the site profile names, found the way a person finds it.
    for (const t of arg.safe) {
      const el = target(t);
      if (el) { setTimeout(() => el.click(), 0); return {ok: true, text: norm(el.innerText || el.value)}; }
    }
    return {ok: false};
  }
  if (op === 'slots') {
    return Array.from(document.querySelectorAll(arg.slots)).map(s => {
      const n = s.querySelector(arg.name);
      let name = bare(n ? n.textContent : '').replace(/[（(][^）)]*[）)]$/, '').trim();
      return {name, required: !!(arg.required && s.querySelector(arg.required))};
    });
  }
  return null;
}
