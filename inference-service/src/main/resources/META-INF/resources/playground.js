// Mini-BERT playground: plain JavaScript against the service's own endpoints (/fill-mask, /nsp, /model).
"use strict";

const MASK = "[MASK]";
const $ = (id) => document.getElementById(id);

/** Where the API key is kept: sessionStorage, so for this tab only, gone when it closes. */
const KEY_ITEM = "minibert.api-key";
let asking = null;

/** Asks once for the key, however many calls met a 401 meanwhile. */
function askForKey() {
  if (!asking) {
    asking = Promise.resolve().then(() => {
      const entered = window.prompt("This service needs an API key. It is kept for this tab only.", "");
      if (entered && entered.trim()) sessionStorage.setItem(KEY_ITEM, entered.trim());
      asking = null;
    });
  }
  return asking;
}

/**
 * GET or POST JSON, with the tab's API key when there is one; a 401 asks for the key and tries again once. A
 * problem+json answer becomes an Error with its detail.
 */
async function call(url, body, retried) {
  const key = sessionStorage.getItem(KEY_ITEM);
  const headers = {};
  if (key) headers.Authorization = "Bearer " + key;
  const init = body === undefined ? { headers } : {
    method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(url, init);
  if (response.status === 401 && !retried) {
    if (sessionStorage.getItem(KEY_ITEM) === key) await askForKey(); // else another call got a key meanwhile
    if (sessionStorage.getItem(KEY_ITEM) !== key) return call(url, body, true);
  }
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch (ignored) { /* not JSON */ }
  if (!response.ok) {
    const detail = json && (json.detail || json.error) || text || response.statusText;
    throw new Error(response.status + ": " + detail);
  }
  return json;
}

function element(tag, attributes, ...children) {
  const e = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => {
    if (k === "class") e.className = v;
    else if (k === "width") e.style.width = v; // the CSSOM: the Content-Security-Policy allows no style attribute
    else e.setAttribute(k, v);
  });
  children.flat().forEach((c) => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}

function percent(p) {
  return (100 * p).toFixed(p >= 0.1 ? 1 : 2) + "%";
}

// ---- fill-mask ---------------------------------------------------------------------------------------------

/** The sentence with the candidate highlighted: the text between the mask's neighbours in the sequence. */
function highlighted(text, mask, sequence) {
  const before = text.slice(0, mask.start);
  const after = text.slice(mask.end);
  if (sequence.startsWith(before) && sequence.endsWith(after) && before.length + after.length <= sequence.length) {
    return [before, element("mark", {}, sequence.slice(before.length, sequence.length - after.length)), after];
  }
  return [sequence];
}

function showCandidates(answer) {
  const box = $("candidates");
  box.replaceChildren();
  answer.masks.forEach((mask, i) => {
    const list = element("ol", { class: "candidates" });
    const best = Math.max(...mask.candidates.map((c) => c.score), 1e-9);
    mask.candidates.forEach((c) => {
      list.append(element("li", { class: "candidate", "data-token": c.token, "data-score": c.score },
        element("span", { class: "token" }, c.token),
        element("span", { class: "bar", title: percent(c.score) + " (bars are relative to the best candidate)" },
          element("span", { width: Math.max(0.5, 100 * c.score / best).toFixed(2) + "%" })),
        element("span", { class: "score" }, percent(c.score)),
        element("span", { class: "sequence" }, highlighted(answer.text, mask, c.sequence))));
    });
    const title = answer.masks.length > 1 ? MASK + " " + (i + 1) : MASK;
    box.append(element("div", { class: "mask" }, element("h3", {}, title), list));
  });
}

async function fill() {
  const text = $("text").value;
  const status = $("fill-status");
  if (!text.trim()) {
    status.className = "status error";
    status.textContent = "Type a sentence with " + MASK + " first.";
    return;
  }
  const params = new URLSearchParams({ text: text, top_k: $("top-k").value });
  history.replaceState(null, "", "?" + new URLSearchParams({ text: text }));
  status.className = "status";
  status.textContent = "…";
  const started = performance.now();
  try {
    const answer = await call("fill-mask?" + params);
    showCandidates(answer);
    status.textContent = "version " + answer.version + ", " + Math.round(performance.now() - started) + " ms";
  } catch (e) {
    $("candidates").replaceChildren();
    status.className = "status error";
    status.textContent = e.message;
  }
}

function insertMask() {
  const input = $("text");
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  input.value = input.value.slice(0, start) + MASK + input.value.slice(end);
  input.focus();
  input.setSelectionRange(start + MASK.length, start + MASK.length);
}

/**
 * Enter in {@code input} runs {@code action}, except while an input method (Korean, Japanese, ...) is composing:
 * that Enter only commits the syllable. Browsers differ: most flag the keydown with isComposing (keyCode 229);
 * Safari ends the composition just before the keydown, hence the check on a compositionend that just happened.
 * The form's own submit-on-Enter is turned off for the same reason.
 */
function onEnter(input, action) {
  let composing = false;
  let compositionEndedAt = -1;
  input.addEventListener("compositionstart", () => { composing = true; });
  input.addEventListener("compositionend", (event) => { composing = false; compositionEndedAt = event.timeStamp; });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    if (event.isComposing || event.keyCode === 229 || composing) return; // the input method's Enter
    event.preventDefault();
    if (compositionEndedAt >= 0 && event.timeStamp - compositionEndedAt < 100) return;
    action();
  });
}

