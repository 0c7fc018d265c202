// bridgematch pages: every form works without this file; it only adds comfort.
(function () {
  "use strict";

  // Skill names while typing: the server suggests scorer names first, then ESCO's.
  var timer = null;
  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var q = input.value.trim();
    if (!list || q.length < 2) return;
    fetch("/ui/skills?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (names) {
        list.textContent = "";
        names.forEach(function (name) {
          var o = document.createElement("option");
          o.value = name;
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t && t.hasAttribute && t.hasAttribute("data-suggest")) {
      clearTimeout(timer);
      timer = setTimeout(function () { suggest(t); }, 200);
    }
  });

  // "Add another" buttons copy the last row of a list with its fields emptied.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var rows = document.getElementById(button.getAttribute("data-add-row"));
      var last = rows && rows.lastElementChild;
      if (!last) return;
      var copy = last.cloneNode(true);
      var n = rows.children.length + 1;
      copy.querySelectorAll("input, select").forEach(function (field) {
        if (field.tagName === "SELECT") field.selectedIndex = 0; else field.value = "";
        if (field.id) { field.id = field.id.replace(/-\d+$/, "-" + n); }
      });
      copy.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/-\d+$/, "-" + n);
      });
      rows.appendChild(copy);
      var first = copy.querySelector("input, select");
      if (first) first.focus();
    });
  });

  // Imports: upload with a progress bar, then follow the server's encoding progress.
  document.querySelectorAll("form[data-import]").forEach(function (form) {
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-status]");
    function say(text, bad) {
      status.textContent = text;
      status.className = bad ? "error" : "muted";
    }
    function poll(url) {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          if (job.state === "failed") { bar.hidden = true; say(job.message, true); return; }
          if (job.total) { bar.max = job.total; bar.value = job.done; }
          say(job.message);
          if (job.state === "done") { window.location.assign(job.next); return; }
          setTimeout(function () { poll(url); }, 400);
        })
        .catch(function () { say("Lost contact with the server; reload the page to see what was imported.", true); });
    }
    form.addEventListener("submit", function (e) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false;
      bar.removeAttribute("value");
      say("Uploading…");
      xhr.upload.onprogress = function (ev) {
        if (ev.lengthComputable) { bar.max = ev.total; bar.value = ev.loaded; say("Uploading… " + Math.round(100 * ev.loaded / ev.total) + " %"); }
      };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = { message: "The server answered " + xhr.status + "." }; }
        if (xhr.status === 202) { bar.removeAttribute("value"); say(body.message); poll(body.status_url); }
        else { bar.hidden = true; say(body.message || body.detail || ("The server answered " + xhr.status + "."), true); }
      };
      xhr.onerror = function () { bar.hidden = true; say("The upload failed; check the connection and try again.", true); };
      xhr.send(new FormData(form));
    });
  });
})();
