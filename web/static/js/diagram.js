/*
 * Koordinator: shows a BPMN diagram with the state of a case marked on it.
 *
 * Load with `defer` after vendor/bpmn-js/bpmn-navigated-viewer.production.min.js (global BpmnJS).
 * Markup (the div's children are the no-JS fallback, kept until the diagram has been imported):
 *
 *   <div class="bpmn-diagram" data-diagram-url="/.../diagram.bpmn" data-marks-url="/.../marks.json">
 *     <div class="bpmn-fallback">... a text list of the steps ...</div>
 *   </div>
 *
 * The marks JSON: {"completed": [ids], "active": [ids], "waiting": [ids],
 *                  "problems": [{"element_id": id, "message": text}]}; every key may be missing.
 * Instead of the URLs: data-diagram-source names a <textarea> holding the XML (a file not
 * stored yet), and data-marks holds the marks JSON itself (a version comparison); the keys
 * "added", "removed" and "changed" are marked too.
 * Optional: data-error-text, the visible message on failure (default in bokmål).
 * When done, the div has data-ready="true"; after a failure, also data-error="short reason".
 * Diagrams in content that htmx swaps in are set up on htmx:load.
 */
(function () {
  'use strict';

  var MARKERS = { completed: 'k-completed', active: 'k-active', waiting: 'k-waiting',
                  added: 'k-added', removed: 'k-removed', changed: 'k-changed' };
  var DEFAULT_ERROR_TEXT = 'Diagrammet kunne ikke vises.';

  function fetchOk(url, accept) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: accept }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response;
    });
  }

  function reason(error) {
    var text = error && error.message ? String(error.message) : String(error);
    return text.split('\n')[0].slice(0, 200);
  }

  function showError(div, what, error) {
    div.setAttribute('data-error', what + ': ' + reason(error));
    if (!div.querySelector('.bpmn-error')) {
      var note = document.createElement('p');
      note.className = 'bpmn-error';
      note.setAttribute('role', 'alert');
      note.textContent = div.getAttribute('data-error-text') || DEFAULT_ERROR_TEXT;
      div.insertBefore(note, div.firstChild);
    }
    var fallback = div.querySelector('.bpmn-fallback');
    if (fallback) {
      fallback.hidden = false;
    }
  }

  function asList(value) {
    return Array.isArray(value) ? value : [];
  }

  function applyMarks(viewer, marks) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var overlays = null;
    try {
      overlays = viewer.get('overlays');
    } catch (e) {
      overlays = null;
    }
    var known = function (id) {
      return typeof id === 'string' && registry.get(id) !== undefined;
    };
    Object.keys(MARKERS).forEach(function (key) {
      asList(marks[key]).forEach(function (id) {
        if (known(id)) {
          canvas.addMarker(id, MARKERS[key]);
        }
      });
    });
    asList(marks.problems).forEach(function (problem) {
      var id = problem && problem.element_id;
      if (!known(id)) {
        return;
      }
      canvas.addMarker(id, 'k-problem');
      var message = problem.message ? String(problem.message) : '';
      if (!message) {
        return;
      }
      var gfx = registry.getGraphics(id);
      if (gfx && !gfx.querySelector('title')) {
        var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
        title.textContent = message;
        gfx.insertBefore(title, gfx.firstChild);
      }
      if (overlays) {
        var note = document.createElement('div');
        note.className = 'k-problem-note';
        note.setAttribute('role', 'note');
        note.textContent = message;
        overlays.add(id, 'k-problem', { position: { bottom: -4, left: 0 }, html: note });
      }
    });
  }

  function show(div) {
    var diagramUrl = div.getAttribute('data-diagram-url');
    var marksUrl = div.getAttribute('data-marks-url');
    var source = div.getAttribute('data-diagram-source');
    var inlineMarks = div.getAttribute('data-marks');
    var viewer = null;

    function done() {
      div.setAttribute('data-ready', 'true');
      div.removeAttribute('aria-busy');
    }

    div.setAttribute('aria-busy', 'true');
    if (typeof window.BpmnJS !== 'function') {
      showError(div, 'viewer', new Error('bpmn-js is not loaded'));
      done();
      return Promise.resolve();
    }
    var sourceBox = source ? document.getElementById(source) : null;
    if (!diagramUrl && !sourceBox) {
      showError(div, 'diagram', new Error('no data-diagram-url'));
      done();
      return Promise.resolve();
    }

    var xmlText = sourceBox ? Promise.resolve(sourceBox.value)
      : fetchOk(diagramUrl, 'application/xml, text/xml, */*').then(function (response) {
        return response.text();
      });
    return xmlText
      .then(function (xml) {
        var holder = document.createElement('div');
        holder.className = 'bpmn-canvas';
        div.appendChild(holder);
        viewer = new window.BpmnJS({ container: holder });
        return viewer.importXML(xml).catch(function (error) {
          viewer.destroy();
          viewer = null;
          holder.parentNode.removeChild(holder);
          throw error;
        });
      })
      .then(function () {
        var fallback = div.querySelector('.bpmn-fallback');
        if (fallback) {
          fallback.hidden = true;
        }
        try {
          viewer.get('canvas').zoom('fit-viewport', 'auto');
        } catch (e) {
          // a container without a size (hidden when loaded) keeps the default zoom
        }
        div.__koordinatorViewer = viewer;
        if (inlineMarks) {
          try {
            var parsed = JSON.parse(inlineMarks);
            applyMarks(viewer, parsed && typeof parsed === 'object' ? parsed : {});
          } catch (error) {
            div.setAttribute('data-error', 'marks: ' + reason(error));
          }
          return null;
        }
        if (!marksUrl) {
          return null;
        }
        return fetchOk(marksUrl, 'application/json')
          .then(function (response) {
            return response.json();
          })
          .then(function (marks) {
            applyMarks(viewer, marks && typeof marks === 'object' ? marks : {});
          })
          .catch(function (error) {
            // the diagram is shown; only the case's state is missing
            div.setAttribute('data-error', 'marks: ' + reason(error));
          });
      }, function (error) {
        showError(div, 'diagram', error);
      })
      .catch(function (error) {
        showError(div, 'diagram', error);
      })
      .then(done);
  }

  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var divs = Array.prototype.slice.call(scope.querySelectorAll('.bpmn-diagram'));
    if (scope.classList && scope.classList.contains('bpmn-diagram')) {
      divs.unshift(scope);
    }
    return Promise.all(divs.map(function (div) {
      if (div.getAttribute('data-k-started')) {
        return null;
      }
      div.setAttribute('data-k-started', 'true');
      return show(div);
    }));
  }

  window.KoordinatorDiagram = { init: init };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      init(document);
    });
  } else {
    init(document);
  }
  document.addEventListener('htmx:load', function (event) {
    init(event.target);
  });
})();
