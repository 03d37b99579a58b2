// The live wall: the counter moves within a second of a pledge (server-sent events), with
// polling as a fallback. The page is complete without this script.
"use strict";

const params = new URLSearchParams(location.search);
const filters = new URLSearchParams();
for (const k of ["region", "school", "class", "lang"]) {
  if (params.get(k)) filters.set(k, params.get(k));
}
const locale = document.documentElement.lang === "en-CA" ? "en-CA" : "fr-CA";
const fmt = new Intl.NumberFormat(locale);

function setTotal(total, today) {
  const el = document.getElementById("total");
  if (Number(el.dataset.total) !== total) {
    el.dataset.total = String(total);
    el.textContent = fmt.format(total).replace(/\s/g, "\u202f");
    el.classList.remove("bump");
    void el.offsetWidth; // restart the animation
    el.classList.add("bump");
  }
  const t = document.getElementById("today");
  t.textContent = t.textContent.replace(/[\d\s\u202f,]+$/, " " + fmt.format(today).replace(/\s/g, "\u202f"));
}

async function refresh() {
  const res = await fetch("/api/wall?" + filters.toString());
  if (!res.ok) return;
  const d = await res.json();
  setTotal(d.total, d.today);
  document.getElementById("counter-label").textContent = d.label;
  document.getElementById("today").textContent = d.today_label;
  const latest = document.getElementById("latest");
  if (d.latest_lines.length) latest.replaceChildren(...d.latest_lines.map(li));
  const messages = document.getElementById("messages");
  // Hidden ones leave (a report, an organizer's decision); none left says so.
  if (d.messages.length) messages.replaceChildren(...d.messages.map((m) => message(messages.dataset, m)));
  else messages.replaceChildren(Object.assign(li(messages.dataset.empty), { className: "empty" }));
  roll();
  const max = Math.max(1, ...d.regions.map((r) => r[2]));
  for (const [code, , n] of d.regions) {
    const fill = document.querySelector(`.fill[data-region="${CSS.escape(code)}"]`);
    if (fill) fill.style.width = (n * 100) / max + "%";
  }
}

// On a big screen the wall never scrolls: messages taller than their box roll up gently (about
// 30 px a second), and stop rolling once they fit.
function roll() {
  const list = document.getElementById("messages");
  const box = list.closest(".latest");
  list.classList.remove("rolling"); // measured where it rests, not mid-roll
  const over = list.getBoundingClientRect().bottom - box.getBoundingClientRect().bottom;
  if (getComputedStyle(box).overflow !== "hidden" || over <= 1) return;
  list.style.setProperty("--roll-by", -Math.ceil(over + 16) + "px");
  list.style.setProperty("--roll", Math.max(12, Math.round(over / 30)) / 0.84 + "s");
  list.classList.add("rolling");
}

// A message as the page draws it: the words, who, and « Signaler » (a plain form).
function message(labels, m) {
  const el = document.createElement("li");
  const q = document.createElement("q");
  q.textContent = m.text;
  const cite = document.createElement("cite");
  cite.textContent = "— " + m.who;
  const form = document.createElement("form");
  form.method = "post";
  form.className = "report";
  form.action = labels.reportPath + "/" + encodeURIComponent(m.id) + "?" + labels.reportQuery;
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = labels.report;
  button.setAttribute("aria-label", labels.reportLabel);
  form.append(button);
  el.append(q, " ", cite, " ", form);
  return el;
}

function li(text) {
  const el = document.createElement("li");
  el.textContent = text;
  return el;
}

let pollTimer = null;
let refreshTimer = null;

function poll() {
  if (!pollTimer) pollTimer = setInterval(() => refresh().catch(() => {}), 5000);
}

// Live events; after three failures in a row, polling, and another try at live events in
// 30 s: a server that restarts (or is replaced behind the proxy) ends the stream, and a wall
// left on a projector should come back to moving within a second by itself.
function live() {
  let failures = 0;
  const es = new EventSource("/api/wall/events?" + filters.toString());
  es.addEventListener("count", (e) => {
    failures = 0;
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    document.body.dataset.live = "1"; // the wall is live (tests and the curious can tell)
    const d = JSON.parse(e.data);
    setTotal(d.total, d.today);
    // Names and bars follow a moment later, at most once a second.
    if (d.number && !refreshTimer) refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 1000);
  });
  es.addEventListener("wall", () => refresh());
  es.onerror = () => {
    if (++failures >= 3) {
      es.close();
      document.body.dataset.live = "0";
      poll();
      setTimeout(live, 30000);
    }
  };
}

document.addEventListener("DOMContentLoaded", () => {
  for (const fill of document.querySelectorAll(".fill")) fill.style.width = fill.dataset.pct + "%";
  roll();
  addEventListener("resize", roll);
  if (!("EventSource" in window)) return poll();
  live();
});
