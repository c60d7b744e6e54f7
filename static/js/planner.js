/* The planner's behaviour (no inline script: the CSP allows only files like this one).
 *
 * - Edits are safe: leaving with unsaved changes asks first (links, other forms, tab close).
 * - Enter in a field never saves; in the role search it searches.
 * - The save button counts the pending changes.
 * The words come from the page (data-* attributes written by the presenters).
 */
(function () {
  "use strict";

  var form = document.getElementById("plan-lines");
  if (!form || !form.querySelector("[data-testid=save]")) {
    return;
  }
  var saveButton = form.querySelector("[data-testid=save]");
  var serverUnsaved = form.dataset.unsaved === "true";
  var leaving = false;
  var LINE_FIELD = /^lines-\d+-(current_fte|planned_fte|cost_override|note|locked|remove)$/;

  function pendingCount() {
    var count = form.querySelectorAll("tr[data-new]").length;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!LINE_FIELD.test(field.name || "") || field.closest("tr[data-new]")) {
        return;
      }
      var changed = field.type === "checkbox"
        ? field.checked !== field.defaultChecked
        : field.value !== field.defaultValue;
      if (changed) {
        count += 1;
      }
    });
    return count;
  }

  function isDirty() {
    return serverUnsaved || pendingCount() > 0;
  }

  function showPending() {
    var count = pendingCount();
    saveButton.textContent = count > 0
      ? form.dataset.pendingWords.replace("{n}", String(count))
      : form.dataset.saveWords;
    saveButton.classList.toggle("has-pending", count > 0 || serverUnsaved);
  }

  function mayLeave() {
    if (leaving || !isDirty()) {
      return true;
    }
    return window.confirm(form.dataset.prompt);
  }

  // The Add and Search buttons carry a formaction for the no-JS path; htmx would then post the
  // table's live preview (and the Add itself) there, so point those requests back at hx-post.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (source === form || (source && source.hasAttribute && source.hasAttribute("data-add-row"))) {
      event.detail.path = source.getAttribute("hx-post");
    }
  });

  form.addEventListener("input", showPending);
  form.addEventListener("change", showPending);
  document.body.addEventListener("rows-changed", showPending);
  document.body.addEventListener("htmx:afterSwap", showPending);

  // Saving is the one way out that keeps the edits: no prompt.
  form.addEventListener("submit", function () {
    leaving = true;
  });

  // Enter never saves: in the search it searches, elsewhere it only leaves the value as typed.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !target || target.tagName !== "INPUT" || target.form !== form) {
      return;
    }
    event.preventDefault();
    if (target.type === "search" && window.htmx) {
      window.htmx.trigger(target, "search");
    }
  });

  // In-app links and other forms (status, copy, sign out) ask before dropping the edits.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.target === "_blank" || link.hasAttribute("download")) {
      return;
    }
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#" || href.indexOf("/export/") !== -1) {
      return;
    }
    if (!mayLeave()) {
      event.preventDefault();
      return;
    }
    leaving = true;
  });
  document.addEventListener("submit", function (event) {
    var target = event.target;
    // The lines form itself keeps the edits; htmx forms and the suggestions panel (its script
    // asks for the rows on screen and shows the answer in place) stay on the page; "Apply as a
    // new scenario" (data-keeps-edits) carries the rows on screen into the new plan.
    if (target === form || target.hasAttribute("hx-get") || target.hasAttribute("hx-post") ||
        target.hasAttribute("data-suggestions-preview") || target.hasAttribute("data-keeps-edits")) {
      return;
    }
    if (!mayLeave()) {
      event.preventDefault();
      return;
    }
    leaving = true;
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Back from the browser's page cache: the page is still the same one, ask again next time.
  window.addEventListener("pageshow", function () {
    leaving = false;
  });

  showPending();
})();
