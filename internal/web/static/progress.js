// Keeps the page of a scenario run current while it runs. Every two seconds it asks the server
// how far the run has got (GET …/progress, JSON); when that differs from what the page shows (a
// step done, a channel finished, the run over), it fetches the page again and puts its new state
// in place of the old. Without this script the page shows the same on reloading.
(function () {
  "use strict";
  var state = document.getElementById("run-state");
  if (!state || !state.dataset.progress) {
    return;
  }
  var url = state.dataset.progress;

  function refresh() {
    return fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error("HTTP " + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("run-state");
        if (next) {
          next = document.adoptNode(next);
          state.replaceWith(next);
          state = next;
        }
      });
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error("HTTP " + r.status);
        }
        return r.json();
      })
      .then(function (p) {
        var done = p.status !== "running";
        var work = p.key !== state.dataset.key ? refresh() : Promise.resolve();
        return work.then(function () {
          if (!done) {
            setTimeout(tick, 2000);
          }
        });
      })
      .catch(function () {
        setTimeout(tick, 5000); // the server restarting, the network gone: try again later
      });
  }

  setTimeout(tick, 2000);
})();
