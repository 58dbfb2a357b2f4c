// The draft modeler: bpmn-js edits the draft's diagram; "save and check" stores it on the
// server, which answers with the engine's problems, marked on the diagram elements.
(function () {
  "use strict";
  var box = document.getElementById("modeler");
  if (!box || typeof window.BpmnJS !== "function") { return; }
  var fileName = box.getAttribute("data-file");
  var version = parseInt(box.getAttribute("data-version"), 10);
  var modeler = new window.BpmnJS({ container: box });
  window.koordinatorModeler = modeler;
  var status = document.getElementById("save-status");
  var marked = [];

  function showProblems(problems) {
    var list = document.getElementById("problems");
    var canvas = modeler.get("canvas");
    var registry = modeler.get("elementRegistry");
    marked.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, "k-problem"); } });
    marked = [];
    list.textContent = "";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = p.file + (p.element_id ? ":" + p.element_id : "");
      item.appendChild(code);
      item.appendChild(document.createTextNode(" " + p.message));
      if (p.element_id) { item.setAttribute("data-element", p.element_id); }
      list.appendChild(item);
      if (p.element_id && registry.get(p.element_id)) {
        canvas.addMarker(p.element_id, "k-problem");
        marked.push(p.element_id);
      }
    });
    document.getElementById("no-problems").hidden = problems.length > 0;
  }

  function save() {
    status.textContent = "…";
    modeler.saveXML({ format: true }).then(function (result) {
      var files = {};
      files[fileName] = result.xml;
      return fetch(box.getAttribute("data-save-url"), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf") },
        body: JSON.stringify({ files: files, version: version })
      });
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { status.textContent = answer.body.error || "!"; if (answer.body.problems) { showProblems(answer.body.problems); } return; }
      version = answer.body.version;
      status.textContent = box.getAttribute("data-saved-text") || "✓";
      showProblems(answer.body.problems);
      box.setAttribute("data-saved-version", String(version));
    }).catch(function (error) { status.textContent = String(error); });
  }

  var url = box.getAttribute("data-file-url").replace("__name__", encodeURIComponent(fileName));
  fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); })
    .then(function (xml) { return modeler.importXML(xml); })
    .then(function () {
      modeler.get("canvas").zoom("fit-viewport");
      var fallback = box.querySelector(".bpmn-fallback");
      if (fallback) { fallback.hidden = true; }
      var problems = [];
      document.querySelectorAll("#problems li").forEach(function (li) {
        var id = li.getAttribute("data-element");
        if (id && modeler.get("elementRegistry").get(id)) { modeler.get("canvas").addMarker(id, "k-problem"); marked.push(id); }
      });
      box.setAttribute("data-ready", "true");
    })
    .catch(function (error) { box.setAttribute("data-error", String(error)); });
  document.getElementById("save-draft").addEventListener("click", save);
})();
