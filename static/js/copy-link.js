// "Copy link" buttons: copy the value of the input named by data-copy-target to the clipboard.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copyTarget);
  if (!input) return;
  input.select();
  const done = () => {
    button.textContent = "Copied";
  };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(done, () => document.execCommand("copy"));
  } else {
    document.execCommand("copy");
    done();
  }
});
