// The draft modeler: bpmn-js edits a diagram of the draft, dmn-js a decision table; "save and
// check" stores the file on the server, which answers with the engine's problems, marked on
// the diagram elements and listed with what to do. Read-only files (data-readonly) are shown
// in the viewer with nothing to save.
(function () {
  "use strict";
  var box = document.getElementById("modeler");
  if (!box) { return; }
  var fileName = box.getAttribute("data-file");
  var isDmn = /\.dmn$/i.test(fileName);
  var Editor = isDmn ? window.DmnJS : window.BpmnJS;
  if (typeof Editor !== "function") { return; }
  var version = parseInt(box.getAttribute("data-version"), 10);
  var holder = document.createElement("div");
  holder.className = "bpmn-canvas";
  box.appendChild(holder);
  // Keyboard shortcuts work while the canvas has the focus (bpmn-js binds them itself).
  var modeler = new Editor({ container: holder });
  window.koordinatorModeler = modeler;
  var status = document.getElementById("save-status");
  var marked = [];
  var dirty = false;

  function registry() { return isDmn ? null : modeler.get("elementRegistry"); }

  function mark(id) {
    var reg = registry();
    if (id && reg && reg.get(id)) {
      modeler.get("canvas").addMarker(id, "k-problem");
      marked.push(id);
    }
  }

  function focusElement(id) {
    // From the list of problems to the element: selected (the panel shows it) and in view.
    var reg = registry();
    var element = id && reg ? reg.get(id) : null;
    if (!element) { return; }
    try { modeler.get("canvas").scrollToElement(element); } catch (e) { /* older bpmn-js */ }
    modeler.get("selection").select(element);
  }

  function linkProblem(item) {
    var id = item.getAttribute("data-element");
    var reg = registry();
    if (!id || !reg || !reg.get(id) || item.querySelector("button.show")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show small";
    button.textContent = box.getAttribute("data-show-text") || "→";
    button.addEventListener("click", function () { focusElement(id); });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(button);
  }

  function showProblems(problems) {
    var list = document.getElementById("problems");
    var reg = registry();
    marked.forEach(function (id) { if (reg && reg.get(id)) { modeler.get("canvas").removeMarker(id, "k-problem"); } });
    marked = [];
    list.textContent = "";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = p.file + (p.element_id ? ":" + p.element_id : "");
      item.appendChild(code);
      item.appendChild(document.createTextNode(" " + p.message));
      if (p.action) {
        var todo = document.createElement("span");
        todo.className = "todo";
        todo.textContent = p.action;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(todo);
      }
      if (p.element_id) { item.setAttribute("data-element", p.element_id); }
      list.appendChild(item);
      if (p.file === fileName) { mark(p.element_id); linkProblem(item); }
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
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {  // a sign-in page, an error page or "too large": not an answer we can read
        return { ok: false, body: { error: box.getAttribute("data-failed-text") || String(response.status) } };
      }
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) {
        status.textContent = answer.body.error || "!";
        if (answer.body.problems) { showProblems(answer.body.problems); }
        return;
      }
      version = answer.body.version;
      dirty = false;
      status.textContent = box.getAttribute("data-saved-text") || "✓";
      showProblems(answer.body.problems);
      box.setAttribute("data-saved-version", String(version));
      document.querySelectorAll("input[name=draft_version]").forEach(function (i) { i.value = String(version); });
    }).catch(function () { status.textContent = box.getAttribute("data-failed-text") || "!"; });
  }

  function opened() {
    if (isDmn) {
      var views = modeler.getViews();
      var table = views.filter(function (v) { return v.type === "decisionTable"; })[0];
      if (table && modeler.getActiveView() !== table) { return modeler.open(table); }
      return null;
    }
    modeler.get("canvas").zoom("fit-viewport");
    document.querySelectorAll("#problems li").forEach(function (li) {
      var code = li.querySelector("code");
      if (code && code.textContent.indexOf(fileName) === 0) { mark(li.getAttribute("data-element")); linkProblem(li); }
    });
    // What the engine cannot run as it is, marked where it is.
    document.querySelectorAll("#explanation tr.note-unsupported, #explanation tr.note-needs_change")
      .forEach(function (row) { mark(row.getAttribute("data-element")); });
    var aside = document.getElementById("properties");
    if (aside && window.KoordinatorPanel && !box.hasAttribute("data-readonly")) {
      window.KoordinatorPanel.attach(modeler, aside);
    }
    return null;
  }

  function readOnly() {
    // Shown, not edited: every command is refused, so nothing can change by mistake.
    box.classList.add("read-only");
    var viewer = isDmn ? modeler.getActiveViewer() : modeler;
    if (viewer) { viewer.get("eventBus").on("commandStack.canExecute", 5000, function () { return false; }); }
  }

  var source = box.getAttribute("data-source");
  var xmlText = source ? Promise.resolve(document.getElementById(source).value)
    : fetch(box.getAttribute("data-file-url").replace("__name__", encodeURIComponent(fileName)),
            { credentials: "same-origin" }).then(function (r) { return r.text(); });
  xmlText.then(function (xml) { return modeler.importXML(xml); })
    .then(function (result) {
      if (result && result.warnings && result.warnings.length) {
        box.setAttribute("data-warnings", String(result.warnings.length));
      }
    })
    .then(opened)
    .then(function () {
      if (box.hasAttribute("data-readonly")) { readOnly(); }
      var fallback = box.querySelector(".bpmn-fallback");
      if (fallback) { fallback.hidden = true; }
      (isDmn ? modeler.getActiveViewer() : modeler).on("commandStack.changed", function () { dirty = true; });
      box.setAttribute("data-ready", "true");
    })
    .catch(function (error) {
      box.setAttribute("data-error", String(error));
      var note = document.createElement("p");
      note.className = "bpmn-error";
      note.setAttribute("role", "alert");
      note.textContent = box.getAttribute("data-error-text") || String(error);
      box.insertBefore(note, box.firstChild);
    });
  var button = document.getElementById("save-draft");
  if (button) { button.addEventListener("click", save); }
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (dirty && !box.hasAttribute("data-readonly")) {
        // Publishing or uploading would leave the edits behind: save them first.
        event.preventDefault();
        status.textContent = box.getAttribute("data-unsaved-text") || "!";
        return;
      }
      dirty = false;
    });
  });
})();
