// Live case page: the transcript, status and timeline are re-read every 3 s; the reply box is
// left alone. Texts go in with textContent only (a person's message is never run as HTML).
"use strict";
(function () {
  const root = document.querySelector("[data-case]");
  if (!root) return;
  const caseId = root.dataset.case;
  const canned = document.getElementById("canned");
  const cannedTexts = document.getElementById("canned-texts");
  if (canned && cannedTexts) {
    const texts = JSON.parse(cannedTexts.textContent);
    canned.addEventListener("change", function () {
      if (canned.value !== "") document.getElementById("reply-text").value = texts[Number(canned.value)];
    });
  }
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function renderTranscript(view) {
    const items = view.transcript.map(function (t) {
      const li = el("li", "turn " + t.who);
      li.appendChild(el("div", "meta", t.who + (t.counsellor ? " (" + t.counsellor + ")" : "") + " · " + t.at));
      const text = el("div", "text", t.text);
      text.dir = "auto";
      li.appendChild(text);
      if (t.who === "person") {
        let understood = "understood: " + t.label + " " + t.confidence;
        if (t.language) understood += " · language " + t.language;
        for (const e of t.entities) understood += " · " + e.entity + "=" + e.value;
        li.appendChild(el("div", "understood", understood));
      }
      return li;
    });
    if (!items.length) items.push(el("li", "turn empty", view.transcript_error ? "Transcript unavailable: " + view.transcript_error : "No messages."));
    document.getElementById("transcript").replaceChildren(...items);
    document.getElementById("timeline").replaceChildren(...view.timeline.map(function (e) {
      return el("li", "", e.at + " · " + e.actor + " · " + e.kind + (e.detail ? " (" + e.detail + ")" : ""));
    }));
    document.getElementById("status").textContent = view.case.status;
  }
  let last = "";
  async function refresh() {
    try {
      const reply = await fetch("/cases/" + encodeURIComponent(caseId) + "/live.json", {credentials: "same-origin"});
      if (!reply.ok) return;
      const view = await reply.json();
      const key = JSON.stringify([view.transcript, view.timeline, view.case.status]);
      if (key !== last) { last = key; renderTranscript(view); }
    } catch (e) { /* try again at the next tick */ }
  }
  setInterval(refresh, 3000);
})();
