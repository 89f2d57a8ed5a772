// figgen's labs: the reader's input -> the exported model, in the page (layouts/_partials/figgen/lab.html).
// Loaded on the reader's first interaction with a lab, as are the runtime and the model. The page
// does no arithmetic on the model's numbers: its card (NAME.json) says the tensors' names and shapes,
// the graph holds the pre- and post-processing.
//
// Test hook, on the lab's element: `element.figgenLab.run(inputs)` puts a card reference's
// `inputs` ({name: [flat numbers]}) into the lab's controls, runs the lab exactly as a reader's
// change does and resolves to the outputs ({name: [numbers]}) it showed; `element.figgenLab.fed`
// holds the last inputs given to the model, `element.figgenLab.ready` resolves once it is loaded.

let runtime;
function ort(base) {
  runtime ||= import(base + "ort.wasm.min.mjs").then((m) => {
    m.env.wasm.wasmPaths = base; // the site's own copy: nothing from a CDN
    m.env.wasm.numThreads = 1; // no cross-origin isolation needed; these models are tiny
    m.env.logLevel = "error"; // not its warnings about the CPU in the reader's console
    return m;
  });
  return runtime;
}

export function start(element, event) {
  if (element.figgenLab) return;
  const text = JSON.parse(element.dataset.text);
  const status = element.querySelector(".figgen-lab-status");
  const lab = { fed: null };
  element.figgenLab = lab;
  const fail = (error) => { status.textContent = format(text.failed, { error: error.message || error }); };
  const kind = KINDS[element.dataset.kind](element, lab, text, status); // the controls answer at once
  status.textContent = text.loading;
  lab.ready = (async () => {
    const [m, card] = await Promise.all([ort(element.dataset.runtime),
      fetch(element.dataset.card).then((r) => { if (!r.ok) throw new Error(r.status + " " + r.url); return r.json(); })]);
    const session = await m.InferenceSession.create(element.dataset.graph, { executionProviders: ["wasm"] });
    kind.init?.(card);
    if (status.textContent === text.loading) status.textContent = "";
    return { m, card, session };
  })();
  lab.ready.catch(fail);

  // One model call at a time; a burst of changes runs once more with the latest state.
  let chain = Promise.resolve(), queued = null;
  lab.update = () => {
    if (queued) return queued;
    queued = chain.then(async () => {
      queued = null;
      const { m, card, session } = await lab.ready;
      const feeds = kind.read(card), tensors = {};
      if (!feeds) return null; // nothing to ask the model yet (kind.read said why)
      for (const input of card.inputs) {
        const values = feeds[input.name];
        const shape = input.shape.map((d) => d ?? values.length);
        tensors[input.name] = input.dtype === "int64"
          ? new m.Tensor("int64", BigInt64Array.from(values, (v) => BigInt(v)), shape)
          : new m.Tensor("float32", Float32Array.from(values), shape);
      }
      lab.fed = feeds;
      const results = await session.run(tensors), outputs = {};
      for (const output of card.outputs) outputs[output.name] = Array.from(results[output.name].data);
      kind.show(card, outputs);
      return outputs;
    }).catch((error) => { fail(error); throw error; });
    chain = queued.catch(() => {});
    return queued;
  };
  lab.run = async (inputs) => { const { card } = await lab.ready; kind.write(card, inputs); return lab.update(); };
  kind.first?.(event); // the reader's first press, made before this module loaded
}

const format = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
const percent = (element) => new Intl.NumberFormat(element.lang || undefined, { style: "percent", maximumFractionDigits: 1, minimumFractionDigits: 1 });

// Bars for the `count` largest probabilities, best first.
function bars(list, labels, probabilities, count, element) {
  const order = probabilities.map((p, i) => i).sort((a, b) => probabilities[b] - probabilities[a]).slice(0, count);
  const f = percent(element);
  list.replaceChildren(...order.map((i, rank) => {
    const item = document.createElement("li"), label = document.createElement("span"), bar = document.createElement("b"), value = document.createElement("span");
    label.textContent = labels(i);
    bar.style.setProperty("--p", (100 * probabilities[i]).toFixed(1) + "%");
    bar.setAttribute("aria-hidden", "true");
    value.textContent = f.format(probabilities[i]);
    if (rank === 0) item.className = "figgen-lab-best";
    item.append(label, bar, value);
    return item;
  }));
  return order;
}

