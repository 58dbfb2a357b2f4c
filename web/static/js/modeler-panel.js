// The properties panel of the draft modeler: only what our engine reads from a diagram.
// A user task's form, stage, deadline and role (its lane); a timer's value; a flow's condition
// and whether it is the gateway's default; a business rule task's DMN table; a script.
// The engine's fields are spiffworkflow extension elements. They are kept as bpmn-moddle's
// generic elements (no moddle descriptor), so extensions this panel does not know survive a
// save unchanged.
//
// Use: KoordinatorPanel.attach(modeler, asideElement). The aside carries JSON in data
// attributes: data-texts (labels in the page's language), data-forms [[key, title]],
// data-stages [[id, name]], data-roles [[lane name, role name]], data-decisions
// [[id, name, file]], data-dmn-url (a link to edit a DMN file, with __name__ in it).
(function () {
  "use strict";
  var SPIFF_URI = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  var HUMAN = ["bpmn:UserTask", "bpmn:ManualTask"];
  var ISO_LITERAL = /^(R\d*\/)?P[0-9YMWDTHS.,]+$|^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

  function json(aside, name, fallback) {
    try { return JSON.parse(aside.getAttribute(name) || ""); } catch (e) { return fallback; }
  }

  function attr(el, name) {
    if (!el) { return undefined; }
    if (el[name] !== undefined) { return el[name]; }
    return el.$attrs ? el.$attrs[name] : undefined;
  }

  function isSpiff(el, local) {
    // By namespace, not prefix: another tool may have written "spiff:" for the same URI.
    if (!el || !el.$type) { return false; }
    var ns = el.$descriptor && el.$descriptor.ns;
    var name = ns && ns.localName ? ns.localName : el.$type.split(":").pop();
    var uri = ns && ns.uri ? ns.uri : (el.$type.indexOf("spiffworkflow:") === 0 ? SPIFF_URI : "");
    return uri === SPIFF_URI && name.toLowerCase() === local.toLowerCase();
  }

  // Making a flow the default also drops its condition: one command, so one undo.
  function DefaultFlowHandler(modeling) {
    this.preExecute = function (context) {
      var flowBo = context.flow.businessObject;
      if (context.on) {
        modeling.updateProperties(context.flow, { conditionExpression: undefined });
        modeling.updateProperties(context.gateway, { "default": flowBo });
      } else if (context.gateway.businessObject.default === flowBo) {
        modeling.updateProperties(context.gateway, { "default": undefined });
      }
    };
    this.execute = function () { return []; };
    this.revert = function () { return []; };
  }
  DefaultFlowHandler.$inject = ["modeling"];

  function attach(modeler, aside) {
    modeler.get("commandStack").registerHandler("koordinator.defaultFlow", DefaultFlowHandler);
    var texts = json(aside, "data-texts", {});
    var forms = json(aside, "data-forms", []);
    var stages = json(aside, "data-stages", []);
    var roles = json(aside, "data-roles", []);
    var decisions = json(aside, "data-decisions", []);
    var modeling = modeler.get("modeling");
    var moddle = modeler.get("moddle");
    var registry = modeler.get("elementRegistry");
    var body = aside.querySelector(".panel-body");
    var current = null;

    function t(key) { return texts[key] || key; }

    // --- reading and writing the spiffworkflow extensions -----------------------------------

    function extensionValues(bo) {
      return bo.extensionElements && bo.extensionElements.values ? bo.extensionElements.values : [];
    }

    function propertiesOf(bo) {
      var out = {};
      extensionValues(bo).forEach(function (ext) {
        if (!isSpiff(ext, "properties")) { return; }
        (ext.$children || ext.properties || []).forEach(function (p) {
          var name = attr(p, "name");
          if (name) { out[name] = attr(p, "value") || ""; }
        });
      });
      return out;
    }

    function bodyOf(bo, local) {
      var found = extensionValues(bo).filter(function (ext) { return isSpiff(ext, local); })[0];
      return found ? (found.$body || attr(found, "value") || "") : "";
    }

    function anyElement(local, props) {
      return moddle.createAny("spiffworkflow:" + local, SPIFF_URI, props || {});
    }

    function writeExtensions(element, replace) {
      // `replace(values)` returns the new list of extension values; others stay as they were.
      var bo = element.businessObject;
      var values = replace(extensionValues(bo).slice());
      var ext = moddle.create("bpmn:ExtensionElements", { values: values });
      values.forEach(function (v) { v.$parent = ext; });
      ext.$parent = bo;
      modeling.updateProperties(element, { extensionElements: values.length ? ext : undefined });
    }

    function setProperty(element, name, value) {
      var props = propertiesOf(element.businessObject);
      if (value) { props[name] = value; } else { delete props[name]; }
      writeExtensions(element, function (values) {
        var kept = values.filter(function (v) { return !isSpiff(v, "properties"); });
        var names = Object.keys(props);
        if (!names.length) { return kept; }
        var children = names.map(function (n) { return anyElement("property", { name: n, value: props[n] }); });
        var holder = anyElement("properties");
        holder.$children = children;
        children.forEach(function (c) { c.$parent = holder; });
        return kept.concat([holder]);
      });
    }

    function setBody(element, local, value) {
      writeExtensions(element, function (values) {
        var kept = values.filter(function (v) { return !isSpiff(v, local); });
        if (!value) { return kept; }
        var el = anyElement(local);
        el.$body = value;
        return kept.concat([el]);
      });
    }

    // --- lanes -----------------------------------------------------------------------------

    function laneOf(element) {
      var bo = element.businessObject;
      var lanes = registry.filter(function (e) { return e.type === "bpmn:Lane"; });
      var inside = lanes.filter(function (lane) {
        return (lane.businessObject.flowNodeRef || []).indexOf(bo) !== -1;
      });
      return inside.length ? inside[inside.length - 1] : null;
    }

    function moveToLane(element, laneName) {
      var lane = registry.filter(function (e) {
        return e.type === "bpmn:Lane" && (e.businessObject.name || "") === laneName &&
          !registry.filter(function (c) { return c.type === "bpmn:Lane" && c.parent === e; }).length;
      })[0];
      if (!lane) { return; }
      var dy = lane.y + lane.height / 2 - (element.y + element.height / 2);
      modeling.moveShape(element, { x: 0, y: dy });
    }

    // --- the form fields -----------------------------------------------------------------------

    function field(label, control, hint) {
      var wrap = document.createElement("div");
      wrap.className = "field";
      var id = "panel-" + label.replace(/\W+/g, "-").toLowerCase();
      var l = document.createElement("label");
      l.textContent = label;
      l.setAttribute("for", id);
      control.id = id;
      wrap.appendChild(l);
      if (hint) {
        var h = document.createElement("p");
        h.className = "hint";
        h.textContent = hint;
        h.id = id + "-hint";
        control.setAttribute("aria-describedby", h.id);
        wrap.appendChild(h);
      }
      wrap.appendChild(control);
      body.appendChild(wrap);
      return control;
    }

    function input(value, name) {
      var el = document.createElement("input");
      el.type = "text";
      el.value = value || "";
      el.name = name;
      return el;
    }

    function textarea(value, name, rows) {
      var el = document.createElement("textarea");
      el.value = value || "";
      el.rows = rows || 3;
      el.name = name;
      el.spellcheck = false;
      return el;
    }

    function select(options, value, name, empty) {
      var el = document.createElement("select");
      el.name = name;
      // empty === null: no empty choice (a task in a lane can move to another, not to none)
      var all = (empty === null ? [] : [["", empty || "—"]]).concat(options);
      var known = false;
      all.forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0];
        opt.textContent = o[0] && o[1] && o[1] !== o[0] ? o[1] + " (" + o[0] + ")" : (o[1] || o[0]);
        if (o[0] === (value || "")) { opt.selected = true; known = true; }
        el.appendChild(opt);
      });
      if (!known && value) {
        var odd = document.createElement("option");
        odd.value = value;
        odd.textContent = value + " — " + t("unknown");
        odd.selected = true;
        el.appendChild(odd);
      }
      return el;
    }

    function onChange(control, apply) {
      control.addEventListener("change", function () { apply(control.value.trim()); });
    }

    // --- one panel per kind of element ---------------------------------------------------------

    function showHuman(element) {
      var props = propertiesOf(element.businessObject);
      onChange(field(t("form"), select(forms, props.formKey, "formKey"), t("form_hint")),
               function (v) { setProperty(element, "formKey", v); });
      onChange(field(t("stage"), select(stages, props.stage, "stage"), t("stage_hint")),
               function (v) { setProperty(element, "stage", v); });
      onChange(field(t("due"), input(props.dueIn, "dueIn"), t("due_hint")),
               function (v) { setProperty(element, "dueIn", v.toUpperCase()); });
      var lane = laneOf(element);
      var laneName = lane ? (lane.businessObject.name || "") : "";
      if (registry.filter(function (e) { return e.type === "bpmn:Lane"; }).length) {
        onChange(field(t("role"), select(roles, laneName, "role", laneName ? null : t("no_lane")), t("role_hint")),
                 function (v) { if (v) { moveToLane(element, v); } });
      }
    }

    function timerValue(def) {
      var kinds = ["timeDuration", "timeDate", "timeCycle"];
      for (var i = 0; i < kinds.length; i++) {
        if (def[kinds[i]]) { return [kinds[i], def[kinds[i]].body || ""]; }
      }
      return ["timeDuration", ""];
    }

    function showTimer(element, def) {
      var now = timerValue(def);
      var shown = /^"[^"]*"$/.test(now[1]) ? now[1].slice(1, -1) : now[1];
      var kind = field(t("timer_kind"), select([["timeDuration", t("timeDuration")], ["timeDate", t("timeDate")],
                                                ["timeCycle", t("timeCycle")]], now[0], "timerKind"));
      var value = field(t("timer_value"), input(shown, "timerValue"), t("timer_hint"));
      function apply() {
        var text = value.value.trim();
        // An ISO 8601 literal is a Python string in the diagram; anything else is an expression.
        var expr = ISO_LITERAL.test(text) ? '"' + text + '"' : text;
        var props = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
        if (text) { props[kind.value || "timeDuration"] = moddle.create("bpmn:FormalExpression", { body: expr }); }
        modeling.updateModdleProperties(element, def, props);
      }
      kind.addEventListener("change", apply);
      value.addEventListener("change", apply);
    }

    function showFlow(element) {
      var bo = element.businessObject;
      var source = bo.sourceRef;
      var gateway = source && /Gateway$/.test(source.$type) && source.$type !== "bpmn:ParallelGateway";
      if (!gateway) { return false; }
      var cond = bo.conditionExpression ? bo.conditionExpression.body || "" : "";
      var isDefault = source.default === bo;
      var area = field(t("condition"), textarea(cond, "condition", 2), t("condition_hint"));
      area.disabled = isDefault;
      onChange(area, function (v) {
        modeling.updateProperties(element, {
          conditionExpression: v ? moddle.create("bpmn:FormalExpression", { body: v }) : undefined
        });
      });
      var wrap = document.createElement("div");
      wrap.className = "field checkbox";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = "panel-default";
      box.name = "default";
      box.checked = isDefault;
      var label = document.createElement("label");
      label.setAttribute("for", box.id);
      label.textContent = t("default_flow");
      wrap.appendChild(box);
      wrap.appendChild(label);
      body.appendChild(wrap);
      box.addEventListener("change", function () {
        modeler.get("commandStack").execute("koordinator.defaultFlow", {
          flow: element, gateway: registry.get(source.id), on: box.checked
        });
        area.disabled = box.checked;
        if (box.checked) { area.value = ""; }
      });
      return true;
    }

    function showDecision(element) {
      var called = bodyOf(element.businessObject, "calledDecisionId");
      var options = decisions.map(function (d) { return [d[0], d[1]]; });
      onChange(field(t("decision"), select(options, called, "calledDecisionId"), t("decision_hint")),
               function (v) { setBody(element, "calledDecisionId", v); show(element); });
      var match = decisions.filter(function (d) { return d[0] === called; })[0];
      if (match) {
        var link = document.createElement("a");
        link.href = aside.getAttribute("data-dmn-url").replace("__name__", encodeURIComponent(match[2]));
        link.textContent = t("edit_table") + " " + match[2];
        link.className = "edit-table";
        body.appendChild(link);
      }
    }

    function showScript(element) {
      var bo = element.businessObject;
      onChange(field(t("script"), textarea(bo.script || "", "script", 6), t("script_hint")),
               function (v) { modeling.updateProperties(element, { scriptFormat: "python", script: v }); });
    }

    function show(element) {
      current = element;
      body.textContent = "";
      var heading = aside.querySelector(".panel-element");
      if (!element || element.type === "bpmn:Process" || element.type === "bpmn:Collaboration" || element.type === "label") {
        heading.textContent = t("nothing");
        return;
      }
      var bo = element.businessObject;
      heading.textContent = (bo.name || bo.id) + " · " + element.type.replace("bpmn:", "");
      aside.setAttribute("data-element", bo.id);
      var name = field(t("name"), input(bo.name, "name"));
      onChange(name, function (v) { modeling.updateProperties(element, { name: v || undefined }); });
      if (HUMAN.indexOf(element.type) !== -1) { showHuman(element); }
      if (element.type === "bpmn:BusinessRuleTask") { showDecision(element); }
      if (element.type === "bpmn:ScriptTask") { showScript(element); }
      if (element.type === "bpmn:SequenceFlow") { showFlow(element); }
      (bo.eventDefinitions || []).forEach(function (def) {
        if (def.$type === "bpmn:TimerEventDefinition") { showTimer(element, def); }
      });
      var idNote = document.createElement("p");
      idNote.className = "meta";
      idNote.textContent = "id: " + bo.id;
      body.appendChild(idNote);
    }

    modeler.on("selection.changed", function (event) {
      var chosen = event.newSelection.length === 1 ? event.newSelection[0] : null;
      show(chosen);
    });
    modeler.on("element.changed", function (event) {
      // Keep the panel in step with undo/redo; not while typing in it.
      if (current && event.element === current && !aside.contains(document.activeElement)) { show(current); }
    });
    show(null);
    return { show: show };
  }

  window.KoordinatorPanel = { attach: attach };
})();
