/* The browsers' HTML allowlist for answers from the CMS, defence in depth behind the
 * server's (cms/core/sanitize.py): a page stays safe even if an answer is hostile.
 * One file for every client: the CMS serves it inside /embed/v1.js (cms/embed/widget.py)
 * and the reference front end loads it as /sanitize.js (frontend/serve.py).
 *
 * CmsSanitizer.fragment(html, {embed}) parses in an inert document (DOMParser: no script
 * runs, nothing loads) and builds a new DocumentFragment of allowed elements and
 * attributes only; the result is inserted as nodes, never re-parsed from a string.
 * CmsSanitizer.safeUrl(url) is the URL, or "" unless it is http(s), mailto or tel. */
const CmsSanitizer = (() => {
  const HTML_NS = "http://www.w3.org/1999/xhtml";
  const TAGS = new Set(["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div",
    "ol", "ul", "li", "a", "img", "b", "strong", "i", "em", "u", "s", "code", "sup", "sub"]);
  // Dropped with all they hold; any other element not allowed is dropped, its text kept.
  const DROPPED = new Set(["script", "style", "template", "noscript", "noembed", "noframes", "xmp",
    "iframe", "object", "embed", "applet", "textarea", "select", "title", "head", "meta", "link",
    "base", "plaintext", "frame", "frameset"]);
  const ATTRIBUTES = {
    "*": ["data-block-key"],
    a: ["href"],
    img: ["src", "alt", "width", "height"],
    iframe: ["src", "width", "height", "title", "allowfullscreen", "frameborder"],
  };
  const CLASSES = { img: ["richtext-image", "left", "right", "full-width"], div: ["responsive-object"] };
  const SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);
  // As the CMS's default CMS_EMBED_IFRAME_HOSTS; a front end may pass its own list.
  const IFRAME_HOSTS = ["player.bilibili.com", "v.qq.com", "player.youku.com",
    "www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com"];
  const SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation";

  const parse = (value) => {
    try { return new URL(String(value ?? ""), document.baseURI); } catch { return null; }
  };

  function safeUrl(value) {
    const url = parse(value);
    return url && SCHEMES.has(url.protocol) ? String(value) : "";
  }

  function frameSource(value, hosts) {
    const url = parse(value);
    return url && url.protocol === "https:" && hosts.includes(url.hostname) ? url.href : "";
  }

  function copyAttributes(from, to, options) {
    const tag = to.localName;
    for (const name of [...ATTRIBUTES["*"], ...(ATTRIBUTES[tag] || [])]) {
      if (!from.hasAttribute(name)) continue;
      let value = from.getAttribute(name);
      if (tag === "iframe" && name === "src") value = frameSource(value, options.iframeHosts);
      else if (name === "href" || name === "src") value = safeUrl(value);
      if (value || (name !== "href" && name !== "src")) to.setAttribute(name, value);
    }
    const classes = [...from.classList].filter((c) => (CLASSES[tag] || []).includes(c));
    if (classes.length) to.className = classes.join(" ");
  }

  function copyChildren(from, to, options) {
    for (const child of from.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.append(document.createTextNode(child.data));
        continue;
      }
      // Comments, CDATA and processing instructions carry nothing a reader sees.
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = child.localName;
      const framed = tag === "iframe" && options.embed;
      // SVG and MathML are dropped whole: their parsing rules differ from HTML's.
      if (child.namespaceURI !== HTML_NS || (DROPPED.has(tag) && !framed)) continue;
      if (!TAGS.has(tag) && !framed) {
        copyChildren(child, to, options);
        continue;
      }
      const element = document.createElement(tag);
      copyAttributes(child, element, options);
      if (framed) {
        if (!element.hasAttribute("src")) continue;
        element.setAttribute("sandbox", SANDBOX);
      } else {
        copyChildren(child, element, options);
      }
      to.append(element);
    }
  }

  function fragment(html, { embed = false, iframeHosts = IFRAME_HOSTS } = {}) {
    const out = document.createDocumentFragment();
    const inert = new DOMParser().parseFromString(String(html ?? ""), "text/html");
    try {
      copyChildren(inert.body, out, { embed, iframeHosts });
    } catch {
      return document.createDocumentFragment(); // nested too deep to walk: nothing shown
    }
    return out;
  }

  return Object.freeze({ fragment, safeUrl });
})();
