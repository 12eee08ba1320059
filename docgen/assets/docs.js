// The interactive part of the schemarpc API reference: the method filter
// and the try-it panels (HTTP and WebSocket). Plain JavaScript, no
// dependencies; it only ever talks to the endpoint shown on the page.
(function () {
  "use strict";
  var config = {};
  try { config = JSON.parse(document.getElementById("schemarpc-config").textContent) || {}; } catch (e) { config = {}; }
  var HEADERS_KEY = "schemarpc-docs:headers";
  var endpointInput = document.getElementById("rpc-endpoint");
  var headersInput = document.getElementById("rpc-headers");

  // ---- search -----------------------------------------------------------
  var search = document.querySelector("input[type=search]");
  var entries = [];
  document.querySelectorAll("nav.toc li[data-method]").forEach(function (li) {
    var section = document.getElementById(li.getAttribute("data-target"));
    entries.push({ li: li, section: section, text: li.getAttribute("data-search") || "", shown: true });
  });
  var countEl = document.getElementById("method-count");
  function filter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0;
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], show = true;
      for (var j = 0; j < words.length && show; j++) show = e.text.indexOf(words[j]) >= 0;
      if (show !== e.shown) {
        e.shown = show;
        e.li.hidden = !show;
        if (e.section) e.section.hidden = !show;
      }
      if (show) n++;
    }
    if (countEl) countEl.textContent = words.length ? n + " of " + entries.length + " methods" : entries.length + " methods";
  }
  if (search) {
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { search.value = ""; filter(); }
    });
    document.addEventListener("keydown", function (ev) {
      var t = ev.target, tag = t && t.tagName;
      if (ev.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT" && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        search.focus();
      }
    });
    filter();
  }

  // ---- endpoint and headers ---------------------------------------------
  if (endpointInput && !endpointInput.value && config.endpoint) endpointInput.value = config.endpoint;
  if (headersInput) {
    try { var saved = localStorage.getItem(HEADERS_KEY); if (saved !== null) headersInput.value = saved; } catch (e) { /* storage disabled */ }
    headersInput.addEventListener("input", function () {
      try { localStorage.setItem(HEADERS_KEY, headersInput.value); } catch (e) { /* storage disabled */ }
    });
  }
  function parseHeaders() {
    var out = {};
    if (!headersInput) return out;
    headersInput.value.split("\n").forEach(function (line) {
      var i = line.indexOf(":");
      if (i > 0) {
        var name = line.slice(0, i).trim(), value = line.slice(i + 1).trim();
        if (name) out[name] = value;
      }
    });
    return out;
  }
  // endpointURL returns the endpoint for transport ("http" or "ws"),
  // resolved against the page, or throws with a message for people.
  function endpointURL(transport) {
    var raw = (endpointInput ? endpointInput.value : config.endpoint || "").trim();
    if (!raw) throw new Error("no endpoint: enter the server's URL in \"Endpoint\" at the top of the page");
    var u;
    try { u = new URL(raw, location.href); } catch (e) { throw new Error("endpoint " + JSON.stringify(raw) + " is not a URL"); }
    var secure = u.protocol === "https:" || u.protocol === "wss:";
    if (["http:", "https:", "ws:", "wss:"].indexOf(u.protocol) < 0) throw new Error("endpoint " + JSON.stringify(u.href) + ": want an http, https, ws or wss URL");
    u.protocol = transport === "ws" ? (secure ? "wss:" : "ws:") : (secure ? "https:" : "http:");
    u.hash = "";
    return u.href;
  }

  // ---- WebSocket --------------------------------------------------------
  var sock = null, sockURL = "", opening = null, pending = {}, streamOwner = null, nextID = 1;
  function openSocket(url) {
    if (sock && sockURL === url && sock.readyState === WebSocket.OPEN) return Promise.resolve(sock);
    if (opening && sockURL === url) return opening;
    if (sock) sock.close(1000);
    sockURL = url;
    opening = new Promise(function (resolve, reject) {
      var ws = new WebSocket(url), opened = false;
      ws.onopen = function () { opened = true; sock = ws; opening = null; resolve(ws); };
      ws.onmessage = function (ev) { onFrame(ws, ev.data); };
      ws.onerror = function () { /* onclose follows with the code */ };
      ws.onclose = function (ev) {
        if (sock === ws) sock = null;
        opening = null;
        var why = "WebSocket closed (code " + ev.code + (ev.reason ? ", " + ev.reason : "") + ")";
        if (!opened) { reject(new Error("cannot open " + url + ": " + why + "; is the server up, and does it allow this page's origin?")); return; }
        Object.keys(pending).forEach(function (id) { pending[id].reject(new Error(why)); delete pending[id]; });
        if (streamOwner) streamOwner.note(why);
      };
    });
    return opening;
  }
  function onFrame(ws, text) {
    var msg;
    try { msg = JSON.parse(text); } catch (e) { if (streamOwner) streamOwner.note("unreadable frame: " + text); return; }
    (Array.isArray(msg) ? msg : [msg]).forEach(function (m) {
      if (m && typeof m === "object" && !("method" in m) && ("result" in m || "error" in m)) {
        var p = pending[String(m.id)];
        if (p) { delete pending[String(m.id)]; p.resolve(JSON.stringify(m)); }
        return;
      }
      if (streamOwner) streamOwner.push(m);
      if (m && typeof m === "object" && "method" in m && "id" in m) {
        // A call from the server: this page offers no methods.
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found", data: "the docs page serves no methods" } }));
      }
    });
  }

  // ---- try-it panels ----------------------------------------------------
  function pointerTokens(p) {
    if (!p) return [];
    return p.split("/").slice(1).map(function (t) { return t.replace(/~1/g, "/").replace(/~0/g, "~"); });
  }
  function Panel(form) {
    this.form = form;
    this.section = form.closest("[data-method]");
    this.method = this.section.getAttribute("data-method");
    this.params = form.querySelector("textarea[name=params]");
    this.transport = form.querySelector("select[name=transport]");
    this.button = form.querySelector("[data-send]");
    this.result = form.querySelector("[data-result]");
    this.status = form.querySelector("[data-status]");
    this.violations = form.querySelector("[data-violations]");
    this.streamPane = form.querySelector("[data-stream-pane]");
    this.stream = form.querySelector("[data-stream]");
    this.rows = Array.prototype.slice.call(this.section.querySelectorAll("tr[data-param]"));
    var self = this;
    form.hidden = false;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); self.send(); });
    this.params.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); self.send(); }
    });
    this.transport.addEventListener("change", function () { self.streamPane.hidden = self.transport.value !== "ws" && !self.stream.children.length; });
  }
  Panel.prototype.setStatus = function (text, cls) {
    this.status.textContent = text;
    this.status.className = "status" + (cls ? " " + cls : "");
  };
  Panel.prototype.clearViolations = function () {
    this.violations.textContent = "";
    this.violations.hidden = true;
    this.section.querySelectorAll("[data-violation]").forEach(function (el) { el.remove(); });
    this.rows.forEach(function (r) { r.classList.remove("invalid"); });
  };
  Panel.prototype.note = function (text) { this.addStream(text); };
  Panel.prototype.push = function (m) { this.addStream(JSON.stringify(m)); };
  Panel.prototype.addStream = function (text) {
    var li = document.createElement("li"), code = document.createElement("code");
    code.textContent = text;
    li.appendChild(code);
    this.stream.appendChild(li);
    this.streamPane.hidden = false;
    this.stream.scrollTop = this.stream.scrollHeight;
  };
  // showViolations lists the violations of a -32602 answer and marks each
  // param they point at in the params table.
  Panel.prototype.showViolations = function (list, sentArray) {
    var self = this;
    list.forEach(function (v) {
      if (!v || typeof v !== "object") return;
      var toks = pointerTokens(String(v.pointer || "")), row = null;
      if (toks.length) {
        if (sentArray && /^\d+$/.test(toks[0])) {
          var i = Number(toks[0]);
          row = self.rows[Math.min(i, self.rows.length - 1)] || null;
        } else {
          row = self.rows.filter(function (r) { return r.getAttribute("data-param") === toks[0]; })[0] || null;
        }
      }
      var where = v.pointer ? v.pointer : "(params)";
      var text = where + ": " + (v.keyword ? v.keyword + ": " : "") + (v.message || "");
      var li = document.createElement("li");
      li.textContent = (row ? row.getAttribute("data-param") + " — " : "") + text;
      self.violations.appendChild(li);
      if (row) {
        row.classList.add("invalid");
        var d = document.createElement("div");
        d.className = "violation";
        d.setAttribute("data-violation", "");
        d.setAttribute("role", "alert");
        d.textContent = text;
        row.cells[0].appendChild(d);
      }
    });
    this.violations.hidden = !this.violations.children.length;
  };
  Panel.prototype.send = function () {
    var self = this, transport = this.transport.value, raw = this.params.value.trim(), params, url;
    this.clearViolations();
    if (raw) {
      try { params = JSON.parse(raw); } catch (e) {
        this.result.textContent = "";
        this.setStatus("params are not valid JSON: " + e.message, "err");
        return;
      }
    }
    try { url = endpointURL(transport); } catch (e) { this.setStatus(e.message, "err"); return; }
    var req = { jsonrpc: "2.0", id: nextID++, method: this.method };
    if (raw) req.params = params;
    var body = JSON.stringify(req), t0 = performance.now();
    this.button.disabled = true;
    this.setStatus("sending over " + (transport === "ws" ? "WebSocket" : "HTTP") + "…");
    var done;
    if (transport === "ws") {
      this.stream.textContent = "";
      streamOwner = this;
      done = openSocket(url).then(function (ws) {
        t0 = performance.now();
        return new Promise(function (resolve, reject) {
          pending[String(req.id)] = { resolve: resolve, reject: reject };
          ws.send(body);
        });
      }).then(function (text) { return { text: text, label: "WebSocket" }; });
    } else {
      var headers = parseHeaders();
      headers["Content-Type"] = "application/json";
      done = fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin", cache: "no-store" })
        .then(function (resp) {
          return resp.text().then(function (text) { return { text: text, label: "HTTP " + resp.status }; });
        }, function (e) {
          throw new Error("the request did not reach " + url + " (" + e.message + "): is the server up, and does it allow this page's origin (CORS)?");
        });
    }
    done.then(function (r) {
      var ms = (performance.now() - t0).toFixed(1), obj = null;
      try { obj = JSON.parse(r.text); } catch (e) { obj = null; }
      self.result.textContent = obj === null ? (r.text || "(empty answer)") : JSON.stringify(obj, null, 2);
      var isErr = obj && obj.error;
      self.setStatus(r.label + " · " + ms + " ms" + (isErr ? " · error " + obj.error.code : ""), isErr ? "err" : "ok");
      if (isErr && obj.error.code === -32602 && Array.isArray(obj.error.data)) self.showViolations(obj.error.data, Array.isArray(params));
    }, function (e) {
      self.result.textContent = "";
      self.setStatus(e.message, "err");
    }).then(function () { self.button.disabled = false; });
  };
  document.querySelectorAll("form[data-try]").forEach(function (f) { new Panel(f); });
  var consoleBox = document.getElementById("console");
  if (consoleBox) consoleBox.hidden = false;
})();
