/* Behaviour every page shares (no inline script: the CSP allows only files like this one). */
(function () {
  "use strict";
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
})();
