/* Upload progress for large files: htmx reports the bytes sent; then the server checks the file. */
(function () {
  function parts() {
    return {bar: document.getElementById("upload-progress"), text: document.getElementById("upload-status-text")};
  }
  document.addEventListener("htmx:xhr:progress", function (event) {
    var p = parts();
    if (!p.bar || !event.detail.lengthComputable) { return; }
    var percent = Math.round(event.detail.loaded / event.detail.total * 100);
    p.bar.hidden = false;
    p.bar.value = percent;
    p.bar.textContent = percent + "%";
    p.text.textContent = percent < 100 ? "Uploading… " + percent + "%" : "Checking every row…";
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!event.target.matches("[data-import-form]")) { return; }
    var p = parts();
    p.bar.hidden = false; p.bar.value = 0; p.text.textContent = "Uploading…";
    event.target.querySelector("button[type=submit]").disabled = true;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.target.matches("[data-import-form]")) { return; }
    var p = parts();
    p.bar.hidden = true; p.text.textContent = event.detail.successful ? "" : "The upload failed: try again.";
    event.target.querySelector("button[type=submit]").disabled = false;
    var result = document.getElementById("import-result");
    if (result) { result.focus(); }
  });
})();
