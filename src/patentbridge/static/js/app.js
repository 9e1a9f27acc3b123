// Small page behaviours without inline event handlers, so the Content-Security-Policy can forbid
// inline script (script-src 'self').
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
