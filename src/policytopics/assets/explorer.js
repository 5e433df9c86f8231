(() => {
  "use strict";
  const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  const TEXT = DATA.text;
  const TOPICS = DATA.topics;
  const K = TOPICS.length;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const SIZE = 520;
  const PAD = 16;
  const R_MAX = SIZE * (K > 1 ? 0.1 : 0.2);
  // Circles as laid out by policytopics.explorer.circle_layout (none hides another); a term's
  // shares size them on the same scale.
  const R_SHARE = DATA.map.r_max;
  const state = { pinned: 0, preview: 0, term: -1, lam: DATA.lam };

  const byId = (id) => document.getElementById(id);
  const current = () => state.preview || state.pinned;
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  const percent = (x) => (100 * x).toFixed(1) + "%";
  const integer = (x) => Math.round(x).toLocaleString();
  // Estimates below 10 keep a decimal, so a rare term's "0.4 of 1" does not read as 0.
  const estimate = (x) => (x < 10 ? x.toFixed(1) : integer(x));
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const svg = (tag, attributes) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  };

  // Relevance, as in policytopics.explorer.topic_terms: ties keep the probability order.
  function rankedTerms(k, lam) {
    const topic = TOPICS[k - 1];
    const rows = topic.terms.map((w, order) => {
      const p = topic.p[order];
      const pCorpus = DATA.count[w] / DATA.total_tokens;
      const relevance = lam * Math.log(p) + (1 - lam) * Math.log(p / pCorpus);
      return { w, order, p, pCorpus, relevance };
    });
    rows.sort((a, b) => b.relevance - a.relevance || a.order - b.order);
    return rows.slice(0, DATA.n_words);
  }

  // ---- intertopic distance map
  const mapNode = byId("map");
  const xs = TOPICS.map((t) => t.x);
  const ys = TOPICS.map((t) => t.y);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) || 1;
  const inner = SIZE - 2 * (PAD + R_MAX);
  const midX = (Math.max(...xs) + Math.min(...xs)) / 2;
  const midY = (Math.max(...ys) + Math.min(...ys)) / 2;
  const toX = (x) => SIZE / 2 + ((x - midX) / span) * inner;
  const toY = (y) => SIZE / 2 - ((y - midY) / span) * inner;
  // How the circles were kept apart, said under the map.
  const layoutNote = DATA.map.moved > 0
    ? fill(TEXT.layout_note, { scale: Math.round(100 * DATA.map.scale), moved: (100 * DATA.map.moved).toFixed(1) })
    : DATA.map.scale < 1 ? fill(TEXT.layout_scaled, { scale: Math.round(100 * DATA.map.scale) }) : "";

  mapNode.append(
    svg("line", { class: "axis", x1: 0, x2: SIZE, y1: toY(0), y2: toY(0) }),
    svg("line", { class: "axis", x1: toX(0), x2: toX(0), y1: 0, y2: SIZE }),
  );
  const pc1 = svg("text", { class: "axis-label", x: SIZE - 4, y: toY(0) - 6, "text-anchor": "end" });
  pc1.textContent = "PC1";
  const pc2 = svg("text", { class: "axis-label", x: toX(0) + 6, y: 14 });
  pc2.textContent = "PC2";
  mapNode.append(pc1, pc2);

  // Every circle first, every number above them all: a circle drawn later never covers an
  // earlier topic's number where circles overlap.
  const circleLayer = svg("g", { class: "circles" });
  const numberLayer = svg("g", { class: "numbers" });
  mapNode.append(circleLayer, numberLayer);
  const circles = TOPICS.map((topic) => {
    const group = svg("g", { class: "topic" });
    const circle = svg("circle", { cx: topic.cx, cy: topic.cy, fill: topic.color });
    const tooltip = svg("title");
    tooltip.textContent = topic.label + " · " + fill(TEXT.prevalence, { value: percent(topic.prevalence) });
    const number = svg("text", { class: "topic-number", x: topic.cx, y: topic.cy });
    number.textContent = String(topic.topic);
    // A rare topic's circle can be a few pixels wide: an invisible disc keeps it easy to hit.
    const target = svg("circle", { class: "target", cx: topic.cx, cy: topic.cy, r: 11 });
    group.append(tooltip, circle, target);
    attachTopicEvents(group, topic.topic);
    circleLayer.append(group);
    numberLayer.append(number);
    return { group, circle, number };
  });

  // ---- topic list
  const listItems = TOPICS.map((topic) => {
    const item = make("li");
    item.tabIndex = 0;
    item.setAttribute("role", "button");
    const swatch = make("span", "swatch");
    swatch.style.background = topic.color;
    item.append(swatch, make("span", "number", String(topic.topic)), make("span", "label", topic.label),
                make("span", "share", percent(topic.prevalence)));
    item.title = topic.label;
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle(topic.topic);
      }
    });
    attachTopicEvents(item, topic.topic);
    byId("topic-list").append(item);
    return item;
  });

  function attachTopicEvents(node, k) {
    node.addEventListener("mouseenter", () => { state.preview = k; render(); });
    node.addEventListener("mouseleave", () => { state.preview = 0; render(); });
    node.addEventListener("click", () => toggle(k));
  }

  function toggle(k) { pin(state.pinned === k ? 0 : k); }

  function pin(k) {
    state.pinned = k;
    state.preview = 0;
    writeHash();
    render();
  }

  function renderMap() {
    const k = current();
    const shares = state.term >= 0 ? DATA.share[state.term] : null;
    mapNode.classList.toggle("has-current", k > 0);
    TOPICS.forEach((topic, i) => {
      const radius = shares ? R_SHARE * Math.sqrt(shares[i]) : topic.r;
      circles[i].circle.setAttribute("r", radius.toFixed(2));
      circles[i].group.classList.toggle("current", topic.topic === k);
      circles[i].number.classList.toggle("current", topic.topic === k);
      listItems[i].classList.toggle("current", topic.topic === k);
    });
    byId("map-caption").textContent = shares
      ? fill(TEXT.term_share, { word: DATA.vocab[state.term] })
      : TEXT.map_note + layoutNote;
  }

  // ---- bar chart of terms
  function renderBars() {
    const k = current();
    const rows = k
      ? rankedTerms(k, state.lam).map((r) => ({
          w: r.w, overall: DATA.count[r.w], inTopic: DATA.count[r.w] * DATA.share[r.w][k - 1],
          p: r.p, lift: r.p / r.pCorpus,
        }))
      : DATA.overall.map((w) => ({ w, overall: DATA.count[w], inTopic: null }));
    byId("terms-title").textContent = k
      ? fill(TEXT.topic_title, { n: rows.length, label: TOPICS[k - 1].label })
      : fill(TEXT.overall_title, { n: rows.length });
    byId("legend-topic").hidden = !k;
    // A seeded topic's seed words carry a mark (policytopics.explorer.topic_terms' "seed").
    const seeds = new Set(k ? TOPICS[k - 1].seeds || [] : []);
    byId("legend-seed").hidden = seeds.size === 0;
    const scale = Math.max(...rows.map((r) => r.overall)) || 1;
    const bars = byId("bars");
    bars.replaceChildren();
    for (const r of rows) {
      const word = DATA.vocab[r.w];
      const row = make("div", seeds.has(r.w) ? "bar-row seed" : "bar-row");
      const track = make("div", "track");
      const overall = make("div", "bar overall");
      overall.style.width = percent(r.overall / scale);
      track.append(overall);
      if (r.inTopic !== null) {
        const inTopic = make("div", "bar in-topic");
        inTopic.style.width = percent(r.inTopic / scale);
        track.append(inTopic);
        row.title = fill(TEXT.term_tooltip, {
          word, in_topic: estimate(r.inTopic), overall: integer(r.overall),
          p: r.p.toPrecision(3), lift: r.lift.toPrecision(3),
        });
      } else {
        row.title = fill(TEXT.overall_tooltip, { word, overall: integer(r.overall) });
      }
      const value = r.inTopic !== null
        ? estimate(r.inTopic) + " / " + integer(r.overall)
        : integer(r.overall);
      const term = make("span", "term", word);
      if (seeds.has(r.w)) {
        term.prepend(make("span", "seed-mark"));
        row.title += " · " + TEXT.seed_word;
      }
      row.append(term, track, make("span", "value", value));
      row.addEventListener("mouseenter", () => { state.term = r.w; renderMap(); });
      row.addEventListener("mouseleave", () => { state.term = -1; renderMap(); });
      bars.append(row);
    }
  }

  function render() {
    renderMap();
    renderBars();
  }

  // ---- state in the address (#topic=3&lambda=0.60), so a view can be shared
  function readHash() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const k = Number(params.get("topic"));
    if (Number.isInteger(k) && k >= 1 && k <= K) state.pinned = k;
    const lam = Number(params.get("lambda"));
    if (params.has("lambda") && lam >= 0 && lam <= 1) state.lam = Math.round(lam * 100) / 100;
  }

  function writeHash() {
    try {
      window.history.replaceState(null, "", "#topic=" + state.pinned + "&lambda=" + state.lam.toFixed(2));
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; the view still works.
    }
  }

  const slider = byId("lambda");
  slider.addEventListener("input", () => {
    state.lam = Number(slider.value);
    byId("lambda-value").textContent = state.lam.toFixed(2);
    renderBars();
  });
  slider.addEventListener("change", writeHash);
  byId("clear").addEventListener("click", () => pin(0));
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement) return;
    if (event.key === "Escape") pin(0);
    else if (event.key === "ArrowRight") pin((current() % K) + 1);
    else if (event.key === "ArrowLeft") pin(((current() || 1) + K - 2) % K + 1);
  });

  byId("summary").textContent = fill(TEXT.summary, {
    k: K, terms: DATA.n_terms.toLocaleString(), tokens: DATA.total_tokens.toLocaleString(),
  });
  readHash();
  slider.value = state.lam;
  byId("lambda-value").textContent = state.lam.toFixed(2);
  render();
})();
