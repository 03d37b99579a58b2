// The playground: sends what you type to /api/chat, shows the bot's replies (text, images,
// files, buttons), and sends clicks to /api/chat/click. Text is always inserted as text.
"use strict";

const $ = (id) => document.getElementById(id);
const log = () => $("log");

function userId(name) {
  // One stable id per first name, so switching back to "Léa" is the same person.
  return "web-" + Array.from(name.trim().toLowerCase()).map((c) => c.codePointAt(0).toString(36)).join("");
}

function who() {
  const name = $("user-name").value.trim() || "Léa";
  return { id: userId(name), name };
}

function addUserLine(text) {
  const li = document.createElement("li");
  li.className = "msg me";
  const whoSaid = document.createElement("div");
  whoSaid.className = "who-said";
  whoSaid.textContent = who().name;
  const p = document.createElement("p");
  p.textContent = text;
  li.append(whoSaid, p);
  log().append(li);
  li.scrollIntoView({ block: "end" });
}

function render(m) {
  const li = document.createElement("li");
  li.className = "msg bot" + (m.private ? " private" : "");
  li.dataset.id = m.id;
  const whoSaid = document.createElement("div");
  whoSaid.className = "who-said";
  whoSaid.textContent = "Ruban";
  li.append(whoSaid);
  for (const para of m.text.split("\n")) {
    const p = document.createElement("p");
    p.textContent = para;
    li.append(p);
  }
  m.images.forEach((src, i) => {
    const img = document.createElement("img");
    img.src = src;
    img.alt = m.alts[i] || "";
    img.className = "card";
    img.width = 540;
    li.append(img);
  });
  for (const f of m.files) {
    const a = document.createElement("a");
    a.href = f.url;
    a.download = f.name;
    a.textContent = "⬇ " + f.name;
    a.className = "file";
    li.append(a);
  }
  if (m.buttons.length) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const b of m.buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.label;
      button.dataset.button = b.id;
      button.addEventListener("click", () => click(m.id, b.id));
      row.append(button);
    }
    li.append(row);
  }
  return li;
}

function show(messages) {
  for (const m of messages) {
    const node = render(m);
    const old = m.edits && log().querySelector(`li[data-id="${CSS.escape(m.edits)}"]`);
    if (old) {
      old.replaceWith(node);
    } else {
      log().append(node);
      node.scrollIntoView({ block: "end" });
    }
  }
}

async function post(url, body) {
  $("error").hidden = true;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(res.status);
    show((await res.json()).messages);
  } catch (e) {
    $("error").hidden = false;
  }
}

function base() {
  return { chat: $("chat-name").value.trim() || "classe", user: who(), locale: $("locale").value };
}

async function send(text) {
  addUserLine(text);
  await post("/api/chat", { ...base(), text });
}

// A photo for /vert (the typed text, if it is /vert or /green, else /vert): sent as a form,
// framed by the server, shown like any reply.
async function sendPhoto(file) {
  const typed = $("text").value.trim();
  const text = /^\/(vert|green)\b/i.test(typed) ? typed : "/vert";
  $("text").value = "";
  addUserLine(`${text} 📷`);
  const b = base();
  const form = new FormData();
  form.append("chat", b.chat);
  form.append("user_id", b.user.id);
  form.append("user_name", b.user.name);
  form.append("locale", b.locale);
  form.append("text", text);
  form.append("photo", file);
  $("error").hidden = true;
  try {
    const res = await fetch("/api/chat/photo", { method: "POST", body: form });
    if (!res.ok) throw new Error(res.status);
    show((await res.json()).messages);
  } catch (e) {
    $("error").hidden = false;
  }
}

async function click(messageId, buttonId) {
  await post("/api/chat/click", { ...base(), message_id: messageId, button_id: buttonId });
}

document.addEventListener("DOMContentLoaded", () => {
  $("locale").value = document.documentElement.lang === "en-CA" ? "en-CA" : "fr-CA";
  $("send").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    send(text);
  });
  $("photo").addEventListener("change", () => {
    const file = $("photo").files[0];
    $("photo").value = "";
    if (file) sendPhoto(file);
  });
  for (const b of document.querySelectorAll("button.example")) {
    b.addEventListener("click", () => send(b.textContent));
  }
  $("text").focus();
});
