// Small page behaviours without inline event handlers, so the Content-Security-Policy can forbid
// inline script (script-src 'self').
(function () {
  if (window.patentbridgeApp) {
    return; // loaded twice (e.g. a restored page): one listener is enough
  }
  window.patentbridgeApp = true;
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target && !event.defaultPrevented) {
      event.preventDefault();
      window.print();
    }
  });
})();
