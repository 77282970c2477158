// Live queue: re-reads /queue.json every 3 s with the page's filters. Texts go in with
// textContent only, so nothing from a case is ever interpreted as HTML.
"use strict";
(function () {
  const body = document.getElementById("cases");
  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function render(data) {
    const rows = [];
    for (const c of data.cases) {
      const tr = document.createElement("tr");
      tr.className = c.priority;
      const link = document.createElement("a");
      link.href = "/cases/" + encodeURIComponent(c.id);
      link.textContent = "#" + c.id;
      cell(tr, "").appendChild(link);
      for (const v of [c.priority, c.status, c.language, c.channel, c.reason, c.assignee || "",
                       c.tags.join(", "), c.created_at]) cell(tr, v);
      rows.push(tr);
    }
    if (!rows.length) {
      const tr = document.createElement("tr");
      tr.className = "empty";
      cell(tr, "No cases.").colSpan = 9;
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    for (const el of document.querySelectorAll("[data-count]")) {
      el.textContent = data.counts[el.dataset.count];
    }
  }
  async function refresh() {
    try {
      const reply = await fetch("/queue.json" + window.location.search, {credentials: "same-origin"});
      if (reply.ok) render(await reply.json());
    } catch (e) { /* offline for a moment: try again at the next tick */ }
  }
  setInterval(refresh, 3000);
})();
