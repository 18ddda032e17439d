// Autocomplete for the search box: fills the <datalist> from /search/suggest; picking a
// suggestion goes straight to its page. Text is set with textContent/value, never as HTML.
(function () {
  var input = document.querySelector("input[data-suggest]");
  if (!input) return;
  var list = document.getElementById(input.getAttribute("list"));
  var urls = {}, timer = null;
  input.addEventListener("input", function () {
    if (urls[input.value]) { window.location.href = urls[input.value]; return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (input.value.trim().length < 2) return;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(input.value))
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.replaceChildren();
          urls = {};
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.label;
            if (item.url) urls[item.label] = item.url;
            list.appendChild(option);
          });
        });
    }, 150);
  });
})();