const KINDS = {
  // Draw on the card's grid (ink 0..1) -> the probability of each class.
  grid(element, lab, text, status) {
    const cells = [...element.querySelectorAll("[role=gridcell]")], grid = element.querySelector("[role=grid]");
    const list = element.querySelector(".figgen-lab-bars"), side = Math.round(Math.sqrt(cells.length));
    const ink = new Float32Array(cells.length);
    let pen = null; // 1 draws, 0 erases: what the stroke's first cell asked for
    const paint = (i, value) => {
      if (ink[i] === value) return false;
      ink[i] = value;
      cells[i].style.setProperty("--ink", value);
      cells[i].setAttribute("aria-selected", value > 0.5 ? "true" : "false");
      return true;
    };
    const cellAt = (e) => cells.indexOf(document.elementFromPoint(e.clientX, e.clientY));
    const down = (e) => {
      const i = cells.indexOf(e.target);
      if (i < 0) return;
      pen = ink[i] > 0.5 ? 0 : 1;
      if (paint(i, pen)) lab.update();
    };
    grid.addEventListener("pointerdown", down);
    grid.addEventListener("pointermove", (e) => {
      if (pen === null) return;
      const i = cellAt(e);
      if (i >= 0 && paint(i, pen)) lab.update();
    });
    addEventListener("pointerup", () => { pen = null; });
    addEventListener("pointercancel", () => { pen = null; });
    grid.addEventListener("keydown", (e) => {
      const i = cells.indexOf(document.activeElement);
      if (i < 0) return;
      const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -side, ArrowDown: side, Home: -(i % side), End: side - 1 - (i % side) };
      if (e.key in moves) {
        const j = i + moves[e.key];
        if (j < 0 || j >= cells.length || (Math.abs(moves[e.key]) === 1 && Math.floor(j / side) !== Math.floor(i / side))) return;
        e.preventDefault();
        cells[i].tabIndex = -1; cells[j].tabIndex = 0; cells[j].focus();
      } else if (e.key === " " || e.key === "Enter") {
        e.preventDefault();
        paint(i, ink[i] > 0.5 ? 0 : 1);
        lab.update();
      }
    });
    element.querySelector(".figgen-lab-clear").addEventListener("click", () => {
      cells.forEach((_, i) => paint(i, 0));
      lab.update();
    });
    return {
      first: (e) => { if (e?.type === "pointerdown") down(e); else lab.update(); },
      read: (card) => ({ [card.inputs[0].name]: Array.from(ink) }),
      write: (card, inputs) => inputs[card.inputs[0].name].forEach((v, i) => paint(i, v)),
      show(card, outputs) {
        const probabilities = outputs[card.outputs[0].name], labels = card.meta?.labels || [];
        const best = bars(list, (i) => labels[i] ?? String(i), probabilities, probabilities.length, element)[0];
        status.textContent = format(text.top, { label: labels[best] ?? best, probability: percent(element).format(probabilities[best]) });
      },
    };
  },

  // A point on the plane (pointer, arrow keys or the two sliders) -> the decoded grid image.
  plane(element, lab, text, status) {
    const plane = element.querySelector(".figgen-lab-plane"), dot = element.querySelector(".figgen-lab-dot");
    const image = element.querySelector(".figgen-lab-image"), pixels = [...image.children];
    const sliders = [element.querySelector(".figgen-lab-x"), element.querySelector(".figgen-lab-y")];
    const start = element.querySelector(".figgen-lab-start");
    let range = [[-1, 1], [-1, 1]], code = [0, 0], dragging = false;
    const number = new Intl.NumberFormat(element.lang || undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
    const place = (x, y) => {
      code = [x, y];
      const fx = (x - range[0][0]) / (range[0][1] - range[0][0]), fy = (y - range[1][0]) / (range[1][1] - range[1][0]);
      dot.style.setProperty("--x", (100 * fx).toFixed(2) + "%");
      dot.style.setProperty("--y", (100 * (1 - fy)).toFixed(2) + "%"); // z2 grows upwards, as in the figure
      sliders[0].value = x; sliders[1].value = y;
      return lab.update();
    };
    const fromPointer = (e) => {
      const box = plane.getBoundingClientRect();
      const fx = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)), fy = Math.min(1, Math.max(0, (e.clientY - box.top) / box.height));
      place(range[0][0] + fx * (range[0][1] - range[0][0]), range[1][1] - fy * (range[1][1] - range[1][0]));
    };
    plane.addEventListener("pointerdown", (e) => { dragging = true; plane.setPointerCapture?.(e.pointerId); fromPointer(e); });
    plane.addEventListener("pointermove", (e) => { if (dragging) fromPointer(e); });
    plane.addEventListener("pointerup", () => { dragging = false; });
    plane.addEventListener("pointercancel", () => { dragging = false; });
    plane.addEventListener("keydown", (e) => {
      const step = e.shiftKey ? 0.1 : 0.02, dx = range[0][1] - range[0][0], dy = range[1][1] - range[1][0];
      const moves = { ArrowLeft: [-step * dx, 0], ArrowRight: [step * dx, 0], ArrowUp: [0, step * dy], ArrowDown: [0, -step * dy] };
      if (!(e.key in moves)) return;
      e.preventDefault();
      const clamp = (v, [lo, hi]) => Math.min(hi, Math.max(lo, v));
      place(clamp(code[0] + moves[e.key][0], range[0]), clamp(code[1] + moves[e.key][1], range[1]));
    });
    sliders.forEach((slider) => slider.addEventListener("input", () => place(+sliders[0].value, +sliders[1].value)));
    start.addEventListener("change", () => { const c = lab.centres?.[start.value]; if (c) place(c[0], c[1]); });
    return {
      init(card) {
        range = card.meta?.latent_range || range;
        sliders.forEach((slider, axis) => { slider.min = range[axis][0]; slider.max = range[axis][1]; slider.step = (range[axis][1] - range[axis][0]) / 200; });
        lab.centres = card.meta?.centres || {};
        for (const [label, [x, y]] of Object.entries(lab.centres)) {
          const option = new Option(label, label), mark = document.createElement("i");
          start.add(option);
          mark.textContent = label;
          mark.style.left = (100 * (x - range[0][0]) / (range[0][1] - range[0][0])).toFixed(2) + "%";
          mark.style.top = (100 * (1 - (y - range[1][0]) / (range[1][1] - range[1][0]))).toFixed(2) + "%";
          mark.setAttribute("aria-hidden", "true");
          plane.append(mark);
        }
        code = [(range[0][0] + range[0][1]) / 2, (range[1][0] + range[1][1]) / 2];
      },
      first: () => lab.ready.then(() => place(...code)),
      read: (card) => ({ [card.inputs[0].name]: code.slice() }),
      write: (card, inputs) => { const [x, y] = inputs[card.inputs[0].name]; code = [x, y]; place(x, y); },
      show(card, outputs) {
        const values = outputs[card.outputs[0].name];
        pixels.forEach((pixel, i) => pixel.style.setProperty("--ink", values[i].toFixed(3)));
        const words = format(text.decoded, { x: number.format(code[0]), y: number.format(code[1]) });
        image.setAttribute("aria-label", words);
        status.textContent = words;
      },
    };
  },

  // A prefix -> the k most likely next tokens, with their probabilities.
  prefix(element, lab, text, status) {
    const input = element.querySelector("input"), list = element.querySelector(".figgen-lab-bars");
    const k = +element.dataset.k || 5;
    let ids = [], unknown = [];
    const tokenize = (card) => {
      const meta = card.meta || {}, tokenizer = meta.tokenizer || {}, vocabulary = meta.vocabulary || [];
      lab.index ||= new Map(vocabulary.map((word, id) => [word, id]));
      let value = tokenizer.lowercase ? input.value.toLowerCase() : input.value;
      for (const [from, to] of Object.entries(tokenizer.replace || {})) value = value.replaceAll(from, to); // e.g. ’ -> '
      const words = value.match(new RegExp(tokenizer.pattern || "\\S+", tokenizer.flags || "gu")) || [];
      ids = []; unknown = [];
      for (const word of words) {
        const id = lab.index.get(word) ?? meta.unknown;
        if (id === undefined || id === null) unknown.push(word); else ids.push(id);
      }
    };
    input.addEventListener("input", () => lab.update());
    return {
      first: () => lab.update(),
      read(card) {
        tokenize(card);
        if (!ids.length) { list.replaceChildren(); status.textContent = text.empty; return null; }
        return { [card.inputs[0].name]: ids };
      },
      write: (card, inputs) => { input.value = inputs[card.inputs[0].name].map((id) => card.meta.vocabulary[id]).join(" "); },
      show(card, outputs) {
        const probabilities = outputs[card.outputs[0].name], vocabulary = card.meta?.vocabulary || [];
        const best = bars(list, (i) => vocabulary[i] ?? String(i), probabilities, k, element)[0];
        status.textContent = format(text.top, { label: vocabulary[best], probability: percent(element).format(probabilities[best]) })
          + (unknown.length ? " " + format(text.unknown, { words: unknown.join(", ") }) : "");
      },
    };
  },
};
