/*! Ask VixShield widget: plain JavaScript, no build step, no framework.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-api="https://HOST" data-title="Ask VixShield"
 *           data-accent="#0b6efd" data-position="right" data-greeting="..."
 *           data-suggestions="What is the ALVH?|Iron condor break-evens" defer></script>
 *
 * Safety: text from the API (answers, passages, titles, calculator values) only
 * ever reaches the page through textContent, createTextNode and attribute
 * setters; nothing untrusted goes through innerHTML. Links must be http(s).
 */
(function () {
  "use strict";

  if (window.__vixshieldWidgetLoaded) return;
  window.__vixshieldWidgetLoaded = true;

  // ------------------------------------------------------------------ config

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all[all.length - 1] || null;
  })();
  var data = (script && script.dataset) || {};

  function scriptOrigin() {
    try { return new URL(script.src, location.href).origin; } catch (e) { return location.origin; }
  }

  function cleanApi(value) {
    var raw = (value || "").trim() || scriptOrigin();
    try {
      var u = new URL(raw, location.href);
      if (u.protocol !== "http:" && u.protocol !== "https:") return scriptOrigin();
      return u.href.replace(/\/+$/, "");
    } catch (e) {
      return scriptOrigin();
    }
  }

  var DEFAULT_ACCENT = "#0b6efd";
  var config = {
    api: cleanApi(data.api),
    title: (data.title || "Ask VixShield").slice(0, 80),
    accent: data.accent && window.CSS && CSS.supports && CSS.supports("color", data.accent) ? data.accent : DEFAULT_ACCENT,
    position: data.position === "left" ? "left" : "right",
    greeting: data.greeting || "Hi! Ask me about SPX iron condors, the ALVH hedge, or run a quick calculation. Answers cite the VixShield knowledge base.",
    suggestions: (data.suggestions || "What is the ALVH?|Iron condor break-evens")
      .split("|").map(function (s) { return s.trim(); }).filter(Boolean).slice(0, 6),
    mode: data.mode === "page" ? "page" : "launcher",
    target: data.target || "",
    open: data.open === "true",
    disclaimer: data.disclaimer || "Educational, not financial advice.",
    supportUrl: data.supportUrl || "", // "Ask our team" link on a "not covered" reply (http(s) only)
  };
  var MAX_MESSAGE = 4000;
  var MAX_STORED = 60;
  var STORE_KEY = "vixshield.chat:" + config.api;
  var OPEN_KEY = "vixshield.open:" + config.api;
  var IDLE_TIMEOUT_MS = 60000;

  // ------------------------------------------------------------------ helpers

  var SVG_NS = "http://www.w3.org/2000/svg";
  var uid = 0;
  function nextId(prefix) { uid += 1; return "vs-" + prefix + "-" + uid; }

  /** Build an element: el("div", {class: "x", "aria-label": "y"}, [children or strings]). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = String(v);
      else if (k.slice(0, 2) === "on" && typeof v === "function") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    });
  }
  function append(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function safeHref(url) {
    if (typeof url !== "string" || !url.trim()) return null;
    try {
      var u = new URL(url.trim(), config.api + "/");
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }
  function fmtNum(v, maxDigits) {
    if (!isNum(v)) return String(v);
    var abs = Math.abs(v);
    var digits = maxDigits !== undefined ? maxDigits : abs >= 100000 ? 0 : abs >= 1 ? 2 : 3;
    return v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 }).replace(/^-/, "\u2212");
  }
  function fmtMoney(v) {
    if (!isNum(v)) return String(v);
    var abs = Math.abs(v);
    var big = abs >= 1000 || Number.isInteger(v);
    var s = abs.toLocaleString("en-US", { maximumFractionDigits: big ? 0 : 2, minimumFractionDigits: big ? 0 : 2 });
    return (v < 0 ? "\u2212$" : "$") + s;
  }
  function fmtPct(fraction) {
    return isNum(fraction) ? (fraction * 100).toLocaleString("en-US", { maximumFractionDigits: 1 }) + "%" : String(fraction);
  }

  var WORDS = { pop: "probability of profit", iv: "IV", pnl: "P/L", dte: "DTE", spx: "SPX", vix: "VIX",
    alvh: "ALVH", usd: "($)", pct: "(%)", bp: "BP", bps: "bps", otm: "OTM", itm: "ITM", atm: "ATM",
    ev: "EV", id: "ID", rr: "R:R", roc: "ROC", bpr: "BPR", dollars: "($)" };
  function humanize(key) {
    var words = String(key).replace(/([a-z])([A-Z])/g, "$1_$2").split(/[_\s-]+/).filter(Boolean)
      .map(function (w) { var lw = w.toLowerCase(); return WORDS.hasOwnProperty(lw) ? WORDS[lw] : lw; });
    var s = words.join(" ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  /** A calculator value made readable: probabilities as percentages, dollars with $, rounded numbers. */
  function formatValue(key, v) {
    var k = String(key).toLowerCase();
    if (typeof v === "boolean") return v ? "Yes" : "No";
    if (v === null || v === undefined) return "\u2014";
    if (typeof v === "string") return v.length > 80 ? v.slice(0, 79) + "\u2026" : v;
    if (Array.isArray(v)) {
      if (v.length && v.length <= 4 && v.every(isNum)) return v.map(function (x) { return formatValue(key, x); }).join(" / ");
      return null;
    }
    if (!isNum(v)) return null;
    if (/(^|_)(pct|percent)($|_)/.test(k)) return fmtNum(v, 1) + "%";
    if (/prob|(^|_)pop($|_)|^p_|chance|likelihood/.test(k) && v >= 0 && v <= 1) return fmtPct(v);
    if (/(dollar|usd|_cash|per_contract|notional)/.test(k)) return fmtMoney(v);
    if (/(^|_)(iv|vol|volatility|sigma|rate|yield)($|_)/.test(k) && Math.abs(v) < 5) return fmtPct(v);
    return fmtNum(v);
  }

  function lsGet(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function lsSet(key, v) { try { window.localStorage.setItem(key, v); } catch (e) { /* private mode */ } }
  function lsDel(key) { try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ } }
  function ssGet(key) { try { return window.sessionStorage.getItem(key); } catch (e) { return null; } }
  function ssSet(key, v) { try { window.sessionStorage.setItem(key, v); } catch (e) { /* private mode */ } }

  // ------------------------------------------------------------------ icons (inline SVG, no emoji font needed)

  function icon(name, size) {
    var paths = {
      chat: "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z",
      close: "M6 6l12 12M18 6L6 18",
      send: "M4 12l15-7-5 15-3-6.5z",
      reset: "M4 12a8 8 0 1 0 2.4-5.7M4 4v4.5h4.5",
      up: "M7 10v10H4V10zM7 10l4-7c1.7 0 2.6 1.1 2.3 2.7L12.8 9H18a2 2 0 0 1 2 2.3l-1.2 7A2 2 0 0 1 16.8 20H7",
      down: "M7 14V4H4v10zM7 14l4 7c1.7 0 2.6-1.1 2.3-2.7L12.8 15H18a2 2 0 0 0 2-2.3l-1.2-7A2 2 0 0 0 16.8 4H7",
      alert: "M12 8v5M12 16.5v.5M10.3 3.9L2.6 17.5A2 2 0 0 0 4.3 20.5h15.4a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
      shield: "M12 3l7 3v5c0 4.4-3 8.3-7 9.5C8 19.3 5 15.4 5 11V6z",
    };
    var filled = name === "chat" || name === "shield";
    return svg("svg", { viewBox: "0 0 24 24", width: size || 20, height: size || 20, "aria-hidden": "true", focusable: "false", class: "vs-icon" }, [
      svg("path", { d: paths[name], fill: filled ? "currentColor" : "none", stroke: filled ? "none" : "currentColor",
        "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round" }),
    ]);
  }

  // ------------------------------------------------------------------ safe Markdown subset

  // Inline: **bold**, __bold__, *italic*, _italic_, `code`, [text](http(s) url), citation markers [1] / [1, 2].
  var INLINE = /(\*\*([^*\n]+?)\*\*)|(__([^_\n]+?)__)|(`([^`\n]+)`)|(\[([^\]\n]+)\]\(([^)\s]+)\))|(\[(\d+(?:\s*,\s*\d+)*)\])|(\*([^*\s](?:[^*\n]*?[^*\s])?)\*)|((?:^|[\s(])_([^_\s](?:[^_\n]*?[^_\s])?)_(?=$|[\s.,;:!?)]))/;

  function renderInline(text, ctx, out) {
    var rest = text;
    while (rest) {
      var m = INLINE.exec(rest);
      if (!m) { out.push(document.createTextNode(rest)); break; }
      if (m.index > 0) out.push(document.createTextNode(rest.slice(0, m.index)));
      if (m[1]) out.push(el("strong", null, renderInline(m[2], ctx, [])));
      else if (m[3]) out.push(el("strong", null, renderInline(m[4], ctx, [])));
      else if (m[5]) out.push(el("code", { text: m[6] }));
      else if (m[7]) {
        var href = safeHref(m[9]);
        var label = renderInline(m[8], ctx, []);
        if (href && /^https?:/i.test(m[9].trim())) {
          out.push(el("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow" }, label));
        } else {
          out.push.apply(out, label);
        }
      } else if (m[10]) {
        var ids = m[11].split(",").map(function (s) { return parseInt(s, 10); });
        var chips = ids.map(function (n) { return ctx.citation ? ctx.citation(n) : null; });
        if (chips.every(Boolean)) {
          var group = el("span", { class: "vs-cites" });
          chips.forEach(function (c) { group.appendChild(c); });
          out.push(group);
        } else {
          out.push(document.createTextNode(m[0]));
        }
      } else if (m[12]) out.push(el("em", null, renderInline(m[13], ctx, [])));
      else if (m[14]) {
        if (m[14].charAt(0) !== "_") out.push(document.createTextNode(m[14].charAt(0)));
        out.push(el("em", null, renderInline(m[15], ctx, [])));
      }
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }

  function paragraph(lines, ctx) {
    var p = el("p");
    lines.forEach(function (line, i) {
      if (i) p.appendChild(el("br"));
      append(p, renderInline(line, ctx, []));
    });
    return p;
  }

  function splitRow(line) {
    return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map(function (c) { return c.trim(); });
  }

  /** Markdown (subset) to a DocumentFragment built with DOM APIs only. */
  function renderMarkdown(src, ctx) {
    var frag = document.createDocumentFragment();
    var lines = String(src || "").replace(/\r\n?/g, "\n").split("\n");
    var i = 0;
    var para = [];
    function flush() { if (para.length) { frag.appendChild(paragraph(para, ctx)); para = []; } }
    while (i < lines.length) {
      var line = lines[i];
      var m;
      if (!line.trim()) { flush(); i++; continue; }
      if ((m = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line))) {
        flush();
        frag.appendChild(el("p", { class: "vs-h" }, el("strong", null, renderInline(m[2].replace(/\s#+\s*$/, ""), ctx, []))));
        i++; continue;
      }
      if (/^\s*[-*+]\s+/.test(line) || /^\s*\d{1,3}[.)]\s+/.test(line)) {
        flush();
        var ordered = /^\s*\d/.test(line);
        var list = el(ordered ? "ol" : "ul");
        var re = ordered ? /^\s*(\d{1,3})[.)]\s+(.*)$/ : /^\s*[-*+]\s+(.*)$/;
        var first = true;
        var li = null;
        while (i < lines.length) {
          var mm = re.exec(lines[i]);
          if (mm) {
            if (ordered && first && mm[1] !== "1") list.setAttribute("start", String(parseInt(mm[1], 10)));
            li = el("li", null, renderInline(ordered ? mm[2] : mm[1], ctx, []));
            list.appendChild(li);
            first = false; i++;
          } else if (li && lines[i].trim() && /^\s{2,}/.test(lines[i]) && !/^\s*[-*+]\s+/.test(lines[i])) {
            li.appendChild(el("br")); append(li, renderInline(lines[i].trim(), ctx, [])); i++;
          } else break;
        }
        frag.appendChild(list);
        continue;
      }
      if (/^\s*\|.*\|\s*$/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(lines[i + 1])) {
        flush();
        var head = splitRow(line);
        var table = el("table", { class: "vs-mdtable" });
        var thead = el("thead", null, el("tr", null, head.map(function (h) { return el("th", { scope: "col" }, renderInline(h, ctx, [])); })));
        var tbody = el("tbody");
        i += 2;
        while (i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i])) {
          tbody.appendChild(el("tr", null, splitRow(lines[i]).map(function (c) { return el("td", null, renderInline(c, ctx, [])); })));
          i++;
        }
        table.appendChild(thead); table.appendChild(tbody);
        frag.appendChild(el("div", { class: "vs-tablewrap" }, table));
        continue;
      }
      if ((m = /^\s*>\s?(.*)$/.exec(line))) {
        flush();
        var quote = [];
        while (i < lines.length && (m = /^\s*>\s?(.*)$/.exec(lines[i]))) { quote.push(m[1]); i++; }
        frag.appendChild(el("blockquote", null, paragraph(quote, ctx)));
        continue;
      }
      para.push(line);
      i++;
    }
    flush();
    return frag;
  }

  // ------------------------------------------------------------------ payoff chart (inline SVG)

  function pick(obj, names) {
    for (var i = 0; i < names.length; i++) {
      if (obj && isNum(obj[names[i]])) return obj[names[i]];
    }
    return null;
  }

  function condorLegs(inputs) {
    inputs = inputs || {};
    var s = inputs.strikes;
    if (Array.isArray(s) && s.length === 4 && s.every(isNum)) {
      var sorted = s.slice().sort(function (a, b) { return a - b; });
      return { lp: sorted[0], sp: sorted[1], sc: sorted[2], lc: sorted[3] };
    }
    var legs = {
      lp: pick(inputs, ["long_put", "long_put_strike", "put_long", "put_long_strike", "lp"]),
      sp: pick(inputs, ["short_put", "short_put_strike", "put_short", "put_short_strike", "sp"]),
      sc: pick(inputs, ["short_call", "short_call_strike", "call_short", "call_short_strike", "sc"]),
      lc: pick(inputs, ["long_call", "long_call_strike", "call_long", "call_long_strike", "lc"]),
    };
    return legs.lp !== null && legs.sp !== null && legs.sc !== null && legs.lc !== null ? legs : null;
  }

  /** {prices, expiry, eval, unit, multiplier} for an iron-condor calculation, or null. */
  function payoffSeries(calc) {
    var inputs = calc.inputs || {};
    var outputs = calc.outputs || {};
    var multiplier = pick(inputs, ["multiplier"]) || pick(outputs, ["multiplier"]) || 100;
    var curve = outputs.curve;
    if (curve && Array.isArray(curve.prices) && Array.isArray(curve.pnl_expiry) &&
        curve.prices.length >= 2 && curve.prices.length === curve.pnl_expiry.length &&
        curve.prices.every(isNum) && curve.pnl_expiry.every(isNum)) {
      var evalOk = Array.isArray(curve.pnl_eval) && curve.pnl_eval.length === curve.prices.length && curve.pnl_eval.every(isNum);
      // The curve's unit: dollars per contract when it says so or when the values are clearly dollars.
      var unit = curve.unit || curve.units || null;
      return { prices: curve.prices, expiry: curve.pnl_expiry, eval: evalOk ? curve.pnl_eval : null, unit: unit, multiplier: multiplier };
    }
    var legs = condorLegs(inputs);
    var credit = pick(inputs, ["credit", "net_credit", "premium"]);
    if (credit === null) credit = pick(outputs, ["credit", "net_credit"]);
    if (!legs || credit === null) return null;
    var w = Math.max(legs.sp - legs.lp, legs.lc - legs.sc, 1);
    var lo = legs.lp - w * 1.5;
    var hi = legs.lc + w * 1.5;
    var spot = pick(inputs, ["spot", "underlying", "price"]);
    if (spot !== null) { lo = Math.min(lo, spot - w); hi = Math.max(hi, spot + w); }
    var xs = [lo, legs.lp, legs.sp, legs.sc, legs.lc, hi];
    var pnl = xs.map(function (x) {
      return credit - Math.max(legs.sp - x, 0) + Math.max(legs.lp - x, 0) - Math.max(x - legs.sc, 0) + Math.max(x - legs.lc, 0);
    });
    return { prices: xs, expiry: pnl, eval: null, unit: "points", multiplier: multiplier };
  }

  /** The payoff figure; opts.evalLabel names the dashed "at date" curve (default "today"). */
  function payoffChart(calc, opts) {
    opts = opts || {};
    var series = payoffSeries(calc);
    if (!series) return null;
    var inputs = calc.inputs || {};
    var outputs = calc.outputs || {};
    // Show dollars per contract; the curve may be in index points (small numbers) or dollars already.
    var maxAbs = Math.max.apply(null, series.expiry.map(Math.abs));
    var unit = series.unit;
    if (!unit) {
      var credit = pick(inputs, ["credit", "net_credit"]) || 0;
      var legs = condorLegs(inputs);
      var wing = legs ? Math.max(legs.sp - legs.lp, legs.lc - legs.sc) : 50;
      unit = maxAbs <= (wing + Math.abs(credit)) * 1.5 ? "points" : "dollars";
    }
    var contracts = pick(inputs, ["contracts"]) || 1;
    var k = /point/i.test(unit) ? series.multiplier * contracts : 1;
    var ys = series.expiry.map(function (v) { return v * k; });
    var ye = series.eval ? series.eval.map(function (v) { return v * k; }) : null;
    var xs = series.prices;

    var be = [pick(outputs, ["lower_breakeven", "breakeven_lower", "lower_break_even"]),
      pick(outputs, ["upper_breakeven", "breakeven_upper", "upper_break_even"])].filter(function (v) { return v !== null; });
    if (!be.length && Array.isArray(outputs.breakevens)) be = outputs.breakevens.filter(isNum);
    var spot = pick(inputs, ["spot", "underlying", "price"]);

    var W = 320, H = 176, L = 46, R = 10, T = 14, B = 34;
    var xmin = Math.min.apply(null, xs), xmax = Math.max.apply(null, xs);
    var all = ys.concat(ye || []);
    var ymin = Math.min(0, Math.min.apply(null, all)), ymax = Math.max(0, Math.max.apply(null, all));
    if (ymax === ymin) { ymax += 1; ymin -= 1; }
    var pad = (ymax - ymin) * 0.1;
    ymax += pad; ymin -= pad;
    function X(v) { return L + (v - xmin) / (xmax - xmin || 1) * (W - L - R); }
    function Y(v) { return T + (ymax - v) / (ymax - ymin) * (H - T - B); }
    function pts(arr) { return xs.map(function (x, i) { return X(x).toFixed(1) + "," + Y(arr[i]).toFixed(1); }).join(" "); }

    var maxProfit = Math.max.apply(null, ys), maxLoss = Math.min.apply(null, ys);
    var label = "Payoff at expiry" + (contracts > 1 ? " for " + contracts + " contracts" : "") + ": maximum profit " + fmtMoney(maxProfit) + ", maximum loss " + fmtMoney(maxLoss) +
      (be.length ? ", break-evens " + be.map(function (b) { return fmtNum(b, 2); }).join(" and ") : "") +
      (spot !== null ? ", spot " + fmtNum(spot, 2) : "") + ".";

    var up = nextId("clip"), dn = nextId("clip");
    var zero = Y(0);
    var area = L.toFixed(1) + "," + zero.toFixed(1) + " " + pts(ys) + " " + (W - R).toFixed(1) + "," + zero.toFixed(1);
    var g = [
      svg("title", { text: "Iron condor payoff at expiry" }),
      svg("desc", { text: label }),
      svg("defs", null, [
        svg("clipPath", { id: up }, svg("rect", { x: L, y: 0, width: W - L - R, height: Math.max(zero, 0) })),
        svg("clipPath", { id: dn }, svg("rect", { x: L, y: zero, width: W - L - R, height: Math.max(H - zero, 0) })),
      ]),
      svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, class: "vs-plot-bg" }),
      svg("polygon", { points: area, class: "vs-area-profit", "clip-path": "url(#" + up + ")" }),
      svg("polygon", { points: area, class: "vs-area-loss", "clip-path": "url(#" + dn + ")" }),
      svg("line", { x1: L, x2: W - R, y1: zero, y2: zero, class: "vs-zero" }),
    ];
    if (ye) g.push(svg("path", { d: "M" + pts(ye).split(" ").join(" L"), class: "vs-line-eval", "data-series": "pnl-at" }));
    g.push(svg("polyline", { points: pts(ys), class: "vs-line", "data-series": "pnl-expiry" }));

    // Markers: break-evens (dashed) and spot (solid).
    var labelRow = H - B + 24;
    be.forEach(function (b, i) {
      if (b < xmin || b > xmax) return;
      var x = X(b);
      g.push(svg("line", { x1: x, x2: x, y1: T, y2: H - B, class: "vs-be", "data-marker": "breakeven" }));
      g.push(svg("text", { x: x, y: H - B + 12, "text-anchor": i === 0 ? "end" : "start", class: "vs-axis", text: fmtNum(b, 2) }));
    });
    if (spot !== null && spot >= xmin && spot <= xmax) {
      var sx = X(spot);
      g.push(svg("line", { x1: sx, x2: sx, y1: T, y2: H - B, class: "vs-spot", "data-marker": "spot" }));
      g.push(svg("text", { x: sx, y: T - 3, "text-anchor": "middle", class: "vs-axis vs-spot-label", text: "Spot " + fmtNum(spot, 2) }));
    }
    // Axes labels: y at max profit / 0 / max loss; x at the ends.
    var yLabels = [maxProfit, maxLoss];
    if (Math.abs(Y(0) - Y(maxProfit)) > 11 && Math.abs(Y(0) - Y(maxLoss)) > 11) yLabels.push(0);
    yLabels.forEach(function (v) {
      g.push(svg("text", { x: L - 4, y: Y(v) + 3, "text-anchor": "end", class: "vs-axis", text: fmtMoney(Math.round(v)) }));
    });
    g.push(svg("text", { x: L, y: labelRow, "text-anchor": "start", class: "vs-axis", text: fmtNum(xmin, 0) }));
    g.push(svg("text", { x: W - R, y: labelRow, "text-anchor": "end", class: "vs-axis", text: fmtNum(xmax, 0) }));
    g.push(svg("text", { x: (L + W - R) / 2, y: labelRow, "text-anchor": "middle", class: "vs-axis vs-axis-title", text: "Index at expiry" }));

    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "vs-payoff", role: "img", "aria-label": label, preserveAspectRatio: "xMidYMid meet" }, g);
    var legend = el("div", { class: "vs-legend", "aria-hidden": "true" }, [
      el("span", { class: "vs-key vs-key-line" }), "P/L at expiry ($" + (contracts > 1 ? ", " + contracts + " contracts" : "") + ")",
      ye ? el("span", { class: "vs-key vs-key-eval" }) : null, ye ? (opts.evalLabel || "today") : null,
      be.length ? el("span", { class: "vs-key vs-key-be" }) : null, be.length ? "break-even" : null,
      spot !== null ? el("span", { class: "vs-key vs-key-spot" }) : null, spot !== null ? "spot" : null,
    ]);
    return el("figure", { class: "vs-chart" }, [chart, legend]);
  }

  // ------------------------------------------------------------------ calculation card

  var PRIORITY = ["probability_of_profit", "pop", "max_profit", "max_profit_dollars", "max_loss", "max_loss_dollars",
    "lower_breakeven", "upper_breakeven", "expected_value", "expected_value_dollars", "risk_reward", "p_max_loss",
    "p_touch_short_put", "p_touch_short_call", "expected_move", "credit"];
  var SKIP_KEYS = { curve: true, notes: true };
  var MAX_ROWS = 6;
  var DOLLAR_SUFFIXES = ["_dollars", "_usd", "_per_contract"];

  function calcCard(calc) {
    var outputs = calc.outputs && typeof calc.outputs === "object" ? calc.outputs : {};
    var inputs = calc.inputs && typeof calc.inputs === "object" ? calc.inputs : {};
    var keys = Object.keys(outputs);
    keys.sort(function (a, b) {
      var ia = PRIORITY.indexOf(a), ib = PRIORITY.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    // A value in points and its twin in dollars make one row, "$4,650 · 46.5 pts":
    // "max_loss" + "max_loss_dollars" (points, dollars) or "max_loss" + "max_loss_points" (dollars, points).
    var pairs = {}; // row key -> {points: key, dollars: key}
    var taken = {};
    keys.forEach(function (key) {
      if (!isNum(outputs[key])) return;
      DOLLAR_SUFFIXES.forEach(function (suf) {
        var base = key.slice(0, -suf.length);
        if (key.length > suf.length && key.slice(-suf.length) === suf && isNum(outputs[base])) {
          pairs[base] = { points: base, dollars: key }; taken[key] = true;
        }
      });
      var pbase = key.slice(0, -"_points".length);
      if (/_points$/.test(key) && isNum(outputs[pbase])) { pairs[pbase] = { points: key, dollars: pbase }; taken[key] = true; }
    });
    var rows = [];
    function addRow(label, value) { rows.push(el("tr", null, [el("th", { scope: "row", text: label }), el("td", { text: value })])); }
    keys.forEach(function (key) {
      if (taken[key] || SKIP_KEYS[key]) return;
      var value = outputs[key];
      if (pairs[key]) {
        addRow(humanize(key), fmtMoney(outputs[pairs[key].dollars]) + " \u00b7 " + fmtNum(outputs[pairs[key].points]) + " pts");
        return;
      }
      if (value && typeof value === "object" && !Array.isArray(value)) {
        Object.keys(value).forEach(function (sub) {
          var sv = isNum(value[sub]) ? formatValue(sub, value[sub]) : null;
          if (sv !== null) addRow(humanize(key + "_" + sub), sv);
        });
        return;
      }
      var v = formatValue(key, value);
      if (v !== null) addRow(humanize(key), v);
    });
    var notes = Array.isArray(outputs.notes) ? outputs.notes.filter(function (n) { return typeof n === "string" && n; }).slice(0, 4) : [];
    var extra = rows.slice(MAX_ROWS);
    rows = rows.slice(0, MAX_ROWS);
    var name = humanize(String(calc.calculator || "calculation"));
    var inputText = Object.keys(inputs).filter(function (k) {
      if (inputs[k] === null || inputs[k] === undefined || /^(multiplier|rate|dividend)$/.test(k)) return false;
      if (k === "contracts" && inputs[k] === 1) return false;
      return formatValue(k, inputs[k]) !== null;
    }).slice(0, 10)
      .map(function (k) { return humanize(k) + " " + formatValue(k, inputs[k]); }).join(" \u00b7 ");
    var card = el("section", { class: "vs-calc", "aria-label": name + " result", "data-calculator": String(calc.calculator || "") }, [
      el("div", { class: "vs-calc-title", text: name }),
      inputText ? el("div", { class: "vs-calc-inputs", text: "Inputs: " + inputText }) : null,
      rows.length ? el("div", { class: "vs-tablewrap" }, el("table", { class: "vs-calc-table" }, [
        el("caption", { class: "vs-sr", text: name + ": key results" }),
        el("tbody", null, rows),
      ])) : null,
      extra.length ? el("details", { class: "vs-more" }, [
        el("summary", { text: "All results (" + (rows.length + extra.length) + ")" }),
        el("div", { class: "vs-tablewrap" }, el("table", { class: "vs-calc-table" }, el("tbody", null, extra))),
      ]) : null,
      notes.length ? el("ul", { class: "vs-calc-notes" }, notes.map(function (n) { return el("li", { text: n }); })) : null,
    ]);
    if (/iron[-_ ]?condor/i.test(String(calc.calculator || ""))) {
      var chart = payoffChart(calc);
      if (chart) {
        card.appendChild(chart);
        var controls = whatIfControls(calc, card, chart);
        if (controls) card.appendChild(controls);
      }
    }
    return card;
  }

  // ------------------------------------------------------------------ what-if sliders and P/L grid

  var WHATIF_DEBOUNCE_MS = 180;

  function whenText(atDays, days) {
    if (atDays >= days) return "at expiry";
    if (atDays <= 0) return "today";
    return "in " + fmtNum(atDays, 1) + (atDays === 1 ? " day" : " days");
  }
  function shiftText(shift) {
    return shift === 0 ? "no IV change" : "IV " + (shift > 0 ? "+" : "\u2212") + fmtNum(Math.abs(shift), 1) + " pts";
  }

  /**
   * Below an iron condor's payoff chart: a date slider (today -> expiry) and a volatility-shift
   * slider. Moving either asks POST /v1/calculators/iron-condor (debounced; never the chat) for
   * the P/L at that date and volatility, and redraws the dashed curve. A toggle shows the P/L grid
   * (index levels x dates) as a table. Needs days and a volatility in the calculation's inputs.
   */
  function whatIfControls(calc, card, chart) {
    var inputs = calc.inputs || {};
    var days = pick(inputs, ["days"]);
    var ivs = inputs.ivs && typeof inputs.ivs === "object" ? Object.keys(inputs.ivs).map(function (k) { return inputs.ivs[k]; }).filter(isNum) : [];
    var iv = pick(inputs, ["iv"]);
    var vols = iv !== null ? [iv] : ivs;
    if (days === null || days <= 0 || !vols.length || String(calc.calculator) !== "iron-condor") return null;
    var lowest = Math.min.apply(null, vols);
    var base = {};
    Object.keys(inputs).forEach(function (k) {
      if (inputs[k] !== null && inputs[k] !== undefined && !/^(at_days|iv_shift|at_iv|at_spot|grid_spots|grid_days|eval_days)$/.test(k)) base[k] = inputs[k];
    });
    var state = { atDays: isNum(inputs.at_days) ? Math.min(inputs.at_days, days) : 0, shift: isNum(inputs.iv_shift) ? inputs.iv_shift : 0,
      grid: false, seq: 0, timer: null, ctrl: null, figure: chart };
    // The P/L table's columns: today, a third and two thirds of the way, expiry (whole days when there are enough).
    var gridDays = [0, days / 3, 2 * days / 3, days].map(function (d) { return days >= 6 ? Math.round(d) : d; })
      .filter(function (d, i, a) { return a.indexOf(d) === i; });
    var volMin = -Math.max(0, Math.min(20, Math.floor(lowest * 100 - 1))), volMax = 30;
    var idDate = nextId("date"), idVol = nextId("vol"), idGrid = nextId("grid");

    function ivText(shift) {
      var lo = lowest * 100 + shift, hi = Math.max.apply(null, vols) * 100 + shift;
      return "IV " + fmtNum(lo, 1) + (hi - lo > 0.05 ? "\u2013" + fmtNum(hi, 1) : "") + "%";
    }
    function dateValueText(v) { return (v <= 0 ? "Today" : v >= days ? "At expiry" : "In " + fmtNum(v, 1) + " days") + ", " + fmtNum(Math.max(days - v, 0), 1) + " days to expiry"; }
    function volValueText(v) { return (v === 0 ? "No change" : (v > 0 ? "+" : "\u2212") + fmtNum(Math.abs(v), 1) + " volatility points") + " (" + ivText(v) + ")"; }

    var date = el("input", { type: "range", id: idDate, class: "vs-slider", min: 0, max: days, step: days >= 2 ? 1 : days / 10, value: state.atDays,
      "data-whatif": "days", "aria-valuetext": dateValueText(state.atDays) });
    var vol = el("input", { type: "range", id: idVol, class: "vs-slider", min: volMin, max: volMax, step: 1, value: state.shift,
      "data-whatif": "iv-shift", "aria-valuetext": volValueText(state.shift) });
    var dateOut = el("output", { for: idDate, class: "vs-slider-value", text: dateValueText(state.atDays) });
    var volOut = el("output", { for: idVol, class: "vs-slider-value", text: volValueText(state.shift) });
    var summary = el("div", { class: "vs-whatif-summary", role: "status", "aria-live": "polite" });
    var gridBox = el("div", { class: "vs-whatif-grid", id: idGrid, hidden: true });
    var toggle = el("button", { type: "button", class: "vs-whatif-toggle", "aria-expanded": "false", "aria-controls": idGrid,
      text: "Show P/L table" });

    function describe(out) {
      var w = out && out.what_if;
      if (!w || !isNum(w.pnl)) { summary.textContent = ""; return; }
      clear(summary);
      append(summary, ["P/L " + whenText(w.at_days, days) + " at " + fmtNum(w.spot, 2) + ", " + ivText(w.iv_shift) +
        (w.iv_shift ? " (" + (w.iv_shift > 0 ? "+" : "\u2212") + fmtNum(Math.abs(w.iv_shift), 1) + " pts)" : "") + ": ",
        el("span", { class: "vs-nowrap", text: fmtMoney(w.pnl) }), (w.contracts > 1 ? " for " + w.contracts + " contracts" : "") + "."]);
    }
    function gridTable(grid) {
      clear(gridBox);
      if (!grid || !Array.isArray(grid.spots) || !Array.isArray(grid.days) || !Array.isArray(grid.pnl)) return;
      var head = el("tr", null, [el("th", { scope: "col", text: "Index" })].concat(grid.days.map(function (d) {
        return el("th", { scope: "col", text: d <= 0 ? "Today" : d >= days ? "Expiry" : "Day " + fmtNum(d, 1) });
      })));
      var rows = grid.spots.map(function (level, i) {
        var row = Array.isArray(grid.pnl[i]) ? grid.pnl[i] : [];
        return el("tr", null, [el("th", { scope: "row", text: fmtNum(level, 0) })].concat(row.map(function (v) {
          return el("td", { class: isNum(v) && v > 0 ? "vs-pos" : isNum(v) && v < 0 ? "vs-neg" : null, text: isNum(v) ? fmtMoney(Math.round(v)) : "\u2014" });
        })));
      });
      gridBox.appendChild(el("div", { class: "vs-tablewrap" }, el("table", { class: "vs-grid-table" }, [
        el("caption", { text: "P/L ($) by index level and day, " + shiftText(state.shift) }),
        el("thead", null, head), el("tbody", null, rows),
      ])));
    }
    function request() {
      var body = Object.assign({}, base, { at_days: state.atDays, iv_shift: state.shift });
      if (state.grid) { body.grid_spots = 9; body.grid_days = gridDays; }
      if (state.ctrl && state.ctrl.abort) state.ctrl.abort();
      state.ctrl = typeof AbortController === "function" ? new AbortController() : null;
      var seq = ++state.seq;
      card.setAttribute("aria-busy", "true");
      fetch(config.api + "/v1/calculators/iron-condor", {
        method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
        body: JSON.stringify(body), signal: state.ctrl ? state.ctrl.signal : undefined,
      }).then(function (res) {
        return res.json().then(function (data) { if (!res.ok) throw new Error(data && typeof data.detail === "string" ? data.detail : "HTTP " + res.status); return data; });
      }).then(function (data) {
        if (seq !== state.seq || !data || !data.outputs) return;
        var label = whenText(state.atDays, days) + (state.shift ? ", " + shiftText(state.shift) : "");
        var figure = payoffChart({ calculator: calc.calculator, inputs: data.inputs, outputs: data.outputs }, { evalLabel: label });
        if (figure && state.figure && state.figure.parentNode === card) { card.replaceChild(figure, state.figure); state.figure = figure; }
        describe(data.outputs);
        if (state.grid) gridTable(data.outputs.grid);
        card.removeAttribute("aria-busy");
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        if (seq !== state.seq) return;
        card.removeAttribute("aria-busy");
        summary.textContent = "Could not update the chart: " + (err && err.message ? err.message : "the server did not answer") + ".";
      });
    }
    function schedule() {
      clearTimeout(state.timer);
      state.timer = setTimeout(request, WHATIF_DEBOUNCE_MS);
    }
    date.addEventListener("input", function () {
      state.atDays = Math.min(Math.max(parseFloat(date.value) || 0, 0), days);
      var t = dateValueText(state.atDays);
      date.setAttribute("aria-valuetext", t); dateOut.textContent = t;
      schedule();
    });
    vol.addEventListener("input", function () {
      state.shift = parseFloat(vol.value) || 0;
      var t = volValueText(state.shift);
      vol.setAttribute("aria-valuetext", t); volOut.textContent = t;
      schedule();
    });
    toggle.addEventListener("click", function () {
      state.grid = !state.grid;
      toggle.setAttribute("aria-expanded", state.grid ? "true" : "false");
      toggle.textContent = state.grid ? "Hide P/L table" : "Show P/L table";
      gridBox.hidden = !state.grid;
      if (state.grid) { clear(gridBox); gridBox.appendChild(el("div", { class: "vs-calc-notes", text: "Loading the P/L table\u2026" })); request(); }
    });
    return el("div", { class: "vs-whatif", role: "group", "aria-label": "What-if: P/L by date and volatility" }, [
      el("div", { class: "vs-whatif-row" }, [el("label", { for: idDate, text: "Date" }), date, dateOut]),
      el("div", { class: "vs-whatif-row" }, [el("label", { for: idVol, text: "IV shift" }), vol, volOut]),
      summary, toggle, gridBox,
    ]);
  }

  // ------------------------------------------------------------------ SSE over fetch

  /** POST and read Server-Sent Events from the response body; calls onEvent(name, data) per event. */
  function streamChat(body, handlers, signal) {
    return fetch(config.api + "/v1/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: signal,
      credentials: "omit",
      mode: "cors",
    }).then(function (res) {
      if (!res.ok) {
        return res.text().then(function (t) {
          var detail = null;
          try { detail = JSON.parse(t).detail; } catch (e) { /* not JSON */ }
          var err = new Error(typeof detail === "string" ? detail : "HTTP " + res.status);
          err.status = res.status;
          err.retryAfter = res.headers.get("Retry-After");
          err.fromServer = typeof detail === "string";
          throw err;
        });
      }
      var buf = "", evName = "", dataLines = [];
      if (!res.body || !res.body.getReader) {
        return res.text().then(function (t) { parseChunk(t, true); });
      }
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      function dispatch() {
        if (dataLines.length) handlers.onEvent(evName || "message", dataLines.join("\n"));
        evName = ""; dataLines = [];
      }
      function parseChunk(text, end) {
        buf += text;
        for (;;) {
          var m = /\r\n|\r|\n/.exec(buf);
          if (!m) break;
          // A lone \r at the very end may be the first half of \r\n: wait for more.
          if (m[0] === "\r" && m.index === buf.length - 1 && !end) break;
          var line = buf.slice(0, m.index);
          buf = buf.slice(m.index + m[0].length);
          if (line === "") { dispatch(); continue; }
          if (line.charAt(0) === ":") continue;
          var c = line.indexOf(":");
          var field = c < 0 ? line : line.slice(0, c);
          var value = c < 0 ? "" : line.slice(c + 1).replace(/^ /, "");
          if (field === "event") evName = value;
          else if (field === "data") dataLines.push(value);
        }
        if (end) { if (buf) { parseChunk("\n", true); } dispatch(); }
      }
      function pump() {
        return reader.read().then(function (r) {
          if (handlers.onActivity) handlers.onActivity();
          if (r.done) { parseChunk(decoder.decode(), true); return; }
          parseChunk(decoder.decode(r.value, { stream: true }), false);
          return pump();
        });
      }
      return pump();
    });
  }

  // ------------------------------------------------------------------ styles

  var CSS_TEXT = [
    ":host{all:initial;}",
    "*,*::before,*::after{box-sizing:border-box;}",
    ".vs-root{--vs-accent:" + DEFAULT_ACCENT + ";--vs-on-accent:#fff;--vs-ink:#14213d;--vs-muted:#5b6478;--vs-line:#e3e7ef;",
    "--vs-soft:color-mix(in srgb,var(--vs-accent) 10%,#fff);--vs-bot:#f4f6fa;--vs-profit:#13a36b;--vs-loss:#d6455d;",
    "font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;color:var(--vs-ink);}",
    ".vs-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;}",
    "button{font:inherit;color:inherit;cursor:pointer;}",
    ":focus-visible{outline:3px solid color-mix(in srgb,var(--vs-accent) 55%,#fff);outline-offset:2px;}",
    // launcher
    ".vs-launcher{position:fixed;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;",
    "background:var(--vs-accent);color:var(--vs-on-accent);box-shadow:0 8px 24px rgba(11,30,70,.28);display:flex;align-items:center;justify-content:center;",
    "transition:transform .18s ease,box-shadow .18s ease;}",
    ".vs-launcher:hover{transform:translateY(-2px);box-shadow:0 12px 28px rgba(11,30,70,.32);}",
    ".vs-right .vs-launcher{right:20px;}.vs-left .vs-launcher{left:20px;}",
    ".vs-launcher .vs-icon{width:28px;height:28px;}",
    // panel
    ".vs-panel{position:fixed;bottom:92px;z-index:2147483001;width:400px;max-width:calc(100vw - 32px);height:640px;max-height:calc(100vh - 112px);",
    "display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;",
    "box-shadow:0 18px 50px rgba(11,30,70,.25),0 2px 6px rgba(11,30,70,.08);border:1px solid var(--vs-line);",
    "transform-origin:bottom right;animation:vs-in .2s ease-out;}",
    ".vs-left .vs-panel{transform-origin:bottom left;}",
    ".vs-right .vs-panel{right:20px;}.vs-left .vs-panel{left:20px;}",
    ".vs-panel[hidden]{display:none;}",
    "@keyframes vs-in{from{opacity:0;transform:translateY(12px) scale(.98);}to{opacity:1;transform:none;}}",
    ".vs-page .vs-panel{position:relative;right:auto;left:auto;bottom:auto;width:100%;max-width:none;height:100%;max-height:none;border-radius:0;box-shadow:none;border:0;animation:none;}",
    ".vs-page{height:100%;}",
    // header
    ".vs-header{display:flex;align-items:center;gap:10px;padding:14px 12px 14px 16px;background:linear-gradient(135deg,var(--vs-accent),color-mix(in srgb,var(--vs-accent) 72%,#06224f));color:var(--vs-on-accent);}",
    ".vs-logo{flex:none;width:34px;height:34px;border-radius:10px;background:rgba(255,255,255,.18);display:flex;align-items:center;justify-content:center;}",
    ".vs-heading{flex:1;min-width:0;}",
    ".vs-title{margin:0;font-size:16px;font-weight:650;line-height:1.2;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}",
    ".vs-subtitle{margin:2px 0 0;font-size:12px;opacity:.85;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}",
    ".vs-hbtn{flex:none;width:34px;height:34px;border-radius:8px;border:0;background:transparent;color:inherit;display:flex;align-items:center;justify-content:center;}",
    ".vs-hbtn:hover{background:rgba(255,255,255,.16);}",
    // log
    ".vs-log{flex:1;overflow-y:auto;padding:16px 14px 8px;display:flex;flex-direction:column;gap:12px;overscroll-behavior:contain;scroll-behavior:smooth;}",
    ".vs-msg{display:flex;flex-direction:column;max-width:100%;}",
    ".vs-user{align-items:flex-end;}",
    ".vs-bubble{padding:10px 13px;border-radius:14px;max-width:88%;overflow-wrap:anywhere;}",
    ".vs-user .vs-bubble{background:var(--vs-accent);color:var(--vs-on-accent);border-bottom-right-radius:4px;white-space:pre-wrap;}",
    ".vs-bot .vs-bubble{background:var(--vs-bot);border-bottom-left-radius:4px;max-width:100%;}",
    ".vs-bubble p{margin:0 0 8px;}.vs-bubble p:last-child{margin-bottom:0;}",
    ".vs-bubble ul,.vs-bubble ol{margin:4px 0 8px;padding-left:20px;}.vs-bubble li{margin:2px 0;}",
    ".vs-bubble a{color:var(--vs-accent);text-decoration:underline;text-underline-offset:2px;}",
    ".vs-bubble code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12.5px;background:rgba(20,33,61,.07);padding:1px 4px;border-radius:4px;}",
    ".vs-bubble blockquote{margin:6px 0;padding-left:10px;border-left:3px solid var(--vs-line);color:var(--vs-muted);}",
    ".vs-h{font-size:14.5px;}",
    ".vs-greeting .vs-bubble{background:var(--vs-soft);}",
    ".vs-streaming .vs-bubble::after{content:'';display:inline-block;width:7px;height:14px;margin-left:2px;vertical-align:-2px;background:var(--vs-accent);animation:vs-blink 1s steps(2) infinite;}",
    "@keyframes vs-blink{50%{opacity:0;}}",
    ".vs-typing{display:inline-flex;gap:4px;padding:4px 0;}",
    ".vs-typing span{width:7px;height:7px;border-radius:50%;background:#9aa3b5;animation:vs-dot 1.2s infinite ease-in-out;}",
    ".vs-typing span:nth-child(2){animation-delay:.15s;}.vs-typing span:nth-child(3){animation-delay:.3s;}",
    "@keyframes vs-dot{0%,80%,100%{transform:translateY(0);opacity:.5;}40%{transform:translateY(-4px);opacity:1;}}",
    // citations
    ".vs-cites{white-space:nowrap;}",
    ".vs-cite{display:inline-flex;align-items:center;justify-content:center;min-width:20px;height:18px;padding:0 5px;margin:0 1px;border-radius:9px;",
    "font-size:11px;font-weight:650;line-height:1;vertical-align:2px;text-decoration:none!important;background:var(--vs-soft);color:var(--vs-accent)!important;border:1px solid color-mix(in srgb,var(--vs-accent) 28%,#fff);}",
    ".vs-cite:hover,.vs-cite:focus-visible{background:var(--vs-accent);color:var(--vs-on-accent)!important;}",
    "button.vs-cite{font:inherit;font-size:11px;font-weight:650;}",
    ".vs-sources{margin:8px 0 0;padding:0;list-style:none;display:flex;flex-direction:column;gap:3px;font-size:12.5px;}",
    ".vs-sources-title{font-size:11px;font-weight:650;letter-spacing:.04em;text-transform:uppercase;color:var(--vs-muted);margin-top:8px;}",
    ".vs-sources li{display:flex;gap:6px;align-items:baseline;min-width:0;}",
    ".vs-sources a,.vs-sources span.vs-src{color:var(--vs-ink);overflow:hidden;text-overflow:ellipsis;white-space:nowrap;}",
    ".vs-sources a:hover{color:var(--vs-accent);}",
    ".vs-notcovered-title{font-weight:650;margin:0 0 4px;}",
    ".vs-related{margin:6px 0 0;padding-left:18px;font-size:13px;}",
    ".vs-related a{color:var(--vs-accent);}",
    ".vs-support{display:inline-block;margin-top:8px;font-size:13px;font-weight:600;color:var(--vs-accent);}",
    ".vs-src-n{flex:none;color:var(--vs-accent);font-weight:650;}",
    ".vs-src-kind{flex:none;font-size:10.5px;color:var(--vs-muted);border:1px solid var(--vs-line);border-radius:6px;padding:0 5px;}",
    ".vs-tip{position:absolute;z-index:5;max-width:min(320px,calc(100% - 24px));padding:10px 12px;border-radius:10px;background:#14213d;color:#f5f7fb;",
    "font-size:12.5px;line-height:1.45;box-shadow:0 8px 24px rgba(11,30,70,.3);pointer-events:none;}",
    ".vs-tip[hidden]{display:none;}",
    ".vs-tip-title{display:block;font-weight:650;margin-bottom:4px;color:#fff;}",
    ".vs-tip-text{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:12;white-space:pre-wrap;overflow-wrap:anywhere;overflow:hidden;}",
    // calculations
    ".vs-calc{margin-top:10px;border:1px solid var(--vs-line);border-radius:12px;padding:10px 12px;background:#fff;}",
    ".vs-calc-title{font-weight:650;font-size:13px;}",
    ".vs-calc-inputs{font-size:11.5px;color:var(--vs-muted);margin:2px 0 6px;}",
    ".vs-tablewrap{overflow-x:auto;}",
    "table{border-collapse:collapse;width:100%;font-size:12.5px;font-variant-numeric:tabular-nums;}",
    ".vs-calc-table th{text-align:left;font-weight:500;color:var(--vs-muted);padding:4px 8px 4px 0;border-top:1px solid var(--vs-line);}",
    ".vs-calc-table td{text-align:right;font-weight:600;padding:4px 0;border-top:1px solid var(--vs-line);white-space:nowrap;}",
    ".vs-calc-table tr:first-child th,.vs-calc-table tr:first-child td{border-top:0;}",
    ".vs-mdtable th,.vs-mdtable td{border:1px solid var(--vs-line);padding:3px 6px;text-align:left;}",
    ".vs-chart{margin:8px 0 0;}",
    ".vs-calc-notes{margin:6px 0 0;padding-left:16px;font-size:11.5px;color:var(--vs-muted);}",
    ".vs-more{font-size:12px;color:var(--vs-muted);margin-top:2px;}.vs-more summary{cursor:pointer;padding:2px 0;}",
    ".vs-more .vs-calc-table tr:first-child th,.vs-more .vs-calc-table tr:first-child td{border-top:1px solid var(--vs-line);}",
    ".vs-payoff{display:block;width:100%;height:auto;}",
    ".vs-plot-bg{fill:#fafbfd;}",
    ".vs-area-profit{fill:color-mix(in srgb,var(--vs-profit) 18%,transparent);}",
    ".vs-area-loss{fill:color-mix(in srgb,var(--vs-loss) 16%,transparent);}",
    ".vs-zero{stroke:#aab2c2;stroke-width:1;}",
    ".vs-line{fill:none;stroke:var(--vs-accent);stroke-width:2.2;stroke-linejoin:round;}",
    ".vs-line-eval{fill:none;stroke:#6b5bd0;stroke-width:1.6;stroke-dasharray:4 3;}",
    ".vs-be{stroke:#e08a00;stroke-width:1.2;stroke-dasharray:3 3;}",
    ".vs-spot{stroke:var(--vs-ink);stroke-width:1.2;}",
    ".vs-axis{font-size:9.5px;fill:var(--vs-muted);font-family:inherit;}",
    ".vs-spot-label{fill:var(--vs-ink);font-weight:600;}",
    ".vs-legend{display:flex;flex-wrap:wrap;align-items:center;gap:4px 6px;font-size:11px;color:var(--vs-muted);margin-top:2px;}",
    ".vs-key{display:inline-block;width:14px;height:0;border-top:2px solid var(--vs-accent);margin-left:6px;}",
    ".vs-key:first-child{margin-left:0;}",
    ".vs-key-eval{border-top:2px dashed #6b5bd0;}.vs-key-be{border-top:2px dashed #e08a00;}.vs-key-spot{border-top:2px solid var(--vs-ink);}",
    // what-if sliders and P/L grid (below the payoff chart)
    ".vs-whatif{margin-top:8px;border-top:1px solid var(--vs-line);padding-top:6px;font-size:12px;}",
    ".vs-whatif-row{display:grid;grid-template-columns:52px 1fr;align-items:center;gap:0 8px;margin:2px 0;}",
    ".vs-whatif-row label{color:var(--vs-muted);font-weight:500;}",
    ".vs-slider{width:100%;margin:4px 0;accent-color:var(--vs-accent);}",
    ".vs-slider:focus-visible{outline:2px solid var(--vs-accent);outline-offset:2px;}",
    ".vs-slider-value{grid-column:2;font-size:11px;color:var(--vs-muted);font-variant-numeric:tabular-nums;}",
    ".vs-whatif-summary{margin:4px 0;font-weight:600;font-variant-numeric:tabular-nums;}.vs-nowrap{white-space:nowrap;}",
    ".vs-whatif-toggle{font:inherit;font-size:12px;color:var(--vs-accent);background:none;border:1px solid var(--vs-line);border-radius:8px;padding:3px 8px;cursor:pointer;}",
    ".vs-whatif-toggle:focus-visible{outline:2px solid var(--vs-accent);outline-offset:2px;}",
    ".vs-whatif-grid{margin-top:6px;}",
    ".vs-grid-table caption{text-align:left;font-size:11px;color:var(--vs-muted);padding-bottom:2px;}",
    ".vs-grid-table th,.vs-grid-table td{padding:2px 3px;text-align:right;white-space:nowrap;border-top:1px solid var(--vs-line);font-size:11px;}",
    ".vs-grid-table thead th{color:var(--vs-muted);font-weight:500;border-top:0;}",
    ".vs-grid-table tbody th{font-weight:600;}",
    ".vs-pos{color:color-mix(in srgb,var(--vs-profit) 70%,#000);}.vs-neg{color:color-mix(in srgb,var(--vs-loss) 80%,#000);}",
    // actions
    ".vs-actions{display:flex;align-items:center;gap:4px;margin-top:4px;min-height:28px;}",
    ".vs-vote{width:28px;height:28px;border-radius:8px;border:1px solid transparent;background:transparent;color:var(--vs-muted);display:flex;align-items:center;justify-content:center;}",
    ".vs-vote:hover{background:var(--vs-bot);color:var(--vs-ink);}",
    ".vs-vote[aria-pressed='true']{background:var(--vs-soft);color:var(--vs-accent);border-color:color-mix(in srgb,var(--vs-accent) 30%,#fff);}",
    ".vs-vote .vs-icon{width:16px;height:16px;}",
    ".vs-vote-status{font-size:12px;color:var(--vs-muted);margin-left:4px;}",
    // suggestions
    ".vs-suggest{display:flex;flex-wrap:wrap;gap:6px;margin-top:2px;}",
    ".vs-chip{border:1px solid color-mix(in srgb,var(--vs-accent) 35%,#fff);background:#fff;color:var(--vs-accent);border-radius:999px;padding:6px 12px;font-size:13px;text-align:left;}",
    ".vs-chip:hover{background:var(--vs-soft);}",
    // error
    ".vs-error .vs-bubble{background:#fff4f4;border:1px solid #f3c5cc;color:#7a1626;display:flex;gap:10px;align-items:flex-start;}",
    ".vs-error .vs-icon{flex:none;color:#c52a44;margin-top:1px;}",
    ".vs-retry{margin-top:8px;border:0;border-radius:8px;padding:6px 14px;background:#c52a44;color:#fff;font-weight:600;}",
    ".vs-retry:hover{background:#a81f37;}",
    // composer
    ".vs-form{display:flex;align-items:flex-end;gap:8px;padding:10px 12px 6px;border-top:1px solid var(--vs-line);background:#fff;}",
    ".vs-input{flex:1;resize:none;min-height:42px;max-height:132px;padding:10px 12px;border:1px solid #cfd6e3;border-radius:12px;font:inherit;color:var(--vs-ink);background:#fff;line-height:1.4;}",
    ".vs-input:focus{outline:none;border-color:var(--vs-accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--vs-accent) 20%,transparent);}",
    ".vs-send{flex:none;width:42px;height:42px;border-radius:12px;border:0;background:var(--vs-accent);color:var(--vs-on-accent);display:flex;align-items:center;justify-content:center;}",
    ".vs-send:disabled{opacity:.45;cursor:default;}",
    ".vs-disclaimer{margin:0;padding:0 12px 10px;font-size:11px;color:var(--vs-muted);text-align:center;background:#fff;}",
    // small screens: the panel takes the whole screen
    "@media (max-width:480px){.vs-launcher-mode .vs-panel{right:0!important;left:0!important;bottom:0;top:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0;border:0;}",
    ".vs-launcher-mode.vs-open .vs-launcher{display:none;}.vs-bubble{max-width:94%;}.vs-log{padding:12px 10px 6px;}}",
    "@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important;}}",
  ].join("\n");

  // ------------------------------------------------------------------ the widget

  function Widget() {
    this.state = { conversation_id: null, messages: [] };
    this.busy = false;
    this.pending = null; // the message being sent (for Retry)
    this.controller = null;
    this.generation = 0; // bumped by reset(): answers to an older conversation are dropped
    this.load();
    this.build();
    this.renderAll();
    this.sync();
  }

  Widget.prototype.load = function () {
    var raw = lsGet(STORE_KEY);
    if (!raw) return;
    try {
      var s = JSON.parse(raw);
      if (s && typeof s === "object" && Array.isArray(s.messages)) {
        this.state.conversation_id = typeof s.conversation_id === "string" ? s.conversation_id : null;
        this.state.messages = s.messages.filter(function (m) {
          return m && (m.role === "user" && typeof m.text === "string" || m.role === "assistant" && m.reply && typeof m.reply === "object");
        });
      }
    } catch (e) { /* corrupt: start afresh */ }
  };

  Widget.prototype.save = function () {
    var msgs = this.state.messages.slice(-MAX_STORED);
    lsSet(STORE_KEY, JSON.stringify({ v: 1, conversation_id: this.state.conversation_id, messages: msgs }));
  };

  /** Bring the stored conversation in line with the server's (another tab may have added turns). */
  Widget.prototype.sync = function () {
    var self = this;
    var cid = this.state.conversation_id;
    if (!cid) return;
    fetch(config.api + "/v1/conversations/" + encodeURIComponent(cid), { credentials: "omit" }).then(function (res) {
      if (res.status === 404) { if (self.state.conversation_id === cid && !self.busy) self.reset(false); return null; }
      return res.ok ? res.json() : null;
    }).then(function (body) {
      if (!body || self.busy || self.state.conversation_id !== cid) return;
      var turns = Array.isArray(body.turns) ? body.turns : null;
      if (!turns) return;
      var known = self.state.messages.filter(function (m) { return m.role === "assistant"; }).length;
      if (turns.length === known) return;
      var ratings = {};
      self.state.messages.forEach(function (m) { if (m.role === "assistant" && m.rating) ratings[m.turn] = m.rating; });
      var msgs = [];
      turns.forEach(function (t, i) {
        var turn = isNum(t.index) ? t.index : i;
        msgs.push({ role: "user", text: String(t.message || "") });
        if (t.reply && typeof t.reply === "object") msgs.push({ role: "assistant", reply: t.reply, turn: turn, rating: ratings[turn] || null });
      });
      self.state.messages = msgs;
      self.save();
      self.renderAll();
    }).catch(function () { /* offline: keep what we have */ });
  };

  Widget.prototype.build = function () {
    var self = this;
    var host;
    if (config.mode === "page") {
      host = (config.target && document.querySelector(config.target)) || null;
      if (!host) { host = document.createElement("div"); document.body.appendChild(host); }
      host.style.setProperty("display", "block");
      if (!host.style.height) host.style.setProperty("height", "100%");
    } else {
      host = document.createElement("div");
      host.id = "vixshield-widget";
      document.body.appendChild(host);
    }
    host.setAttribute("data-vixshield", "");
    this.host = host;
    var root = host.attachShadow({ mode: "open" });
    this.shadow = root;
    var sheetDone = false;
    try {
      if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS_TEXT);
        root.adoptedStyleSheets = [sheet];
        sheetDone = true;
      }
    } catch (e) { sheetDone = false; }
    if (!sheetDone) root.appendChild(el("style", { text: CSS_TEXT }));

    var wrap = el("div", { class: "vs-root " + (config.mode === "page" ? "vs-page" : "vs-launcher-mode") + " vs-" + config.position });
    wrap.style.setProperty("--vs-accent", config.accent);
    wrap.style.setProperty("--vs-on-accent", onAccent(config.accent));
    this.wrap = wrap;

    var panelId = "vs-panel";
    var titleId = "vs-title";
    if (config.mode !== "page") {
      this.launcher = el("button", { type: "button", class: "vs-launcher", "aria-label": "Open chat: " + config.title,
        "aria-expanded": "false", "aria-controls": panelId, "aria-haspopup": "dialog", onclick: function () { self.toggle(); } }, icon("chat", 28));
      wrap.appendChild(this.launcher);
    }

    this.log = el("div", { class: "vs-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation", tabindex: "0" });
    this.input = el("textarea", { id: "vs-input", class: "vs-input", rows: 1, maxlength: MAX_MESSAGE,
      placeholder: "Ask a question\u2026", "aria-describedby": "vs-disclaimer", autocomplete: "off" });
    this.send = el("button", { type: "submit", class: "vs-send", "aria-label": "Send" }, icon("send", 20));
    this.form = el("form", { class: "vs-form", novalidate: true }, [
      el("label", { class: "vs-sr", for: "vs-input", text: "Ask a question" }), this.input, this.send,
    ]);
    this.tip = el("div", { class: "vs-tip", role: "tooltip", id: "vs-tip", hidden: true });
    this.status = el("div", { class: "vs-sr", role: "status", "aria-live": "polite" });

    var header = el("header", { class: "vs-header" }, [
      el("div", { class: "vs-logo", "aria-hidden": "true" }, icon("shield", 20)),
      el("div", { class: "vs-heading" }, [
        el("h2", { class: "vs-title", id: titleId, text: config.title }),
        el("p", { class: "vs-subtitle", text: "Cited answers \u00b7 calculators" }),
      ]),
      el("button", { type: "button", class: "vs-hbtn vs-new", "aria-label": "Start a new conversation", title: "New conversation",
        onclick: function () { self.reset(true); } }, icon("reset", 18)),
      config.mode !== "page" ? el("button", { type: "button", class: "vs-hbtn vs-close", "aria-label": "Close chat", title: "Close",
        onclick: function () { self.close(); } }, icon("close", 18)) : null,
    ]);

    this.panel = el("section", { class: "vs-panel", id: panelId, role: "dialog", "aria-modal": "false", "aria-labelledby": titleId,
      hidden: config.mode !== "page" }, [
      header, this.log, this.form,
      el("p", { class: "vs-disclaimer", id: "vs-disclaimer", text: config.disclaimer }),
      this.tip, this.status,
    ]);
    wrap.appendChild(this.panel);
    root.appendChild(wrap);

    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.submit(); });
    this.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); self.submit(); }
    });
    this.input.addEventListener("input", function () { self.autosize(); self.updateSend(); });
    this.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") {
        if (!self.tip.hidden) self.hideTip();
        if (config.mode !== "page") { e.preventDefault(); e.stopPropagation(); self.close(); }
      }
    });
    this.log.addEventListener("scroll", function () { self.placeTip(); }, { passive: true });
    this.updateSend();

    if (config.mode !== "page" && (config.open || ssGet(OPEN_KEY) === "1")) this.open(false);
  };

  function onAccent(color) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color).trim());
    if (!m) return "#fff";
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    return lum > 0.4 ? "#14213d" : "#fff";
  }

  Widget.prototype.autosize = function () {
    this.input.style.setProperty("height", "auto");
    this.input.style.setProperty("height", Math.min(this.input.scrollHeight + 2, 132) + "px");
  };
  Widget.prototype.updateSend = function () {
    this.send.disabled = this.busy || !this.input.value.trim();
  };

  Widget.prototype.isOpen = function () { return !this.panel.hidden; };
  Widget.prototype.open = function (focus) {
    if (config.mode === "page") { this.input.focus(); return; }
    this.panel.hidden = false;
    this.wrap.classList.add("vs-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", "Close chat: " + config.title);
    ssSet(OPEN_KEY, "1");
    this.scrollToEnd(true);
    if (focus !== false) this.input.focus();
  };
  Widget.prototype.close = function () {
    if (config.mode === "page") return;
    this.hideTip();
    this.panel.hidden = true;
    this.wrap.classList.remove("vs-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", "Open chat: " + config.title);
    ssSet(OPEN_KEY, "0");
    this.launcher.focus();
  };
  Widget.prototype.toggle = function () { if (this.isOpen()) this.close(); else this.open(); };

  Widget.prototype.reset = function (focus) {
    this.generation += 1;
    if (this.controller) { try { this.controller.abort(); } catch (e) { /* ignore */ } }
    this.busy = false;
    this.pending = null;
    this.state = { conversation_id: null, messages: [] };
    lsDel(STORE_KEY);
    this.renderAll();
    this.updateSend();
    if (focus) this.input.focus();
  };

  Widget.prototype.scrollToEnd = function (force) {
    var log = this.log;
    var near = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    if (force || near) log.scrollTop = log.scrollHeight;
  };

  /** After an answer arrives: show it whole when it fits, else from its first line. */
  Widget.prototype.revealAnswer = function (node) {
    var log = this.log;
    var prev = node.previousElementSibling;
    var start = (prev && prev.classList.contains("vs-user") ? prev : node).offsetTop - log.offsetTop - 8;
    var end = node.offsetTop - log.offsetTop + node.offsetHeight;
    log.scrollTop = end - start <= log.clientHeight ? end - log.clientHeight + 16 : start;
  };

  // --- rendering

  Widget.prototype.renderAll = function () {
    var self = this;
    this.hideTip();
    clear(this.log);
    this.log.appendChild(this.greeting());
    var turn = 0;
    this.state.messages.forEach(function (m) {
      if (m.role === "user") self.log.appendChild(self.userNode(m.text));
      else {
        if (!isNum(m.turn)) m.turn = turn;
        turn = m.turn + 1;
        try { self.log.appendChild(self.botNode(m)); } catch (e) { if (window.console) console.warn("Ask VixShield:", e); }
      }
    });
    this.scrollToEnd(true);
  };

  Widget.prototype.greeting = function () {
    var self = this;
    var node = el("div", { class: "vs-msg vs-bot vs-greeting" }, el("div", { class: "vs-bubble" }, renderMarkdown(config.greeting, {})));
    if (config.suggestions.length && !this.state.messages.length) {
      node.appendChild(el("div", { class: "vs-suggest", role: "group", "aria-label": "Suggested questions" },
        config.suggestions.map(function (q) {
          return el("button", { type: "button", class: "vs-chip", text: q, onclick: function () { self.ask(q); } });
        })));
    }
    return node;
  };

  Widget.prototype.userNode = function (text) {
    return el("div", { class: "vs-msg vs-user" }, [el("span", { class: "vs-sr", text: "You said: " }), el("div", { class: "vs-bubble", text: text })]);
  };

  Widget.prototype.citationLink = function (c) {
    var sid = String(c.source_id || "");
    var href = safeHref(c.url);
    if (!href && sid.indexOf("answer:") === 0) return null; // an editors' curated answer: the chip shows its text
    if (!href && sid.indexOf("glossary:") === 0) href = config.api + "/glossary#" + encodeURIComponent(sid.slice(9));
    else if (!href && sid) href = config.api + "/articles/" + encodeURIComponent(sid);
    return href;
  };

  /** An inline chip for citation c: a link to the article, or (glossary) a button that shows the passage. */
  Widget.prototype.chip = function (c) {
    var self = this;
    var href = this.citationLink(c);
    var label = "Source " + c.id + ": " + String(c.title || "");
    var attrs = { class: "vs-cite", "aria-label": label, "data-cite": String(c.id), "data-source": String(c.source_id || ""), text: String(c.id) };
    var node;
    if (href) {
      attrs.href = href; attrs.target = "_blank"; attrs.rel = "noopener noreferrer";
      node = el("a", attrs);
    } else {
      attrs.type = "button";
      node = el("button", attrs);
      node.addEventListener("click", function (e) { e.preventDefault(); self.showTip(node, c); });
    }
    node.addEventListener("mouseenter", function () { self.showTip(node, c); });
    node.addEventListener("mouseleave", function () { if (self.shadow.activeElement !== node) self.hideTip(); });
    node.addEventListener("focus", function () { self.showTip(node, c); });
    node.addEventListener("blur", function () { self.hideTip(); });
    return node;
  };

  Widget.prototype.showTip = function (anchor, c) {
    var tip = this.tip;
    clear(tip);
    tip.appendChild(el("span", { class: "vs-tip-title", text: "[" + c.id + "] " + String(c.title || "") }));
    var text = String(c.text || "");
    tip.appendChild(el("span", { class: "vs-tip-text", text: text.length > 600 ? text.slice(0, 599) + "\u2026" : text }));
    tip.hidden = false;
    if (this.tipAnchor && this.tipAnchor !== anchor) this.tipAnchor.removeAttribute("aria-describedby");
    anchor.setAttribute("aria-describedby", "vs-tip");
    this.tipAnchor = anchor;
    this.placeTip();
  };
  /** Put the passage above the chip (below when there is no room); hidden while the chip is scrolled out of view. */
  Widget.prototype.placeTip = function () {
    var tip = this.tip, anchor = this.tipAnchor;
    if (!anchor) return;
    var pr = this.panel.getBoundingClientRect();
    var lr = this.log.getBoundingClientRect();
    var ar = anchor.getBoundingClientRect();
    var visible = anchor.isConnected && ar.bottom > lr.top && ar.top < lr.bottom;
    tip.style.setProperty("visibility", visible ? "visible" : "hidden");
    var tr = tip.getBoundingClientRect();
    var left = Math.max(12, Math.min(ar.left - pr.left + ar.width / 2 - tr.width / 2, pr.width - tr.width - 12));
    var top = ar.top - pr.top - tr.height - 8;
    if (top < lr.top - pr.top + 4) top = ar.bottom - pr.top + 8;
    tip.style.setProperty("left", left + "px");
    tip.style.setProperty("top", top + "px");
  };
  Widget.prototype.hideTip = function () {
    if (!this.tip) return;
    this.tip.hidden = true;
    if (this.tipAnchor) { this.tipAnchor.removeAttribute("aria-describedby"); this.tipAnchor = null; }
  };

  /** The full rendering of an assistant message {reply, turn, rating}. */
  Widget.prototype.botNode = function (m) {
    var self = this;
    var reply = m.reply || {};
    var citations = Array.isArray(reply.citations) ? reply.citations.filter(function (c) { return c && typeof c === "object"; }) : [];
    var byId = {};
    citations.forEach(function (c) { byId[c.id] = c; });
    var ctx = { citation: function (n) { return byId[n] ? self.chip(byId[n]) : null; } };
    var bubble = el("div", { class: "vs-bubble" }, renderMarkdown(String(reply.answer || ""), ctx));
    var related = Array.isArray(reply.related) ? reply.related.filter(function (r) { return r && typeof r === "object" && r.title; }) : [];
    if (reply.grounded === false && related.length) this.notCovered(bubble, related);

    var calcs = Array.isArray(reply.calculations) ? reply.calculations : [];
    calcs.forEach(function (calc) {
      if (!calc || typeof calc !== "object") return;
      try {
        bubble.appendChild(calcCard(calc));
      } catch (e) { // an unexpected calculator shape must not hide the answer
        if (window.console) console.warn("Ask VixShield: could not show a calculation", e);
      }
    });

    if (citations.length) {
      bubble.appendChild(el("div", { class: "vs-sources-title", id: nextId("src"), text: "Sources" }));
      bubble.appendChild(el("ol", { class: "vs-sources" }, citations.map(function (c) {
        var href = self.citationLink(c);
        var title = String(c.title || c.source_id || "Source");
        return el("li", null, [
          el("span", { class: "vs-src-n", text: "[" + c.id + "]" }),
          href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", title: title, text: title })
            : el("span", { class: "vs-src", title: title, text: title }),
          String(c.source_id || "").indexOf("glossary:") === 0 ? el("span", { class: "vs-src-kind", text: "glossary" }) : null,
        ]);
      })));
    }

    var node = el("div", { class: "vs-msg vs-bot", "data-turn": String(m.turn) }, [el("span", { class: "vs-sr", text: config.title + " said: " }), bubble]);
    node.appendChild(this.actions(m));
    return node;
  };

  /** A decline of an in-domain question: say so plainly, link the related articles and, if set, our team. */
  Widget.prototype.notCovered = function (bubble, related) {
    var self = this;
    bubble.classList.add("vs-notcovered");
    bubble.insertBefore(el("p", { class: "vs-notcovered-title", text: "Not in the knowledge base yet" }), bubble.firstChild);
    bubble.appendChild(el("div", { class: "vs-sources-title", text: "Related articles" }));
    bubble.appendChild(el("ul", { class: "vs-related" }, related.slice(0, 3).map(function (r) {
      var href = safeHref(r.url);
      if (!href && r.id) href = self.citationLink({ source_id: r.id });
      var title = String(r.title);
      return el("li", null, href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: title }) : el("span", { text: title }));
    })));
    var support = safeHref(config.supportUrl);
    if (support) bubble.appendChild(el("a", { class: "vs-support", href: support, target: "_blank", rel: "noopener noreferrer", text: "Ask our team" }));
  };

  Widget.prototype.actions = function (m) {
    var self = this;
    var status = el("span", { class: "vs-vote-status", "aria-live": "polite" });
    function vote(rating) {
      return el("button", { type: "button", class: "vs-vote vs-vote-" + rating, "aria-label": rating === "up" ? "Helpful" : "Not helpful",
        title: rating === "up" ? "Helpful" : "Not helpful", "aria-pressed": m.rating === rating ? "true" : "false",
        onclick: function () { self.rate(m, rating, bar, status); } }, icon(rating, 16));
    }
    var bar = el("div", { class: "vs-actions", role: "group", "aria-label": "Rate this answer" }, [vote("up"), vote("down"), status]);
    if (m.rating) status.textContent = "Thanks for the feedback.";
    return bar;
  };

  Widget.prototype.rate = function (m, rating, bar, status) {
    if (m.rating === rating || !this.state.conversation_id) return;
    var self = this;
    var previous = m.rating;
    m.rating = rating;
    bar.querySelectorAll(".vs-vote").forEach(function (b) {
      b.setAttribute("aria-pressed", b.classList.contains("vs-vote-" + rating) ? "true" : "false");
    });
    status.textContent = "Sending\u2026";
    fetch(config.api + "/v1/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify({ conversation_id: this.state.conversation_id, turn: m.turn, rating: rating }),
    }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      status.textContent = "Thanks for the feedback.";
      self.save();
    }).catch(function () {
      m.rating = previous;
      bar.querySelectorAll(".vs-vote").forEach(function (b) {
        b.setAttribute("aria-pressed", previous && b.classList.contains("vs-vote-" + previous) ? "true" : "false");
      });
      status.textContent = "Could not send feedback.";
    });
  };

  // --- sending

  Widget.prototype.ask = function (text) {
    this.input.value = text;
    this.submit();
  };

  Widget.prototype.submit = function () {
    var text = this.input.value.trim();
    if (!text || this.busy) return;
    if (text.length > MAX_MESSAGE) text = text.slice(0, MAX_MESSAGE);
    this.input.value = "";
    this.autosize();
    var sugg = this.log.querySelector(".vs-suggest");
    if (sugg) sugg.remove();
    this.log.appendChild(this.userNode(text));
    this.state.messages.push({ role: "user", text: text });
    this.save();
    this.sendMessage(text);
  };

  Widget.prototype.sendMessage = function (text) {
    var self = this;
    this.busy = true;
    this.updateSend();
    this.pending = text;
    var typing = el("span", { class: "vs-typing", role: "img", "aria-label": "Answering" }, [el("span"), el("span"), el("span")]);
    var bubble = el("div", { class: "vs-bubble" }, typing);
    var node = el("div", { class: "vs-msg vs-bot vs-pending", "aria-busy": "true" }, bubble);
    this.log.appendChild(node);
    this.scrollToEnd(true);
    this.status.textContent = "Answering\u2026";

    var answer = "";
    var deltas = 0;
    var final = null;
    var failure = null;
    var frame = 0;
    var controller = window.AbortController ? new AbortController() : null;
    this.controller = controller;
    var generation = this.generation;
    var idle = null;
    function kick() {
      if (idle) clearTimeout(idle);
      idle = setTimeout(function () { if (controller) controller.abort(); }, IDLE_TIMEOUT_MS);
    }
    kick();
    function paint() {
      if (frame === -1) return;
      frame = 0;
      clear(bubble);
      bubble.appendChild(renderMarkdown(answer, {}));
      node.classList.add("vs-streaming");
      self.scrollToEnd(false);
    }
    var body = { message: text };
    if (this.state.conversation_id) body.conversation_id = this.state.conversation_id;

    streamChat(body, {
      onActivity: kick,
      onEvent: function (name, raw) {
        var payload = null;
        try { payload = JSON.parse(raw); } catch (e) { payload = null; }
        if (name === "delta") {
          if (payload && typeof payload.text === "string") {
            answer += payload.text;
            deltas += 1;
            // The first piece shows at once; later ones are drawn once per frame.
            if (deltas === 1) paint();
            else if (!frame) frame = (window.requestAnimationFrame || setTimeout)(paint);
          }
        } else if (name === "final" || (name === "message" && payload && typeof payload.answer === "string")) {
          final = payload;
        } else if (name === "error") {
          var d = payload && (payload.detail || payload.message || payload.error);
          failure = new Error(typeof d === "string" ? d : "The assistant could not answer.");
          failure.fromServer = true;
        }
      },
    }, controller && controller.signal).then(function () {
      if (failure) throw failure;
      if (!final || typeof final !== "object") throw new Error("The answer was cut off. Please try again.");
    }).then(function () {
      if (idle) clearTimeout(idle);
      if (frame && window.cancelAnimationFrame) window.cancelAnimationFrame(frame);
      frame = -1; // no more painting of this stream
      if (self.generation !== generation) return; // reset meanwhile
      self.busy = false;
      self.pending = null;
      self.controller = null;
      if (typeof final.conversation_id === "string") self.state.conversation_id = final.conversation_id;
      var turn = 0;
      self.state.messages.forEach(function (m) { if (m.role === "assistant" && isNum(m.turn)) turn = m.turn + 1; });
      var msg = { role: "assistant", reply: final, turn: turn, rating: null };
      self.state.messages.push(msg);
      self.save();
      var done = self.botNode(msg);
      done.setAttribute("data-deltas", String(deltas));
      node.replaceWith(done);
      self.status.textContent = "Answer received.";
      self.updateSend();
      self.revealAnswer(done);
    }).catch(function (err) {
      if (idle) clearTimeout(idle);
      frame = -1;
      if (self.generation !== generation) return; // reset meanwhile
      self.controller = null;
      if (window.console && err && !err.fromServer && !err.status) console.warn("Ask VixShield:", err);
      // A conversation the server no longer knows (database reset): start a new one and resend once.
      if (err && err.status === 404 && body.conversation_id) {
        self.busy = false;
        self.state = { conversation_id: null, messages: [{ role: "user", text: text }] };
        self.save();
        self.renderAll();
        self.sendMessage(text);
        return;
      }
      self.busy = false;
      self.updateSend();
      node.replaceWith(self.errorNode(err, text));
      self.status.textContent = "";
    });
  };

  Widget.prototype.errorNode = function (err, text) {
    var self = this;
    var msg;
    if (err && err.status === 429) {
      var wait = parseInt(err.retryAfter, 10);
      msg = "Too many questions at once." + (wait > 0 ? " Please wait " + wait + " seconds and retry." : " Please retry in a moment.");
    } else if (err && err.status && err.status < 500 && err.fromServer) {
      msg = err.message;
    } else if (err && err.fromServer && err.message) {
      msg = "Something went wrong: " + err.message;
    } else if (err && /cut off/.test(err.message || "")) {
      msg = err.message;
    } else {
      msg = "Ask VixShield can\u2019t be reached right now. Check your connection and try again.";
    }
    var retry = el("button", { type: "button", class: "vs-retry", text: "Retry" });
    var node = el("div", { class: "vs-msg vs-bot vs-error", role: "alert" },
      el("div", { class: "vs-bubble" }, [icon("alert", 18), el("div", null, [el("div", { class: "vs-error-text", text: msg }), retry])]));
    retry.addEventListener("click", function () {
      if (self.busy) return;
      node.remove();
      self.sendMessage(text);
    });
    return node;
  };

  // ------------------------------------------------------------------ start

  function start() {
    if (!document.body) { document.addEventListener("DOMContentLoaded", start); return; }
    var w = new Widget();
    window.VixShieldWidget = {
      open: function () { w.open(); },
      close: function () { w.close(); },
      toggle: function () { w.toggle(); },
      ask: function (q) { w.open(false); w.ask(String(q)); },
      reset: function () { w.reset(false); },
      config: Object.freeze({ api: config.api, title: config.title, mode: config.mode }),
    };
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
