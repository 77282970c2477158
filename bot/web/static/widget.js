/* Returnee assistant web chat widget. One tag embeds it:
 *   <script src="https://ASSISTANT/widget/widget.js" data-server="https://RASA" data-language="fr"
 *           data-color="#143d59" data-partner="Caritas" defer></script>
 * No CDN and no tracker: socket.io-client comes from the same folder. Texts from the conversation are
 * always inserted as text (textContent), never as HTML. The session id and the visible history stay
 * in this browser's localStorage so a reload continues the conversation; "Delete my conversation"
 * erases it on the server (bot/channels/privacy.py) and here, then starts a new session.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__returneeWidget) return;
  window.__returneeWidget = true;
  var base = script.src.replace(/[^/]*$/, "");
  var server = script.dataset.server || location.origin;
  var color = script.dataset.color || "#143d59";
  var partner = script.dataset.partner || "";
  var storeKey = "returnee-widget:" + server;
  var RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/g;
  var LTR_LETTERS = /[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u10a0-\u10ff\u1200-\u139f]/g;
  var MAX_HISTORY = 200;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  // 96 random bits: the conversation's id, and the proof that lets this browser erase it.
  function newSessionId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  var state = load();
  if (!state.sessionId) state.sessionId = newSessionId();
  state.history = state.history || [];
  state.language = state.language || script.dataset.language ||
    (navigator.language || "en").split("-")[0];
  function save() {
    state.history = state.history.slice(-MAX_HISTORY);
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  var i18n = {};
  function t(key) {
    var lang = i18n[state.language] || i18n.en || {ui: {}};
    return (lang.ui && lang.ui[key]) || (i18n.en && i18n.en.ui[key]) || key;
  }
  function directionOf(text) {
    var rtl = (text.match(RTL_LETTERS) || []).length;
    var ltr = (text.match(LTR_LETTERS) || []).length;
    return rtl > ltr ? "rtl" : "ltr";
  }

  // ---- the interface, in a shadow root so the partner site's styles and ours never mix
  var host = document.createElement("div");
  host.className = "returnee-widget";
  document.body.appendChild(host);
  var root = host.attachShadow({mode: "open"});
  var style = document.createElement("style");
  style.textContent = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans Ethiopic','Noto Naskh Arabic',sans-serif}",
    ".launcher{position:fixed;bottom:16px;right:16px;z-index:2147483000;background:var(--c);color:#fff;border:0;border-radius:24px;padding:12px 18px;font-size:16px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);max-width:calc(100vw - 32px)}",
    ".launcher:focus-visible,button:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f5b700;outline-offset:2px}",
    ".panel{position:fixed;bottom:16px;right:8px;z-index:2147483001;width:min(380px,calc(100vw - 16px));height:min(600px,calc(100vh - 32px));background:#fff;color:#1c1c1c;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.35);display:flex;flex-direction:column;overflow:hidden}",
    ".panel[hidden]{display:none}",
    "header{background:var(--c);color:#fff;padding:10px 12px;display:flex;gap:8px;align-items:center}",
    "header h2{font-size:16px;margin:0;flex:1}",
    "header select{max-width:120px;font-size:14px}",
    "header button{background:transparent;color:#fff;border:0;font-size:22px;cursor:pointer;line-height:1}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9}",
    ".msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;line-height:1.4;font-size:15px;unicode-bidi:plaintext}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #d5d9de}",
    ".user{align-self:flex-end;background:var(--c);color:#fff}",
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}",
    ".buttons button{border:1px solid var(--c);color:var(--c);background:#fff;border-radius:16px;padding:6px 12px;font-size:14px;cursor:pointer}",
    ".typing{font-size:13px;color:#555;padding:0 12px 6px;background:#f6f7f9}",
    ".typing[hidden]{display:none}",
    ".offline{font-size:13px;background:#fde2e1;color:#7a1410;padding:4px 12px}",
    ".offline[hidden]{display:none}",
    "form{display:flex;gap:8px;padding:8px;border-top:1px solid #d5d9de;background:#fff}",
    "textarea{flex:1;resize:none;font-size:16px;padding:8px;border:1px solid #8a939c;border-radius:8px;min-height:42px;max-height:120px}",
    "form button{background:var(--c);color:#fff;border:0;border-radius:8px;padding:0 14px;font-size:15px;cursor:pointer}",
    ".foot{display:flex;justify-content:space-between;gap:8px;padding:0 10px 6px;background:#fff}",
    ".privacy,.forget{font-size:12px;color:#333;text-decoration:underline;background:none;border:0;padding:0;cursor:pointer}",
    ".confirm{padding:8px 12px;background:#fff4e5;border-top:1px solid #d5d9de;font-size:14px}",
    ".confirm[hidden]{display:none}",
    ".confirm p{margin:0}",
    ".confirm button{margin:6px 0 0;margin-inline-end:6px;border:1px solid var(--c);border-radius:16px;padding:6px 12px;font-size:14px;cursor:pointer;background:#fff;color:var(--c)}",
    ".confirm .yes{background:#a50e0e;border-color:#a50e0e;color:#fff}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("\n");
  root.appendChild(style);
  host.style.setProperty("--c", color);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var launcher = el("button", {"class": "launcher", type: "button", "aria-expanded": "false", "aria-controls": "returnee-panel"});
  var panel = el("section", {"class": "panel", id: "returnee-panel", role: "dialog", "aria-modal": "false"});
  panel.hidden = true;
  var header = el("header");
  var title = el("h2", {id: "returnee-title"});
  panel.setAttribute("aria-labelledby", "returnee-title");
  var languageLabel = el("label", {"class": "sr", "for": "returnee-language"});
  var picker = el("select", {id: "returnee-language"});
  var closeButton = el("button", {type: "button"}, "×");
  header.append(title, languageLabel, picker, closeButton);
  var log = el("div", {"class": "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0"});
  var typing = el("div", {"class": "typing", role: "status"});
  typing.hidden = true;
  var offline = el("div", {"class": "offline", role: "alert"});
  offline.hidden = true;
  var privacyLink = el("a", {"class": "privacy", target: "_blank", rel: "noopener"});
  var forgetButton = el("button", {"class": "forget", type: "button"});
  var foot = el("div", {"class": "foot"});
  foot.append(privacyLink, forgetButton);
  var confirmBox = el("div", {"class": "confirm", role: "alertdialog", "aria-labelledby": "returnee-confirm"});
  confirmBox.hidden = true;
  var confirmText = el("p", {id: "returnee-confirm"});
  var yesButton = el("button", {"class": "yes", type: "button"});
  var noButton = el("button", {"class": "no", type: "button"});
  confirmBox.append(confirmText, yesButton, noButton);
  var form = el("form");
  var inputLabel = el("label", {"class": "sr", "for": "returnee-input"});
  var input = el("textarea", {id: "returnee-input", rows: "1", maxlength: "2000"});
  var send = el("button", {type: "submit"});
  form.append(inputLabel, input, send);
  panel.append(header, offline, log, typing, confirmBox, form, foot);
  root.append(launcher, panel);

  function applyLanguage() {
    var info = i18n[state.language] || {direction: "ltr"};
    panel.setAttribute("lang", state.language);
    panel.dir = info.direction || "ltr";
    launcher.textContent = t("open");
    title.textContent = t("title");
    languageLabel.textContent = t("language");
    input.placeholder = t("placeholder");
    inputLabel.textContent = t("placeholder");
    send.textContent = t("send");
    closeButton.setAttribute("aria-label", t("close"));
    typing.textContent = t("typing");
    offline.textContent = t("offline");
    privacyLink.textContent = t("privacy");
    privacyLink.href = base.replace(/widget\/$/, "privacy/") + state.language;
    forgetButton.textContent = t("forget");
    confirmText.textContent = t("forget_confirm");
    yesButton.textContent = t("forget_yes");
    noButton.textContent = t("forget_no");
    if (picker.value !== state.language) picker.value = state.language;
  }

  // Latin words and numbers inside right-to-left text keep their own order ("12-14", an e-mail).
  var LTR_RUN = /\/?[\p{Script=Latin}0-9][\p{Script=Latin}0-9@._:/+\-]*(?:[ ,]{1,2}[\p{Script=Latin}0-9@._:/+\-]*[\p{Script=Latin}0-9])*/gu;
  function fill(node, text, direction) {
    if (direction !== "rtl") { node.textContent = text; return; }
    var last = 0, match;
    LTR_RUN.lastIndex = 0;
    while ((match = LTR_RUN.exec(text))) {
      if (match.index > last) node.appendChild(document.createTextNode(text.slice(last, match.index)));
      node.appendChild(el("bdi", {dir: "ltr"}, match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  function show(entry) {
    var direction = directionOf(entry.text || "");
    if (entry.text) {
      var bubble = el("div", {"class": "msg " + entry.who, dir: direction});
      fill(bubble, entry.text, direction);
      log.appendChild(bubble);
    }
    if (entry.buttons && entry.buttons.length) {
      var row = el("div", {"class": "buttons", dir: direction});
      entry.buttons.forEach(function (b) {
        var button = el("button", {type: "button"}, b.title);
        button.addEventListener("click", function () { say(b.payload, b.title); });
        row.appendChild(button);
      });
      log.appendChild(row);
    }
    log.scrollTop = log.scrollHeight;
  }
  function remember(entry) {
    // Only the newest message keeps its buttons: old choices must not be pressed again.
    state.history.forEach(function (h) { delete h.buttons; });
    state.history.push(entry);
    save();
  }
  function redraw() {
    log.textContent = "";
    state.history.forEach(show);
  }

  var socket = null;
  var renewing = false;  // the session is being replaced after an erasure: not "offline"
  var typingTimer = null;
  function metadata() {
    var m = {language: state.language};
    if (partner) m.partner = partner;
    return m;
  }
  var pending = [];  // written before the connection exists: sent once it does, never lost
  function deliver(message) {
    var payload = {message: message, session_id: state.sessionId, metadata: metadata()};
    if (socket) socket.emit("user_uttered", payload);
    else pending.push(payload);
  }
  function say(message, shown) {
    if (!message) return;
    var entry = {who: "user", text: shown || message};
    remember(entry);
    redraw();
    deliver(message);
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typing.hidden = true; }, 15000);
  }
  function received(data) {
    var entry = {who: "bot", text: data.text || ""};
    var buttons = data.quick_replies || data.buttons;
    if (buttons) entry.buttons = buttons.map(function (b) { return {title: b.title, payload: b.payload}; });
    if (!entry.text && !entry.buttons) return;
    typing.hidden = true;
    remember(entry);
    redraw();
    if (directionOf(entry.text) === "rtl" && panel.dir !== "rtl") panel.dir = "rtl";
  }

  function connect() {
    socket = window.io(server, {transports: ["websocket"], path: "/socket.io"});
    socket.on("connect", function () {
      offline.hidden = true;
      renewing = false;
      socket.emit("session_request", {session_id: state.sessionId});
      pending.splice(0).forEach(function (p) { socket.emit("user_uttered", p); });
    });
    socket.on("disconnect", function () { offline.hidden = renewing; });
    socket.on("connect_error", function () { offline.hidden = false; });
    socket.on("bot_uttered", received);
  }

  function open() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    // First contact: the assistant's welcome says what is kept and links the privacy page
    // (utter_start, its widget variant), before the person writes anything.
    if (!state.history.length && !state.welcomed) {
      state.welcomed = true;
      deliver("/start_conversation");
    }
    save();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }
  // Erasure: the server erases this session's conversation and cases (the session id is the
  // proof), then this browser forgets its history and starts a new session.
  function forget() {
    yesButton.disabled = true;
    fetch(server.replace(/\/+$/, "") + "/webhooks/privacy/forget", {
      method: "POST",
      headers: {"Content-Type": "text/plain"},  // a simple request: no CORS preflight
      body: JSON.stringify({sender: state.sessionId, language: state.language})
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (reply) {
      try { localStorage.removeItem(storeKey); } catch (e) { /* private mode */ }
      state = {sessionId: newSessionId(), history: [], language: state.language, open: true};
      pending = [];
      save();
      confirmBox.hidden = true;
      typing.hidden = true;
      redraw();
      show({who: "bot", text: reply.text || ""});  // shown, not kept: the new history is empty
      if (socket) { renewing = true; socket.disconnect(); socket.connect(); }
      input.focus();
    }).catch(function () {
      confirmBox.hidden = true;
      show({who: "bot", text: t("forget_failed")});
    }).then(function () { yesButton.disabled = false; });
  }
  forgetButton.addEventListener("click", function () {
    confirmBox.hidden = false;
    noButton.focus();  // the safe answer first
  });
  noButton.addEventListener("click", function () {
    confirmBox.hidden = true;
    forgetButton.focus();
  });
  yesButton.addEventListener("click", forget);
  launcher.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  picker.addEventListener("change", function () {
    state.language = picker.value;
    save();
    applyLanguage();
    say('/change_language{"requested_language": "' + state.language + '"}', i18n[state.language].name);
  });

  function start(languages) {
    i18n = languages;
    if (!i18n[state.language]) state.language = "en";
    Object.keys(i18n).forEach(function (code) {
      picker.appendChild(el("option", {value: code, lang: code}, i18n[code].name));
    });
    applyLanguage();
    redraw();
    if (state.open) open();
    if (window.io) connect();
    else {
      var loader = document.createElement("script");
      loader.src = base + "vendor/socket.io.min.js";
      loader.onload = connect;
      document.head.appendChild(loader);
    }
  }
  fetch(base + "i18n.json").then(function (r) { return r.json(); }).then(start);
})();
