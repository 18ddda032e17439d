// The query UI: YASGUI (vendored, no CDN) on our endpoint, with our prefixes and example queries.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  var root = document.getElementById("yasgui");
  if (!window.Yasgui || !root) return; // the plain form stays as the fallback

  // Local completion only: the class and property completers would ask LOV over the network.
  Yasgui.Yasqe.forkAutocompleter("prefixes", {
    name: "pledgegraph-prefixes",
    persistenceId: null,
    get: function () {
      return Promise.resolve(Object.keys(config.prefixes).sort().map(function (p) {
        return p + ": <" + config.prefixes[p] + ">";
      }));
    }
  }, false);
  Yasgui.Yasqe.defaults.autocompleters = ["pledgegraph-prefixes", "variables"];

  var first = config.examples.length ? config.examples[0].query :
    config.prologue + "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)";
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: "pledgegraph-sparql",
    yasqe: { value: first }
  });
  window.pledgegraphYasgui = yasgui; // for the browser tests

  document.getElementById("plain-form").hidden = true;
  var cite = document.getElementById("cite-form"); // "Cite this query": a permalink to the current tab's query
  cite.hidden = false;
  cite.addEventListener("submit", function () { cite.elements.query.value = yasgui.getTab().getQuery(); });
  var select = document.getElementById("examples");
  select.hidden = false;
  select.addEventListener("change", function () {
    var example = config.examples[Number(select.value)];
    if (!example) return;
    yasgui.addTab(true, {
      name: example.title,
      yasqe: { value: example.query },
      requestConfig: { endpoint: config.endpoint, method: "POST" }
    });
    select.value = "";
  });
})();
