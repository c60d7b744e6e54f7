/* Small page behaviours, kept out of the HTML so that the Content-Security-Policy forbids inline
   script (DESIGN §12). Each is declared with a data- attribute:
   - data-print: a button that opens the print dialog;
   - data-enter-triggers="search": in a field, Enter fires that htmx event instead of submitting. */
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  document.addEventListener("keydown", function (event) {
    var field = event.target.closest ? event.target.closest("[data-enter-triggers]") : null;
    if (!field || event.key !== "Enter") { return; }
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(field, field.getAttribute("data-enter-triggers")); }
  });
})();