// ---- next-sentence prediction ------------------------------------------------------------------------------

async function nsp() {
  const box = $("nsp-result");
  box.replaceChildren("…");
  try {
    const answer = await call("nsp", { first: $("first").value, second: $("second").value });
    box.replaceChildren(
      element("p", { class: "verdict", "data-probability": answer.probability },
        answer.is_next ? "Follows" : "Does not follow",
        " — P(second follows first) = ", element("span", { id: "nsp-probability" }, percent(answer.probability))),
      element("div", { class: "bar" }, element("span", { width: (100 * answer.probability).toFixed(2) + "%" })),
      element("p", { class: "status" }, "logits [follows, random] = [" + answer.logits.map((l) => l.toFixed(3)).join(", ") + "]"));
  } catch (e) {
    box.replaceChildren(element("p", { class: "error" }, e.message));
  }
}

// ---- model card --------------------------------------------------------------------------------------------

function figure(value, digits) {
  return typeof value === "number" ? value.toFixed(digits) : null;
}

async function modelCard() {
  const facts = $("model-facts");
  try {
    const m = await call("model");
    const config = m.config || {};
    const metrics = m.metrics || {};
    const validation = metrics.validation || {};
    const evaluation = metrics.evaluation || {};
    const rows = [
      ["model", m.model],
      ["version", m.version],
      ["created", m.created_at],
      ["execution provider", m.provider],
      ["architecture", config.num_hidden_layers !== undefined
        ? config.num_hidden_layers + " layers × " + config.hidden_size + " hidden, " + config.num_attention_heads
          + " heads, intermediate " + config.intermediate_size : null],
      ["vocabulary / positions", m.vocab_size + " / " + m.max_positions],
      ["parameters", typeof config.num_parameters === "number" ? config.num_parameters.toLocaleString("en-US") : null],
      ["trained steps", metrics.checkpoint_step],
      ["validation loss", figure(validation.loss, 4)],
      ["validation MLM accuracy", validation.mlm_accuracy !== undefined ? percent(validation.mlm_accuracy) : null],
      ["validation NSP accuracy", validation.nsp_accuracy !== undefined ? percent(validation.nsp_accuracy) : null],
      ["cloze probes top-1 / top-5", evaluation.probes
        ? percent(evaluation.probes.top1_accuracy) + " / " + percent(evaluation.probes.top5_accuracy) : null],
      ["held-out text MLM loss / top-1", evaluation.text
        ? figure(evaluation.text.mlm_loss, 3) + " / " + percent(evaluation.text.top1) : null],
      ["ONNX parity (max |Δ|)", m.parity && typeof m.parity.max_abs_diff === "number" ? m.parity.max_abs_diff.toExponential(2) + " (tolerance " + m.parity.tolerance + ")" : null],
      ["note", metrics.note],
      ["last reload error", m.last_error],
    ];
    facts.replaceChildren();
    rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
      .forEach(([k, v]) => facts.append(element("dt", {}, k), element("dd", { "data-fact": k }, v)));
    $("model-json").textContent = JSON.stringify(m, null, 2);
    $("version-chip").textContent = m.model + " · " + m.version + " · " + m.provider;
    document.querySelector('nav a[href^="v2/"]').setAttribute("href", "v2/models/" + encodeURIComponent(m.model));
  } catch (e) {
    facts.replaceChildren(element("dd", { class: "error" }, e.message));
    $("version-chip").textContent = "no model";
  }
}

// ---- wiring ------------------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  const text = $("text");
  onEnter(text, fill);
  onEnter($("first"), nsp);
  onEnter($("second"), nsp);
  $("fill-form").addEventListener("submit", (event) => { event.preventDefault(); fill(); });
  $("insert-mask").addEventListener("click", insertMask);
  document.querySelectorAll("button.example").forEach((b) =>
    b.addEventListener("click", () => { text.value = b.textContent; fill(); }));
  $("nsp-form").addEventListener("submit", (event) => { event.preventDefault(); nsp(); });
  modelCard();
  const shared = new URLSearchParams(location.search).get("text");
  if (shared) {
    text.value = shared;
    fill();
  } else {
    text.focus();
  }
});
