// "Copy" buttons for citations: shown only when the clipboard can be written; without
// JavaScript the citation stays plain, selectable text. Text is read with textContent.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.setAttribute("aria-pressed", "true");
      });
    });
  });
})();
