/* The planner's suggestions panel: ask for suggestions from the values on screen.
 *
 * Without this script the panel's form GETs the suggestions page for the saved plan. With it,
 * "Suggest" posts the mode, aim, step, grow-to and the whole lines table as on screen (role,
 * planned FTE, locked; removed rows left out) to the panel's preview URL, and shows the answer
 * in the panel. The answer's "Apply as a new scenario" form carries the same rows, so the
 * scenario holds exactly what was shown. No inline script: loaded as a file (CSP).
 */
(function () {
  "use strict";

  function screenRows() {
    var table = document.getElementById("plan-lines");
    if (!table) return null;
    var rows = [];
    var roles = table.querySelectorAll('input[name$="-role"]');
    for (var i = 0; i < roles.length; i++) {
      var prefix = roles[i].name.slice(0, -"role".length);
      var planned = table.querySelector('[name="' + prefix + 'planned_fte"]');
      if (!planned) return null; // a read-only table: the saved values are what is shown
      var removed = table.querySelector('[name="' + prefix + 'remove"]');
      if (removed && removed.checked) continue;
      var locked = table.querySelector('[name="' + prefix + 'locked"]');
      rows.push({
        role: parseInt(roles[i].value, 10),
        planned_fte: planned.value.trim() === "" ? "0" : planned.value.trim(),
        locked: !!(locked && locked.checked),
      });
    }
    return rows;
  }

  function csrfToken() {
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    if (field) return field.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function show(target, html) {
    target.innerHTML = html;
    if (window.htmx) window.htmx.process(target);
  }

  function ask(form) {
    var target = document.getElementById(form.getAttribute("data-suggestions-target"));
    var body = new FormData(form);
    var rows = screenRows();
    var request;
    if (rows === null) {
      var query = new URLSearchParams(body).toString();
      request = fetch(form.action + "?" + query, {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
      });
    } else {
      body.append("lines", JSON.stringify(rows));
      request = fetch(form.getAttribute("data-suggestions-preview"), {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
        credentials: "same-origin",
      });
    }
    target.setAttribute("aria-busy", "true");
    request
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        show(target, html);
      })
      .catch(function () {
        show(target, '<p class="form-errors" role="alert">The suggestions could not be loaded: check the connection and try again.</p>');
      })
      .finally(function () {
        target.removeAttribute("aria-busy");
      });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-suggestions-preview]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        event.preventDefault();
        ask(event.currentTarget);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
