// The report form's item search. As the officer types part of an item's name (or the start of
// its code), it asks the server for matching items (GET /api/items?q=…, JSON) and offers them in
// a <datalist>; picking one fills in both the name and the code. Without this script the two
// fields are typed in full, as before.
(function () {
  "use strict";
  var name = document.getElementById("item_name");
  var code = document.getElementById("item_code");
  if (!name || !code || !name.dataset.items) {
    return;
  }
  var url = name.dataset.items;
  // Each field has a list of its own: the name's suggestions carry the code too, which tells
  // apart the items of one name in different counties; the code's carry the name as their label.
  var names = suggestions(name, "item-names");
  var codes = suggestions(code, "item-codes");

  var picked = null; // the item last picked, while both fields still show it
  var timer = 0;
  var pending = null; // the request in flight, aborted when the officer types on

  function suggestions(field, id) {
    var list = document.createElement("datalist");
    list.id = id;
    field.form.appendChild(list);
    field.setAttribute("list", id);
    return { list: list, items: {} }; // items: an option's value → its item
  }

  function fill(s, items, value, label) {
    s.items = {};
    s.list.replaceChildren.apply(s.list, items.map(function (it) {
      var o = document.createElement("option");
      o.value = value(it);
      o.label = label(it);
      s.items[o.value] = it;
      return o;
    }));
  }

  function offer(items) {
    fill(names, items, function (it) { return it.name + " " + it.code; }, function (it) { return it.unit || ""; });
    fill(codes, items, function (it) { return it.code; }, function (it) { return it.name; });
  }

  function search(q) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal
    })
      .then(function (r) {
        if (!r.ok) {
          throw new Error("HTTP " + r.status);
        }
        return r.json();
      })
      .then(offer)
      .catch(function () {}); // aborted, or the server away: the field still takes what is typed
  }

  function typed(e) {
    var field = e.target;
    var it = (field === name ? names : codes).items[field.value];
    if (it) { // a suggestion was picked
      name.value = it.name;
      code.value = it.code;
      picked = it;
      offer([]);
      return;
    }
    if (picked) { // editing one field makes the other, filled by the pick, stale
      var other = field === name ? code : name;
      if (other.value === (field === name ? picked.code : picked.name)) {
        other.value = "";
      }
      picked = null;
    }
    clearTimeout(timer);
    var q = field.value.trim();
    if (!q) {
      offer([]);
      return;
    }
    timer = setTimeout(function () { search(q); }, 150);
  }

  name.addEventListener("input", typed);
  code.addEventListener("input", typed);
})();
